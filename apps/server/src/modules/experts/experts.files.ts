import { registerFileAccessRule } from '../../platform/files/index';
import { canRead } from './experts.policy';
import './experts.tables';

/**
 * An application's materials (title certificates, ID copies…) are uploads of the applicant's own account, so the
 * applicant reads them by default; this rule lets the supervisors who may read the record download them too. No one
 * else: the materials carry personal information.
 */
registerFileAccessRule(async ({ db, actor, file }) => {
  if (!actor) return false;
  const rows = await db
    .selectFrom('expert_materials')
    .innerJoin('experts', 'experts.id', 'expert_materials.expert_id')
    .select(['experts.account_id', 'experts.home_region', 'experts.industries'])
    .where('expert_materials.file_id', '=', file.id)
    .limit(5)
    .execute();
  return rows.some((r) => canRead(actor, { accountId: r.account_id, homeRegion: r.home_region, industries: r.industries }));
});
