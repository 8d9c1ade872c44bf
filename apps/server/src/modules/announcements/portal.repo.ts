import { sql } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
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

/**
 * Public search in publish order, newest first, keyset-paged on (published_at, id).
 *
 * Without text, the btree indexes on (category|type|region, published_at) serve the page directly. With text we
 * never let the planner choose on its own: its estimates for ANDed bigrams are poor in both directions (bigrams
 * of one word are correlated, terms of different kinds anti-correlated), and a wrong guess costs seconds. So:
 *  1. check the newest RECENT_WINDOW rows of the filtered range against the tsquery (bounded work; wins when the
 *     terms are common);
 *  2. failing that, a GIN bitmap lookup with the filters as tags inside the tsquery, materialised so it cannot
 *     be turned into an unbounded index walk, then a top-N sort (wins when the terms are rare).
 */
export async function searchPublished(db: DbOrTx, f: SearchFilters) {
  const tokens: QueryToken[] = f.q ? queryTokens(f.q) : [];
  const range = (qb: ReturnType<typeof base>) => {
    if (f.from) qb = qb.where('published_at', '>=', f.from);
    if (f.to) qb = qb.where('published_at', '<', f.to);
    if (f.after) qb = qb.where(sql<boolean>`(published_at, id) < (${f.after.publishedAt}, ${f.after.id}::uuid)`);
    return qb;
  };
  const base = () => db.selectFrom('announcements').where('status', '=', 'published');
  const columns = (qb: ReturnType<typeof base>) => {
    if (f.categoryCode)
      qb = f.categoryCode.includes('.') ? qb.where('category_code', '=', f.categoryCode) : qb.where('category_root', '=', f.categoryCode);
    if (f.type) qb = qb.where('type', '=', f.type);
    if (f.regionPrefix)
      qb = qb.where('region_code', '>=', f.regionPrefix.padEnd(6, '0')).where('region_code', '<=', f.regionPrefix.padEnd(6, '9'));
    return qb;
  };
  const take = f.limit + 1;

  if (!tokens.length) {
    // Without search terms there is nothing to highlight: leave the (large) body text in the database.
    const rows = await range(columns(base()))
      .select([...LIST_COLUMNS.filter((c) => c !== 'body_text'), sql<string>`''`.as('body_text')])
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(take)
      .execute();
    return { rows: rows.slice(0, f.limit), more: rows.length > f.limit, tokens };
  }

  const textQuery = toTsquery(tokens);
  // The window is already in page order, so the outer ORDER BY needs no sort and LIMIT stops at the first
  // limit+1 matches: for common terms this reads a few dozen rows, not the whole window.
  const recent = range(columns(base()))
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
      () => range(base().where(sql<boolean>`search_tokens @@ ${toTsquery([...tokens, ...tags])}::tsquery`)).select(LIST_COLUMNS),
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
