import { sql } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
import './announcements.tables';
import '../intake/intake.tables';

export type AnnouncementRow = Awaited<ReturnType<typeof getAnnouncement>> & {};

const COLUMNS = [
  'a.id', 'a.type', 'a.title', 'a.category_code', 'a.region_code', 'a.project_id', 'a.body_html', 'a.body_text', 'a.attachment_ids', 'a.file_ids',
  'a.publisher_org_id', 'a.related_id', 'a.status', 'a.reject_reason', 'a.created_by', 'a.created_at', 'a.updated_at', 'a.submitted_at',
  'a.reviewed_by', 'a.published_at', 'a.content_hash', 'a.publish_seq',
] as const;

export async function getAnnouncement(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('announcements as a').innerJoin('organisations as o', 'o.id', 'a.publisher_org_id').select([...COLUMNS, 'o.name as publisher_name']).where('a.id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface NewAnnouncement {
  type: string;
  title: string;
  categoryCode: string;
  regionCode: string;
  projectId: string | null;
  bodyHtml: string;
  bodyText: string;
  attachmentIds: string[];
  fileIds: string[];
  publisherOrgId: string;
  relatedId: string | null;
  createdBy: string | null;
}

export async function insertDraft(db: DbOrTx, a: NewAnnouncement, now: Date): Promise<string> {
  const r = await db
    .insertInto('announcements')
    .values({
      type: a.type, title: a.title, category_code: a.categoryCode, region_code: a.regionCode, project_id: a.projectId, body_html: a.bodyHtml,
      body_text: a.bodyText, attachment_ids: a.attachmentIds, file_ids: a.fileIds, publisher_org_id: a.publisherOrgId, related_id: a.relatedId, status: 'draft',
      reject_reason: null, created_by: a.createdBy, created_at: now, updated_at: now, submitted_at: null, reviewed_by: null, published_at: null,
      content_hash: null, publish_seq: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateDraftContent(db: DbOrTx, id: string, a: Omit<NewAnnouncement, 'publisherOrgId' | 'createdBy'>, now: Date): Promise<void> {
  await db
    .updateTable('announcements')
    .set({
      type: a.type, title: a.title, category_code: a.categoryCode, region_code: a.regionCode, project_id: a.projectId, body_html: a.bodyHtml,
      body_text: a.bodyText, attachment_ids: a.attachmentIds, file_ids: a.fileIds, related_id: a.relatedId, updated_at: now,
    })
    // The status guard makes the repository itself refuse to touch anything but a draft.
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirstOrThrow();
}

export async function setStatus(
  db: DbOrTx,
  id: string,
  from: 'draft' | 'in_review',
  to: { status: 'draft' | 'in_review'; rejectReason?: string | null; submittedAt?: Date | null; reviewedBy?: string | null },
  now: Date,
): Promise<void> {
  const r = await db
    .updateTable('announcements')
    .set({ status: to.status, reject_reason: to.rejectReason ?? null, submitted_at: to.submittedAt ?? null, reviewed_by: to.reviewedBy ?? null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error(`announcement ${id} was not ${from}`);
}

export async function markPublished(
  db: DbOrTx,
  id: string,
  p: { publishedAt: Date; contentHash: string; publishSeq: number; reviewedBy: string | null; tokens: string[] },
): Promise<void> {
  const r = await db
    .updateTable('announcements')
    .set({
      status: 'published', published_at: p.publishedAt, content_hash: p.contentHash, publish_seq: p.publishSeq, reviewed_by: p.reviewedBy,
      reject_reason: null, updated_at: p.publishedAt, search_tokens: sql`array_to_tsvector(${p.tokens}::text[])`,
    })
    .where('id', '=', id)
    .where('status', '!=', 'published')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error(`announcement ${id} is already published`);
}

/** The workbench lists: an organisation's own announcements, or the center's review queue. */
export async function listWorkbench(
  db: DbOrTx,
  f: { orgId?: string; status?: string; reviewQueue?: boolean; after?: { at: Date; id: string }; limit: number },
) {
  let q = db.selectFrom('announcements as a').innerJoin('organisations as o', 'o.id', 'a.publisher_org_id').select([...COLUMNS, 'o.name as publisher_name']);
  // Review queue: oldest submission first (first come, first served); own list: most recently edited first.
  const key = f.reviewQueue ? 'a.submitted_at' : 'a.updated_at';
  if (f.reviewQueue) q = q.where('a.status', '=', 'in_review');
  if (f.orgId) q = q.where('a.publisher_org_id', '=', f.orgId);
  if (f.status) q = q.where('a.status', '=', f.status as 'draft');
  if (f.after) {
    q = f.reviewQueue
      ? q.where(sql<boolean>`(a.submitted_at, a.id) > (${f.after.at}, ${f.after.id}::uuid)`)
      : q.where(sql<boolean>`(a.updated_at, a.id) < (${f.after.at}, ${f.after.id}::uuid)`);
  }
  const dir = f.reviewQueue ? 'asc' : 'desc';
  const rows = await q.orderBy(key, dir).orderBy('a.id', dir).limit(f.limit + 1).execute();
  return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
}

/** Uploads among `ids` that belong to the organisation (uploaded by one of its accounts). */
export async function orgUploads(db: DbOrTx, orgId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('file_uploads').select('id').where('id', 'in', ids).where('org_id', '=', orgId).execute();
  return new Set(rows.map((r) => r.id));
}

/** Is the upload shown by an announcement in one of these statuses? (GIN on file_ids.) */
export async function fileShownBy(db: DbOrTx, fileId: string, statuses: ('in_review' | 'published')[]): Promise<boolean> {
  const r = await db
    .selectFrom('announcements')
    .select('id')
    .where(sql<boolean>`file_ids @> ARRAY[${fileId}]::uuid[]`)
    .where('status', 'in', statuses)
    .limit(1)
    .executeTakeFirst();
  return !!r;
}

/**
 * May this organisation announce for the project? Its owner (招标人) and its agency may. Reads the intake module's
 * table directly (one primary-key select) because intake exports no query for it yet.
 */
export async function projectOpenTo(db: DbOrTx, projectId: string, orgId: string): Promise<boolean> {
  const p = await db.selectFrom('projects').select(['owner_org_id', 'agency_org_id']).where('id', '=', projectId).executeTakeFirst();
  return !!p && (p.owner_org_id === orgId || p.agency_org_id === orgId);
}
