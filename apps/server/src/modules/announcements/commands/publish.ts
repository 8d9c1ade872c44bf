import { Errors } from '../../../platform/http/errors';
import { appendLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import type { Tx } from '../../../platform/db/database';
import type { DbOrTx } from '../../../platform/db/database';
import { getVersionInForce, listEntries } from '../../catalog/index';
import { ANNOUNCEMENT_TYPES_NEEDING_RELATED, type AnnouncementType } from '@yiwang/contracts';
import { checkDraft, contentHash, type DraftInput } from '../announcements.rules';
import { getAnnouncement, insertDraft, markPublished, orgUploads, projectOpenTo, type AnnouncementRow } from '../announcements.repo';
import { documentTokens } from '../search-tokens';
import { filterTags } from '../search-tags';

export const PUBLISHED_EVENT = 'announcement.published';

/**
 * Checks that need the database: the category is in the catalog in force (when one is), and a related
 * announcement exists, is published, and — for change and termination notices — belongs to the same publisher
 * (only the one who published an announcement may amend or end it).
 */
export async function checkReferences(
  trx: DbOrTx,
  input: { categoryCode: string; relatedId: string | null; type: AnnouncementType; fileIds?: string[]; projectId?: string | null },
  publisherOrgId: string,
  now: Date,
) {
  // Attachments and inline images must be the organisation's own uploads: publishing makes them public, so an
  // author must not be able to publish someone else's private file by guessing its id.
  const fileIds = input.fileIds ?? [];
  const own = await orgUploads(trx, publisherOrgId, fileIds);
  const foreign = fileIds.find((id) => !own.has(id));
  if (foreign) throw Errors.validation('attachmentIds', `附件或图片 ${foreign} 不存在或不属于本单位`, `File ${foreign} does not exist or is not your organisation's upload`, 'ATTACHMENT_UNKNOWN');
  const version = await getVersionInForce(trx, now);
  if (version) {
    const codes = new Set((await listEntries(trx, version.id)).map((e) => e.code));
    if (!codes.has(input.categoryCode)) {
      throw Errors.validation('categoryCode', `交易目录中没有代码 ${input.categoryCode}`, `The trading catalog has no entry ${input.categoryCode}`, 'CATEGORY_UNKNOWN');
    }
  }
  if (input.projectId && !(await projectOpenTo(trx, input.projectId, publisherOrgId))) {
    throw Errors.validation('projectId', '项目不存在，或本单位不是该项目的招标人或代理机构', 'No such project, or your organisation is neither its tenderer nor its agency', 'PROJECT_UNKNOWN');
  }
  if (input.relatedId) {
    const related = await getAnnouncement(trx, input.relatedId);
    if (!related || related.status !== 'published') {
      throw Errors.validation('relatedId', '关联的原公告不存在或尚未发布', 'The related announcement does not exist or is not published', 'RELATED_NOT_PUBLISHED');
    }
    if (ANNOUNCEMENT_TYPES_NEEDING_RELATED.includes(input.type) && related.publisher_org_id !== publisherOrgId) {
      throw Errors.validation('relatedId', '只能变更或终止本单位发布的公告', 'Only the publisher of an announcement may amend or end it', 'RELATED_NOT_OWN');
    }
  }
}

/** Publish a loaded, not yet published row inside the caller's transaction: ledger entry, row, outbox event. */
export async function publishRow(trx: DbOrTx, row: NonNullable<AnnouncementRow>, actorId: string | null, now: Date) {
  const publishedAt = new Date(now.getTime());
  const content = {
    id: row.id, type: row.type, title: row.title, categoryCode: row.category_code, regionCode: row.region_code, projectId: row.project_id,
    bodyHtml: row.body_html, attachmentIds: row.attachment_ids, publisherOrgId: row.publisher_org_id, relatedId: row.related_id, publishedAt,
  };
  const hash = contentHash(content);
  const entry = await appendLedger(
    trx,
    { type: PUBLISHED_EVENT, subjectType: 'announcement', subjectId: row.id, actorId, payload: { contentHash: hash, type: row.type, title: row.title, publisherOrgId: row.publisher_org_id, relatedId: row.related_id, publishedAt: publishedAt.toISOString() } },
    now,
  );
  const tokens = [...documentTokens(row.title, row.body_text), ...filterTags({ categoryCode: row.category_code, type: row.type, regionCode: row.region_code })];
  await markPublished(trx, row.id, { publishedAt, contentHash: hash, publishSeq: entry.seq, reviewedBy: actorId, tokens });
  await emitEvent(
    trx,
    {
      type: PUBLISHED_EVENT,
      payload: { id: row.id, type: row.type, title: row.title, categoryCode: row.category_code, regionCode: row.region_code, projectId: row.project_id, publisherOrgId: row.publisher_org_id, relatedId: row.related_id, publishedAt: publishedAt.toISOString(), contentHash: hash },
      ledgerSeq: entry.seq,
    },
    now,
  );
  return { id: row.id, contentHash: hash, ledgerSeq: entry.seq, publishedAt };
}

/**
 * Create and publish an announcement in one step, inside the caller's transaction. For other modules whose own
 * procedure produces the announcement (opening records, candidate publicity, award notices…) and for the demo
 * seeder; no review step, because the procedure that calls it is itself the authority. Input is sanitised and
 * validated exactly as the workbench's.
 */
export async function createPublishedAnnouncement(
  trx: Tx | DbOrTx,
  input: DraftInput & { publisherOrgId: string; actorId?: string | null },
  now: Date,
): Promise<{ id: string; contentHash: string; ledgerSeq: number; publishedAt: Date }> {
  const clean = checkDraft(input);
  await checkReferences(trx, { categoryCode: clean.categoryCode, relatedId: clean.relatedId ?? null, type: clean.type, fileIds: clean.fileIds, projectId: clean.projectId }, input.publisherOrgId, now);
  const id = await insertDraft(
    trx,
    {
      type: clean.type, title: clean.title, categoryCode: clean.categoryCode, regionCode: clean.regionCode, projectId: clean.projectId ?? null,
      bodyHtml: clean.bodyHtml, bodyText: clean.bodyText, attachmentIds: clean.attachmentIds ?? [], fileIds: clean.fileIds, publisherOrgId: input.publisherOrgId,
      relatedId: clean.relatedId ?? null, createdBy: input.actorId ?? null,
    },
    now,
  );
  const row = await getAnnouncement(trx, id, { forUpdate: true });
  return publishRow(trx, row!, input.actorId ?? null, now);
}
