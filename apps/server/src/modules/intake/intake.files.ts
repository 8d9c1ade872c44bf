import type { DbOrTx } from '../../platform/db/database';
import { AppError } from '../../platform/http/errors';
import { registerFileAccessRule } from '../../platform/files/index';
import { canRead } from './intake.policy';
import '../../platform/files/files.tables';

/**
 * Materials reference uploads of the platform file store (POST /api/files → id). A registration may only use
 * uploads made by one of its own parties' organisations (the tenderer or its agency): an id from someone else's
 * upload is refused exactly like an unknown id, so ids reveal nothing.
 */
export async function assertFilesUsable(db: DbOrTx, materials: { code: string; fileId: string }[], orgIds: (string | null)[], field = 'materials'): Promise<void> {
  if (!materials.length) return;
  const orgs = orgIds.filter((o): o is string => !!o);
  const rows = await db.selectFrom('file_uploads').select(['id', 'org_id']).where('id', 'in', materials.map((m) => m.fileId)).execute();
  const ok = new Set(rows.filter((r) => r.org_id !== null && orgs.includes(r.org_id)).map((r) => r.id));
  materials.forEach((m, i) => {
    if (!ok.has(m.fileId)) {
      throw new AppError('INTAKE_FILE_UNKNOWN', 400, `文件 ${m.fileId} 不存在或不是本项目登记方上传的`, `File ${m.fileId} does not exist or was not uploaded by this project's parties`, field === 'materials' ? `materials.${i}.fileId` : field);
    }
  });
}

/**
 * Whoever may read a project may download its materials: the other party (a tenderer sees what its agency uploaded),
 * the center's staff and supervisors within jurisdiction (intake.policy canRead).
 */
registerFileAccessRule(async ({ db, actor, file }) => {
  if (!actor) return false;
  const projects = await db
    .selectFrom('projects')
    .select(['status', 'owner_org_id', 'agency_org_id', 'industry', 'region_code'])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('project_materials').select('code').whereRef('project_materials.project_id', '=', 'projects.id').where('project_materials.file_id', '=', file.id)),
        eb.exists(eb.selectFrom('project_pending_items').select('code').whereRef('project_pending_items.project_id', '=', 'projects.id').where('project_pending_items.file_id', '=', file.id)),
      ]),
    )
    .limit(20)
    .execute();
  return projects.some((p) => canRead(actor, { status: p.status, ownerOrgId: p.owner_org_id, agencyOrgId: p.agency_org_id, industry: p.industry, regionCode: p.region_code }));
});
