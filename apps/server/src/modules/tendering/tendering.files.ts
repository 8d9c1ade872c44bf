import { registerFileAccessRule } from '../../platform/files/index';
import { isOverseer, isParty } from './tendering.policy';
import './tendering.tables';

/**
 * Tender documents (and files added by clarifications) are not attachments of the public notice: publishing them
 * there would make them anonymous downloads and defeat the record of who obtained them. They are readable by the
 * tender's parties, by the center's staff and supervisors within jurisdiction once published, and by the bidders
 * whose organisation obtained them (commands/obtain.ts).
 */
registerFileAccessRule(async ({ db, actor, file }) => {
  if (!actor) return false;
  const tenders = await db
    .selectFrom('tender_documents')
    .innerJoin('tenders', 'tenders.id', 'tender_documents.tender_id')
    .select(['tenders.id', 'tenders.status', 'tenders.owner_org_id', 'tenders.agency_org_id', 'tenders.industry', 'tenders.region_code'])
    .where('tender_documents.file_id', '=', file.id)
    .limit(20)
    .execute();
  for (const t of tenders) {
    const view = {
      status: t.status,
      ownerOrgId: t.owner_org_id,
      agencyOrgId: t.agency_org_id,
      industry: t.industry,
      regionCode: t.region_code,
    };
    if (isParty(actor, view) || isOverseer(actor, view)) return true;
    if (actor.orgId && t.status === 'published') {
      const got = await db
        .selectFrom('tender_obtains')
        .select('id')
        .where('tender_id', '=', t.id)
        .where('org_id', '=', actor.orgId)
        .executeTakeFirst();
      if (got) return true;
    }
  }
  return false;
});
