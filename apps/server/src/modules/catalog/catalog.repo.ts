import type { DbOrTx } from '../../platform/db/database';
import { versionInForce, type CatalogEntry, type MaterialSpec, type ProcedureType, type Threshold } from './catalog.rules';
import './catalog.tables';

export interface VersionRow {
  id: string;
  versionNo: number;
  title: string;
  status: 'draft' | 'published';
  basedOn: string | null;
  createdAt: Date;
  publishedAt: Date | null;
  commentUntil: Date | null;
  effectiveFrom: Date | null;
}

const VERSION_COLUMNS = ['id', 'version_no', 'title', 'status', 'based_on', 'created_at', 'published_at', 'comment_until', 'effective_from'] as const;

function toVersion(r: { id: string; version_no: number; title: string; status: 'draft' | 'published'; based_on: string | null; created_at: Date; published_at: Date | null; comment_until: Date | null; effective_from: Date | null }): VersionRow {
  return {
    id: r.id,
    versionNo: r.version_no,
    title: r.title,
    status: r.status,
    basedOn: r.based_on,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    commentUntil: r.comment_until,
    effectiveFrom: r.effective_from,
  };
}

const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function listVersions(db: DbOrTx): Promise<VersionRow[]> {
  const rows = await db.selectFrom('catalog_versions').select(VERSION_COLUMNS).orderBy('version_no', 'desc').execute();
  return rows.map(toVersion);
}

export async function getVersion(db: DbOrTx, id: string, forUpdate = false): Promise<VersionRow | undefined> {
  let q = db.selectFrom('catalog_versions').select(VERSION_COLUMNS).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toVersion(r);
}

/** The version in force at `now`: published, latest effective-from not after now. */
export async function getVersionInForce(db: DbOrTx, now: Date): Promise<VersionRow | undefined> {
  const rows = await db
    .selectFrom('catalog_versions')
    .select(VERSION_COLUMNS)
    .where('status', '=', 'published')
    .where('effective_from', '<=', now)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .execute();
  return versionInForce(rows.map(toVersion), now);
}

export async function listEntries(db: DbOrTx, versionId: string): Promise<CatalogEntry[]> {
  const rows = await db.selectFrom('catalog_entries').selectAll().where('version_id', '=', versionId).orderBy('sort_order').orderBy('code').execute();
  return rows.map((r) => ({
    code: r.code,
    parentCode: r.parent_code,
    sortOrder: r.sort_order,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    industry: r.industry,
    thresholds: parse<Threshold[]>(r.thresholds),
    procedures: r.procedures as ProcedureType[],
    materials: parse<MaterialSpec[]>(r.materials),
    basis: r.basis,
  }));
}

export async function nextVersionNo(db: DbOrTx): Promise<number> {
  const r = await db.selectFrom('catalog_versions').select((eb) => eb.fn.max('version_no').as('max')).executeTakeFirst();
  return Number(r?.max ?? 0) + 1;
}

export async function latestEffectiveFrom(db: DbOrTx): Promise<Date | undefined> {
  const r = await db
    .selectFrom('catalog_versions')
    .select('effective_from')
    .where('status', '=', 'published')
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.effective_from ?? undefined;
}

export interface CommentRow {
  id: string;
  entryCode: string | null;
  authorName: string;
  orgName: string | null;
  body: string;
  createdAt: Date;
}

export async function listComments(db: DbOrTx, versionId: string): Promise<CommentRow[]> {
  const rows = await db
    .selectFrom('catalog_comments')
    .select(['id', 'entry_code', 'author_name', 'org_name', 'body', 'created_at'])
    .where('version_id', '=', versionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, entryCode: r.entry_code, authorName: r.author_name, orgName: r.org_name, body: r.body, createdAt: r.created_at }));
}
