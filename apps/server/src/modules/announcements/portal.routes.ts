import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ANNOUNCEMENT_TYPE_LABELS, type AnnouncementType } from '@yiwang/contracts';
import { regionPrefix } from '../../platform/auth/policies';
import { Errors } from '../../platform/http/errors';
import { decodeCursor, encodeCursor, ProblemSchema, Uuid } from '../../platform/http/schemas';
import { getAnnouncement } from './announcements.repo';
import { notFound } from './announcements.policy';
import { portalDetail, portalItem, PortalDetailSchema, PortalItemSchema, TypeSchema, type ListRow } from './announcements.presenter';
import { attachmentMeta, feedPage, listPublished, orgNames, publishedReferrers, publishedVersion, searchPublished, stats } from './portal.repo';
import { FirstPageCache } from './portal.cache';
import { highlightTerms, queryTokens } from './search-tokens';
import { atomFeed, jsonFeed } from './portal.feeds';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const BEIJING = '+08:00';
const STATS_TTL_MS = 60_000;
/** Rendered first pages kept per node (ADR 0012): ≤ 50 items each, so a few MB at most. */
const FIRST_PAGE_CACHE_ENTRIES = 256;
const JSON_TYPE = 'application/json; charset=utf-8';

const Filters = {
  category: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$', maxLength: 64 })),
  region: Type.Optional(Type.String({ pattern: '^[0-9]{2}([0-9]{2}){0,2}$' })),
  type: Type.Optional(TypeSchema),
};

/** A date bound: 'YYYY-MM-DD' is a Beijing calendar day (`to` includes that whole day); otherwise an ISO instant. */
function parseBound(value: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (!value) return undefined;
  const d = DAY.test(value) ? new Date(`${value}T00:00:00${BEIJING}`) : new Date(value);
  if (Number.isNaN(d.getTime())) throw Errors.validation(field, `日期 ${field} 无效（YYYY-MM-DD 或 ISO 8601）`, `The ${field} date is invalid (YYYY-MM-DD or ISO 8601)`);
  return DAY.test(value) && field === 'to' ? new Date(d.getTime() + 86_400_000) : d;
}

/** Search cursor: the (published_at, id) of the last row of the previous page. */
function parseSearchCursor(cursor: string | undefined): { publishedAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const c = decodeCursor(cursor, 2);
  const at = c ? new Date(String(c[0])) : undefined;
  if (!c || !at || Number.isNaN(at.getTime()) || !UUID_RE.test(String(c[1]))) throw Errors.validation('cursor', '分页游标无效', 'The cursor is invalid', 'CURSOR_INVALID');
  return { publishedAt: at, id: String(c[1]) };
}

/** Feed cursor: a publication sequence number, opaque to clients. 'start' reads from the first announcement. */
function parseFeedCursor(after: string | undefined): number | undefined {
  if (after === undefined) return undefined;
  if (after === 'start') return 0;
  const c = decodeCursor(after, 2);
  if (!c || c[0] !== 'p' || !Number.isSafeInteger(c[1])) throw Errors.validation('after', '订阅游标无效', 'The feed cursor is invalid', 'CURSOR_INVALID');
  return c[1] as number;
}
export const feedCursor = (seq: number) => encodeCursor(['p', seq]);

export function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

/** 门户: public, no sign-in. Only published announcements exist here. */
export async function portalRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  // Per application instance: each node (and each test app) has its own, checked against its own database.
  const firstPages = new FirstPageCache(FIRST_PAGE_CACHE_ENTRIES);

  app.get('/api/portal/announcements', {
    schema: {
      tags: ['portal'],
      summary: '公告检索 / Search announcements',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 100 })),
        ...Filters,
        from: Type.Optional(Type.String({ maxLength: 40 })),
        to: Type.Optional(Type.String({ maxLength: 40 })),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(PortalItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 400: ProblemSchema },
    },
  }, async (req, reply) => {
    const q = req.query as { q?: string; category?: string; region?: string; type?: string; from?: string; to?: string; cursor?: string; limit: number };
    const filters = {
      categoryCode: q.category,
      regionPrefix: q.region ? regionPrefix(q.region) : undefined,
      type: q.type,
      from: parseBound(q.from, 'from'),
      to: parseBound(q.to, 'to'),
      after: parseSearchCursor(q.cursor),
      limit: q.limit,
    };
    const text = q.q?.trim();
    let page: { rows: ListRow[]; more: boolean; names?: Map<string, string>; terms?: string[] };
    let cached: { key: string; version: number } | undefined;
    if (text && queryTokens(text).length) {
      // Search: rows, then the publishers' names (kept apart from the list path so ADR 0006's plans stay as measured).
      const found = await searchPublished(ctx.db, { ...filters, q: text });
      page = { ...found, names: await orgNames(ctx.db, found.rows.map((r) => r.publisher_org_id)), terms: highlightTerms(text) };
    } else {
      if (!filters.after) {
        // First pages (the portal's home and its filter tabs) come from the cache while no announcement has been
        // published since they were rendered (ADR 0012).
        cached = { key: JSON.stringify([q.category, filters.regionPrefix, q.type, filters.from?.getTime(), filters.to?.getTime(), q.limit]), version: await publishedVersion(ctx.handle) };
        const hit = firstPages.get(cached.key, cached.version);
        if (hit !== undefined) return reply.type(JSON_TYPE).send(hit);
      }
      page = await listPublished(ctx.handle, filters);
    }
    const last = page.rows.at(-1);
    const body = {
      items: page.rows.map((r) => portalItem(r, page.names?.get(r.publisher_org_id) ?? r.publisher_name ?? '', page.terms)),
      nextCursor: page.more && last ? encodeCursor([last.published_at!.toISOString(), last.id]) : null,
    };
    if (!cached) return body;
    // Serialised by the route's own response schema, so a cached answer is byte for byte what it would have sent.
    const json = reply.serialize(body) as string;
    firstPages.set(cached.key, cached.version, json);
    return reply.type(JSON_TYPE).send(json);
  });

  app.get('/api/portal/announcements/:id', {
    schema: { tags: ['portal'], summary: '公告详情 / Announcement', params: Type.Object({ id: Uuid }), response: { 200: PortalDetailSchema, 404: ProblemSchema } },
  }, async (req) => {
    const row = await getAnnouncement(ctx.db, (req.params as { id: string }).id);
    // Drafts and announcements in review do not exist for the public, whoever asks.
    if (!row || row.status !== 'published') throw notFound();
    const related = row.related_id ? await getAnnouncement(ctx.db, row.related_id) : undefined;
    const changes = await publishedReferrers(ctx.db, row.id);
    const ref = (r: { id: string; type: string; title: string; published_at: Date | null }) => ({ id: r.id, type: r.type as AnnouncementType, title: r.title, publishedAt: r.published_at!.toISOString() });
    return portalDetail(row, related && related.status === 'published' ? ref(related) : null, changes.map(ref), await attachmentMeta(ctx.db, row.attachment_ids));
  });

  let statsCache: { at: number; value: unknown } | undefined;
  const Count = (key: string) => Type.Array(Type.Object({ [key]: Type.String(), count: Type.Integer() }));
  app.get('/api/portal/stats', {
    schema: {
      tags: ['portal'],
      summary: '公告统计 / Announcement statistics',
      response: {
        200: Type.Object({
          total: Type.Integer(),
          byType: Type.Array(Type.Object({ type: Type.String(), labelZh: Type.String(), count: Type.Integer() })),
          byCategory: Count('categoryCode'),
          byRegion: Count('regionCode'),
          last30Days: Type.Array(Type.Object({ date: Type.String(), count: Type.Integer() })),
        }),
      },
    },
  }, async () => {
    const now = ctx.clock.now();
    // Five GROUP BYs over every published row take ~100 ms at 200k rows: the portal's home page must not pay that
    // on every visit, and charts can be a minute old. One cached answer per API node.
    if (statsCache && now.getTime() - statsCache.at < STATS_TTL_MS && now.getTime() >= statsCache.at) return statsCache.value;
    const s = await stats(ctx.db, now);
    const perDay = new Map(s.daily.map((d) => [d.day, d.count]));
    const last30Days = [];
    for (let i = 29; i >= 0; i--) {
      const date = new Date(now.getTime() + 8 * 3_600_000 - i * 86_400_000).toISOString().slice(0, 10);
      last30Days.push({ date, count: perDay.get(date) ?? 0 });
    }
    const value = {
      total: s.total,
      byType: s.byType.map((r) => ({ type: r.key, labelZh: ANNOUNCEMENT_TYPE_LABELS[r.key as AnnouncementType]?.zh ?? r.key, count: r.count })),
      byCategory: s.byCategory.map((r) => ({ categoryCode: r.key, count: r.count })),
      byRegion: s.byRegion.map((r) => ({ regionCode: r.key, count: r.count })),
      last30Days,
    };
    statsCache = { at: now.getTime(), value };
    return value;
  });

  const FeedQuery = Type.Object({
    after: Type.Optional(Type.String({ maxLength: 200 })),
    ...Filters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  }, { additionalProperties: false });
  type FeedQ = { after?: string; category?: string; region?: string; type?: string; limit: number };
  const loadFeed = async (req: FastifyRequest) => {
    const q = req.query as FeedQ;
    const afterSeq = parseFeedCursor(q.after);
    const rows = await feedPage(ctx.db, { afterSeq, categoryCode: q.category, type: q.type, regionPrefix: q.region ? regionPrefix(q.region) : undefined, limit: q.limit });
    const names = await orgNames(ctx.db, rows.map((r) => r.publisher_org_id));
    // The cursor for the next poll: the highest sequence number delivered (or the one given, when nothing is new).
    const maxSeq = rows.reduce((m, r) => Math.max(m, r.publish_seq!), afterSeq ?? 0);
    const params = new URLSearchParams(Object.entries({ ...q, after: feedCursor(maxSeq) }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)] as [string, string]));
    return { rows, names, cursor: feedCursor(maxSeq), paging: afterSeq !== undefined, full: rows.length === q.limit, params };
  };

  app.get('/api/portal/feed.json', {
    schema: { tags: ['portal'], summary: '公告订阅（JSON Feed 1.1）/ Announcements feed (JSON Feed 1.1)', querystring: FeedQuery, response: { 400: ProblemSchema } },
  }, async (req, reply) => {
    const f = await loadFeed(req);
    return reply.type('application/feed+json; charset=utf-8').send(jsonFeed(baseUrl(req), f));
  });

  app.get('/api/portal/feed.atom', {
    schema: { tags: ['portal'], summary: '公告订阅（Atom）/ Announcements feed (Atom)', querystring: FeedQuery, response: { 400: ProblemSchema } },
  }, async (req, reply) => {
    const f = await loadFeed(req);
    return reply.type('application/atom+xml; charset=utf-8').send(atomFeed(baseUrl(req), f, ctx.clock.now()));
  });
}
