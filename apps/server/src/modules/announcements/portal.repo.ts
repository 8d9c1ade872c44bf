import { sql } from 'kysely';
import type { DbHandle, DbOrTx } from '../../platform/db/database';
import { ShapeCache } from '../../platform/db/prepared';
import { queryTokens, toTsquery, type QueryToken } from './search-tokens';
import './announcements.tables';

export interface SearchFilters {
  q?: string;
  categoryCode?: string;
  /** GB/T 2260 prefix: '35' province, '3502' city, '350203' county. */
  regionPrefix?: string;
  type?: string;
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  after?: { publishedAt: Date; id: string };
  limit: number;
}

export const LIST_COLUMNS = [
  'id',
  'type',
  'title',
  'category_code',
  'region_code',
  'publisher_org_id',
  'related_id',
  'project_id',
  'published_at',
  'body_text',
] as const;

/**
 * Rows scanned newest-first before giving up on the "common terms" plan (ADR 0006). If at least limit+1 of the
 * newest WINDOW rows in the filtered range match, those are the answer; otherwise the terms are rare enough that
 * the GIN bitmap plan touches few rows.
 */
const RECENT_WINDOW = 1000;

/** Which filters a request uses: with the page size, this alone decides the SQL text of a list query. */
interface FilterShape {
  category?: 'exact' | 'root';
  type?: boolean;
  region?: boolean;
  from?: boolean;
  to?: boolean;
  after?: boolean;
}

function shapeOf(f: SearchFilters): FilterShape {
  return {
    category: f.categoryCode ? (f.categoryCode.includes('.') ? 'exact' : 'root') : undefined,
    type: !!f.type,
    region: !!f.regionPrefix,
    from: !!f.from,
    to: !!f.to,
    after: !!f.after,
  };
}

/** The request's filter values by parameter name. */
function filterValues(f: SearchFilters): Record<string, unknown> {
  return {
    category: f.categoryCode,
    type: f.type,
    regionLow: f.regionPrefix?.padEnd(6, '0'),
    regionHigh: f.regionPrefix?.padEnd(6, '9'),
    from: f.from,
    to: f.to,
    afterAt: f.after?.publishedAt,
    afterId: f.after?.id,
  };
}

type Value = <T>(name: string) => T;
// 'published' is written into the SQL text, not sent as a parameter: the public indexes are partial indexes on
// it, and a prepared statement's generic plan can only use them when the value is part of the statement.
const published = (db: DbOrTx) => db.selectFrom('announcements').where('status', '=', sql.lit('published'));
type Published = ReturnType<typeof published>;

function whereColumns(qb: Published, s: FilterShape, v: Value): Published {
  if (s.category === 'exact') qb = qb.where('category_code', '=', v<string>('category'));
  if (s.category === 'root') qb = qb.where('category_root', '=', v<string>('category'));
  if (s.type) qb = qb.where('type', '=', v<string>('type'));
  if (s.region) qb = qb.where('region_code', '>=', v<string>('regionLow')).where('region_code', '<=', v<string>('regionHigh'));
  return qb;
}

function whereRange(qb: Published, s: FilterShape, v: Value): Published {
  if (s.from) qb = qb.where('published_at', '>=', v<Date>('from'));
  if (s.to) qb = qb.where('published_at', '<', v<Date>('to'));
  if (s.after) qb = qb.where(sql<boolean>`(published_at, id) < (${v<Date>('afterAt')}, ${v<string>('afterId')}::uuid)`);
  return qb;
}

export interface ListPageRow {
  id: string;
  type: string;
  title: string;
  category_code: string;
  region_code: string;
  publisher_org_id: string;
  related_id: string | null;
  project_id: string | null;
  published_at: Date;
  publisher_name: string;
}

const listShapes = new ShapeCache<string, ListPageRow>('portal_list');

/**
 * The public list without search terms, newest first, keyset-paged on (published_at, id): one query, served by
 * the btree indexes on (category|type|region, published_at) or on published_at alone, with the publisher's name
 * looked up per row (at most limit+1 primary-key probes) instead of in a second round trip. Only the columns the
 * list shows are read: the body stays in the database.
 *
 * The SQL is compiled once per filter shape. Shapes whose plan does not depend on the values — no filter, or a
 * single equality filter (category or type), with or without date bounds and cursor — run as named prepared
 * statements on PostgreSQL, so they are planned once per connection; shapes with a region range or two equality
 * filters are planned for their values on every request (see ShapeCache).
 */
export async function listPublished(handle: DbHandle, f: Omit<SearchFilters, 'q'>) {
  const s = shapeOf(f);
  const take = f.limit + 1;
  const key = `${s.category ?? ''}|${s.type ? 't' : ''}|${s.region ? 'r' : ''}|${s.from ? 'f' : ''}|${s.to ? 'u' : ''}|${s.after ? 'a' : ''}|${take}`;
  const generic = !s.region && !(s.category && s.type);
  const rows = await listShapes.execute(
    handle,
    key,
    (v) =>
      whereRange(whereColumns(published(handle.db), s, v), s, v)
        .select([
          'id', 'type', 'title', 'category_code', 'region_code', 'publisher_org_id', 'related_id', 'project_id', 'published_at',
          (eb) => eb.selectFrom('organisations as o').select('o.name').whereRef('o.id', '=', 'announcements.publisher_org_id').$asScalar().$notNull().as('publisher_name'),
        ])
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        // A literal, like the status: one statement per page size (1–50), and a generic plan that knows the limit.
        .limit(sql.lit(take)),
    filterValues(f),
    { generic },
  );
  return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
}

const versionShape = new ShapeCache<'v', { v: number | null }>('portal_version');

/**
 * The publication version: the highest publish_seq visible. Sequence numbers are ledger positions assigned under
 * the ledger head's row lock, i.e. in commit order, and published rows never change (migration 0040): two reads
 * that see the same version see the same published announcements. One index-only probe at the end of the
 * publish_seq index, a prepared statement with a generic plan.
 */
export async function publishedVersion(handle: DbHandle): Promise<number> {
  const [row] = await versionShape.execute(handle, 'v', () => handle.db.selectFrom('announcements').select(sql<number | null>`max(publish_seq)`.as('v')), {}, { generic: true });
  return row?.v ?? 0;
}

/**
 * Public search in publish order, newest first, keyset-paged on (published_at, id). Requests without search
 * terms go to listPublished.
 *
 * We never let the planner choose on its own: its estimates for ANDed bigrams are poor in both directions (bigrams
 * of one word are correlated, terms of different kinds anti-correlated), and a wrong guess costs seconds. So:
 *  1. check the newest RECENT_WINDOW rows of the filtered range against the tsquery (bounded work; wins when the
 *     terms are common);
 *  2. failing that, a GIN bitmap lookup with the filters as tags inside the tsquery, materialised so it cannot
 *     be turned into an unbounded index walk, then a top-N sort (wins when the terms are rare).
 */
export async function searchPublished(db: DbOrTx, f: SearchFilters & { q: string }) {
  const tokens: QueryToken[] = queryTokens(f.q);
  const s = shapeOf(f);
  const values = filterValues(f);
  const v: Value = <T>(name: string) => values[name] as T;
  const take = f.limit + 1;
  // Text without a searchable token (only punctuation, say): the caller lists without terms instead.
  if (!tokens.length) return { rows: [], more: false, tokens };

  const textQuery = toTsquery(tokens);
  // The window is already in page order, so the outer ORDER BY needs no sort and LIMIT stops at the first
  // limit+1 matches: for common terms this reads a few dozen rows, not the whole window.
  const recent = whereRange(whereColumns(published(db), s, v), s, v)
    .select([...LIST_COLUMNS, 'search_tokens'])
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(RECENT_WINDOW);
  const step1 = await db
    .selectFrom(recent.as('w'))
    .select(LIST_COLUMNS.map((c) => `w.${c}` as const))
    .where(sql<boolean>`w.search_tokens @@ ${textQuery}::tsquery`)
    .orderBy('w.published_at', 'desc')
    .orderBy('w.id', 'desc')
    .limit(take)
    .execute();
  if (step1.length === take) return { rows: step1.slice(0, f.limit), more: true, tokens };

  const tags: QueryToken[] = [];
  if (f.categoryCode) tags.push({ lexeme: `c:${f.categoryCode}`, prefix: false });
  if (f.type) tags.push({ lexeme: `t:${f.type}`, prefix: false });
  if (f.regionPrefix) tags.push({ lexeme: `r:${f.regionPrefix}`, prefix: false });
  const rows = await db
    .with(
      (cte) => cte('m').materialized(),
      () => whereRange(published(db).where(sql<boolean>`search_tokens @@ ${toTsquery([...tokens, ...tags])}::tsquery`), s, v).select(LIST_COLUMNS),
    )
    .selectFrom('m')
    .selectAll()
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(take)
    .execute();
  return { rows: rows.slice(0, f.limit), more: rows.length > f.limit, tokens };
}

export async function orgNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Published announcements that name this one (its change and termination notices, …), oldest first. */
export async function publishedReferrers(db: DbOrTx, id: string) {
  return db
    .selectFrom('announcements')
    .select(['id', 'type', 'title', 'published_at'])
    .where('related_id', '=', id)
    .where('status', '=', 'published')
    .orderBy('publish_seq', 'asc')
    .execute();
}

/**
 * Feed page by publication sequence (the ledger position of each publication). Sequence numbers are assigned
 * under the ledger head's row lock, i.e. in commit order, so once a reader sees number N every smaller number is
 * already visible: paging "after N" can neither skip an item nor repeat one, whatever the timestamps.
 */
export async function feedPage(
  db: DbOrTx,
  f: { afterSeq?: number; categoryCode?: string; type?: string; regionPrefix?: string; limit: number },
) {
  let q = db
    .selectFrom('announcements')
    .select([...LIST_COLUMNS, 'body_html', 'publish_seq', 'content_hash'])
    .where('status', '=', 'published');
  if (f.categoryCode)
    q = f.categoryCode.includes('.') ? q.where('category_code', '=', f.categoryCode) : q.where('category_root', '=', f.categoryCode);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.regionPrefix)
    q = q.where('region_code', '>=', f.regionPrefix.padEnd(6, '0')).where('region_code', '<=', f.regionPrefix.padEnd(6, '9'));
  if (f.afterSeq !== undefined) q = q.where('publish_seq', '>', f.afterSeq).orderBy('publish_seq', 'asc');
  else q = q.orderBy('publish_seq', 'desc');
  return q.limit(f.limit).execute();
}

/** Counts for the portal's charts. Days are Beijing calendar days. */
export async function stats(db: DbOrTx, now: Date) {
  const pub = () => db.selectFrom('announcements').where('status', '=', 'published');
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const [byType, byCategory, byRegion, daily, total] = await Promise.all([
    pub()
      .select(['type as key', sql<number>`count(*)::int`.as('count')])
      .groupBy('type')
      .orderBy('count', 'desc')
      .execute(),
    pub()
      .select(['category_root as key', sql<number>`count(*)::int`.as('count')])
      .groupBy('category_root')
      .orderBy('count', 'desc')
      .execute(),
    pub()
      .select(['region_code as key', sql<number>`count(*)::int`.as('count')])
      .groupBy('region_code')
      .orderBy('count', 'desc')
      .limit(100)
      .execute(),
    pub()
      .select([
        sql<string>`to_char(published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`.as('day'),
        sql<number>`count(*)::int`.as('count'),
      ])
      .where('published_at', '>=', since)
      .groupBy(sql`1`)
      .execute(),
    pub()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { byType, byCategory, byRegion, daily, total: total.n };
}

/** Display data of attachments, in the announcement's order. */
export async function attachmentMeta(db: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('file_uploads as u')
    .innerJoin('files as f', 'f.sha256', 'u.sha256')
    .select(['u.id', 'u.original_name', 'f.size', 'f.mime', 'f.sha256'])
    .where('u.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id, name: r.original_name, size: r.size, mime: r.mime, sha256: r.sha256, url: `/api/files/${id}` }] : [];
  });
}
