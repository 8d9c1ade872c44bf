import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app';
import { createTestApp, describeEngines, seedAccount, type TestApp } from '../../../test/harness';
import { ensureCatalogSeeded } from '../catalog/index';
import { createPublishedAnnouncement } from './index';

// The portal list without search terms (one query per page, compiled once per filter shape, run as a prepared
// statement on PostgreSQL): what a visitor sees for every filter shape, page after page, and repeated often enough
// that PostgreSQL switches the prepared statements to generic plans (after five executions per connection).

interface Published {
  id: string;
  type: string;
  title: string;
  categoryCode: string;
  regionCode: string;
  publisherOrgId: string;
  publisherName: string;
  publishedAt: string;
}

const CATEGORIES = ['works.municipal', 'gp.goods', 'gp.services', 'land'];
const REGIONS = ['350203', '350211', '350102', '350205'];

describeEngines('portal list without search terms', (engine) => {
  let t: TestApp;
  const all: Published[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine);
    await ensureCatalogSeeded(t.ctx.db, t.clock.now());
    const orgs = [
      { name: '厦门甲招标代理有限公司', id: (await seedAccount(t.ctx, { username: 'a', roles: [{ role: 'agency' }], org: { name: '厦门甲招标代理有限公司', uscc: '91350200MA31234560' } })).orgId! },
      { name: '福州乙建设单位', id: (await seedAccount(t.ctx, { username: 'b', roles: [{ role: 'tenderer' }], org: { name: '福州乙建设单位', uscc: '91350200MA31234579' } })).orgId! },
    ];
    const start = t.clock.now().getTime();
    await t.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 36; i++) {
        const categoryCode = CATEGORIES[i % 4]!;
        const type = categoryCode === 'land' ? 'transfer_notice' : i % 3 === 0 ? 'award_notice' : 'tender_notice';
        const org = orgs[i % 2]!;
        // Every fourth one shares its instant with the previous one: the keyset must order ties by id.
        const at = new Date(start + (i - (i % 4 === 3 ? 1 : 0)) * 60_000);
        const title = `列表测试公告第${i}号（${categoryCode}）`;
        const input = { type, title, categoryCode, regionCode: REGIONS[(i >> 1) % 4]!, bodyHtml: `<p>正文${i}</p>`, publisherOrgId: org.id } as Parameters<typeof createPublishedAnnouncement>[1];
        const r = await createPublishedAnnouncement(trx, input, at);
        all.push({ id: r.id, type, title, categoryCode, regionCode: input.regionCode, publisherOrgId: org.id, publisherName: org.name, publishedAt: r.publishedAt.toISOString() });
      }
    });
  });
  afterAll(() => t.close());

  const newestFirst = (xs: Published[]) =>
    [...xs].sort((a, b) => (a.publishedAt === b.publishedAt ? (a.id < b.id ? 1 : -1) : a.publishedAt < b.publishedAt ? 1 : -1));

  async function pages(query: Record<string, string>, limit: number) {
    const seen: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const qs = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
      const res = await t.app.inject(`/api/portal/announcements?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  }

  const cases: [string, Record<string, string>, (p: Published) => boolean][] = [
    ['no filter', {}, () => true],
    ['category (exact)', { category: 'gp.goods' }, (p) => p.categoryCode === 'gp.goods'],
    ['category (parent)', { category: 'gp' }, (p) => p.categoryCode.startsWith('gp.')],
    ['type', { type: 'award_notice' }, (p) => p.type === 'award_notice'],
    ['city prefix', { region: '3502' }, (p) => p.regionCode.startsWith('3502')],
    ['county', { region: '350102' }, (p) => p.regionCode === '350102'],
    ['category and type', { category: 'works', type: 'tender_notice' }, (p) => p.categoryCode.startsWith('works.') && p.type === 'tender_notice'],
    ['category and region', { category: 'gp.goods', region: '3502' }, (p) => p.categoryCode === 'gp.goods' && p.regionCode.startsWith('3502')],
    ['no match', { category: 'land', type: 'award_notice' }, () => false],
  ];

  it('shows exactly the published announcements each filter selects, newest first, with the publisher and no body', async () => {
    for (const [name, query, keep] of cases) {
      const expected = newestFirst(all.filter(keep));
      // Several page sizes, each walked to the end, so every shape runs well past five times on each engine.
      for (const limit of [2, 7, 50]) {
        const got = await pages(query, limit);
        expect(got.map((x) => x.id), `${name}, limit ${limit}`).toEqual(expected.map((x) => x.id));
      }
      for (const item of (await pages(query, 50)).slice(0, 3)) {
        const p = all.find((x) => x.id === item.id)!;
        expect(item).toEqual({
          id: p.id, type: p.type, title: p.title, categoryCode: p.categoryCode, regionCode: p.regionCode, publisherOrgId: p.publisherOrgId,
          publisherName: p.publisherName, projectId: null, relatedId: null, publishedAt: p.publishedAt,
        });
      }
    }
  });

  it('applies date bounds (Beijing days) together with other filters', async () => {
    const from = all[10]!.publishedAt;
    const to = all[30]!.publishedAt;
    const inRange = (p: Published) => p.publishedAt >= from && p.publishedAt < to;
    expect((await pages({ from, to }, 4)).map((x) => x.id)).toEqual(newestFirst(all.filter(inRange)).map((x) => x.id));
    expect((await pages({ from, category: 'land' }, 2)).map((x) => x.id)).toEqual(
      newestFirst(all.filter((p) => p.publishedAt >= from && p.categoryCode === 'land')).map((x) => x.id),
    );
    // Whole days: everything was published on 2026-11-02 (Beijing), nothing on the day before.
    expect(await pages({ to: '2026-11-01' }, 10)).toHaveLength(0);
    expect(await pages({ from: '2026-11-02', to: '2026-11-02' }, 50)).toHaveLength(all.length);
  });

  it('lists drafts never, and a newly published announcement on the next request of every node (first pages are cached)', async () => {
    // A second API node over the same database, with its own first-page cache (ADR 0012).
    const other = await buildApp({ ctx: t.ctx });
    try {
      const nodes = [t.app, other];
      const first = async (app: FastifyInstance, qs = '') => {
        const res = await app.inject(`/api/portal/announcements${qs}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        return res.json() as { items: { id: string; title: string }[]; nextCursor: string | null };
      };
      const FILTERED = '?category=gp.goods&region=3502';
      // Warm both nodes' caches: the same answer twice (the second from the cache), on both nodes.
      const before = await first(t.app);
      const beforeFiltered = await first(t.app, FILTERED);
      for (const app of nodes) {
        for (let i = 0; i < 2; i++) {
          expect(await first(app)).toEqual(before);
          expect(await first(app, FILTERED)).toEqual(beforeFiltered);
        }
      }
      expect(before.items[0]!.id).toBe(newestFirst(all)[0]!.id);
      const org = all[0]!.publisherOrgId;
      await t.ctx.db
        .insertInto('announcements')
        .values({ type: 'tender_notice', title: '尚未发布的草稿', category_code: 'gp.goods', region_code: '350203', body_html: '<p>x</p>', body_text: 'x', publisher_org_id: org, created_at: t.clock.now(), updated_at: t.clock.now() })
        .execute();
      for (const app of nodes) expect((await first(app)).items.map((x) => x.title)).not.toContain('尚未发布的草稿');
      // Published "on the first node" (the publish command's own transaction); both nodes show it next time.
      const later = new Date(Date.parse(newestFirst(all)[0]!.publishedAt) + 60_000);
      const r = await t.ctx.db.transaction().execute((trx) =>
        createPublishedAnnouncement(trx, { type: 'tender_notice', title: '刚刚发布的公告', categoryCode: 'gp.goods', regionCode: '350203', bodyHtml: '<p>新</p>', publisherOrgId: org } as Parameters<typeof createPublishedAnnouncement>[1], later),
      );
      for (const app of [other, t.app]) {
        const after = await first(app);
        expect(after.items[0]).toMatchObject({ id: r.id, title: '刚刚发布的公告' });
        expect(after.items.slice(1).map((x) => x.id)).toEqual(before.items.slice(0, -1).map((x) => x.id));
        expect((await first(app, FILTERED)).items.map((x) => x.id)).toEqual([r.id, ...beforeFiltered.items.map((x) => x.id)].slice(0, 20));
        // The cursor of a cached first page still leads to the right second page.
        const next = await first(app, `?cursor=${after.nextCursor}`);
        expect(next.items[0]!.id).toBe(before.items.at(-1)!.id);
      }
      all.push({ id: r.id, type: 'tender_notice', title: '刚刚发布的公告', categoryCode: 'gp.goods', regionCode: '350203', publisherOrgId: org, publisherName: all[0]!.publisherName, publishedAt: later.toISOString() });
    } finally {
      await other.close();
    }
  });

  it('treats text without searchable terms as no text, and keeps search highlighting', async () => {
    const plain = (await t.app.inject('/api/portal/announcements?limit=5')).json();
    expect((await t.app.inject(`/api/portal/announcements?limit=5&q=${encodeURIComponent('，。！')}`)).json()).toEqual(plain);
    const found = (await t.app.inject(`/api/portal/announcements?q=${encodeURIComponent('列表测试')}&limit=3`)).json() as { items: { highlight?: unknown; publisherName: string }[] };
    expect(found.items).toHaveLength(3);
    expect(found.items.every((x) => x.highlight && x.publisherName)).toBe(true);
  });
});
