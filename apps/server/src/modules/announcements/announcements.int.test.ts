import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { ensureCatalogSeeded } from '../catalog/index';
import { createPublishedAnnouncement } from './index';

const draft = (over: Record<string, unknown> = {}) => ({
  type: 'tender_notice',
  title: '厦门市思明区道路改造工程施工招标公告',
  categoryCode: 'works.municipal',
  regionCode: '350203',
  bodyHtml: '<p>本项目已具备招标条件，现对<strong>道路改造</strong>工程进行公开招标。</p>',
  ...over,
});

describeEngines('announcements: workflow, immutability, search, feeds', (engine) => {
  let t: TestApp;
  let agency: Session;
  let other: Session;
  let reviewer: Session;
  let bidder: Session;
  let agencyOrg: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await ensureCatalogSeeded(t.ctx.db, t.clock.now());
    agencyOrg = (await seedAccount(t.ctx, { username: 'agent', roles: [{ role: 'agency' }], org: { name: '厦门测试招标代理有限公司', uscc: '91350200MA31234560' } })).orgId!;
    await seedAccount(t.ctx, { username: 'rival', roles: [{ role: 'tenderer' }], org: { name: '另一家建设单位', uscc: '91350200MA31234579' } });
    await seedAccount(t.ctx, { username: 'intake', roles: [{ role: 'center_intake' }] });
    await seedAccount(t.ctx, { username: 'supplier', roles: [{ role: 'bidder' }], org: { name: '某供应商', uscc: '91350200MA31234587' } });
    agency = await login(t.app, 'agent');
    other = await login(t.app, 'rival');
    reviewer = await login(t.app, 'intake');
    bidder = await login(t.app, 'supplier');
  });
  afterAll(() => t.close());

  async function publish(over: Record<string, unknown> = {}): Promise<string> {
    const c = await agency.post('/api/announcements', draft(over));
    expect(c.statusCode, c.body).toBe(201);
    const id = c.json().announcement.id as string;
    expect((await agency.post(`/api/announcements/${id}/submit`)).statusCode).toBe(200);
    const a = await reviewer.post(`/api/announcements/${id}/approve`);
    expect(a.statusCode, a.body).toBe(200);
    return id;
  }

  it('runs draft → in_review → rejected → draft → in_review → published, with ledger entry and outbox event', async () => {
    const c = await agency.post('/api/announcements', draft());
    expect(c.statusCode).toBe(201);
    const id = c.json().announcement.id;
    expect(c.json().announcement).toMatchObject({ status: 'draft', publisherName: '厦门测试招标代理有限公司' });
    // Not public while a draft.
    expect((await t.app.inject(`/api/portal/announcements/${id}`)).statusCode).toBe(404);

    expect((await agency.post(`/api/announcements/${id}/submit`)).json().announcement.status).toBe('in_review');
    const rej = await reviewer.post(`/api/announcements/${id}/reject`, { reason: '缺少投标截止时间' });
    expect(rej.json().announcement).toMatchObject({ status: 'draft', rejectReason: '缺少投标截止时间' });

    expect((await agency.put(`/api/announcements/${id}`, draft({ title: '厦门市思明区道路改造工程施工招标公告（补充截止时间）' }))).statusCode).toBe(200);
    await agency.post(`/api/announcements/${id}/submit`);
    const queue = await reviewer.get('/api/announcements?scope=review');
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(id);

    const ok = await reviewer.post(`/api/announcements/${id}/approve`);
    expect(ok.json().announcement).toMatchObject({ status: 'published', publishedAt: t.clock.now().toISOString() });
    const hash = ok.json().announcement.contentHash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);

    const pub = await t.app.inject(`/api/portal/announcements/${id}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ title: '厦门市思明区道路改造工程施工招标公告（补充截止时间）', contentHash: hash });

    const ledger = await t.ctx.db.selectFrom('ledger_entries').selectAll().where('subject_id', '=', id).where('type', '=', 'announcement.published').execute();
    expect(ledger).toHaveLength(1);
    expect((ledger[0]!.payload as { contentHash: string }).contentHash).toBe(hash);
    expect(ledger[0]!.seq).toBe(pub.json().ledgerSeq);
    const events = await t.ctx.db.selectFrom('outbox_events').selectAll().where('type', '=', 'announcement.published').execute();
    expect(events.some((e) => (e.payload as { id: string }).id === id && e.ledger_seq === ledger[0]!.seq)).toBe(true);
  });

  it('never changes a published announcement: API refuses, the database trigger refuses, a change notice links to it', async () => {
    const id = await publish();
    const put = await agency.put(`/api/announcements/${id}`, draft({ title: '偷偷改标题' }));
    expect(put.statusCode).toBe(409);
    expect(problem(put).code).toBe('ANNOUNCEMENT_PUBLISHED_IMMUTABLE');
    expect(problem(await agency.post(`/api/announcements/${id}/submit`)).code).toBe('ANNOUNCEMENT_PUBLISHED_IMMUTABLE');
    expect(problem(await reviewer.post(`/api/announcements/${id}/approve`)).code).toBe('ANNOUNCEMENT_NOT_IN_REVIEW');

    // Even SQL that bypasses the application cannot edit or delete it.
    await expect(t.ctx.db.updateTable('announcements').set({ title: '篡改' }).where('id', '=', id).execute()).rejects.toThrow(/published and cannot be changed/);
    await expect(t.ctx.db.updateTable('announcements').set({ status: 'draft' }).where('id', '=', id).execute()).rejects.toThrow(/cannot be changed/);
    await expect(t.ctx.db.deleteFrom('announcements').where('id', '=', id).execute()).rejects.toThrow(/cannot be deleted/);
    expect((await t.app.inject(`/api/portal/announcements/${id}`)).json().title).toBe(draft().title);

    // A change notice must name the original and comes from the same publisher.
    const missing = await agency.post('/api/announcements', draft({ type: 'change_notice', title: '变更公告' }));
    expect(problem(missing)).toMatchObject({ code: 'FIELD_REQUIRED', field: 'relatedId' });
    const foreign = await other.post('/api/announcements', draft({ type: 'change_notice', title: '他人变更', relatedId: id }));
    expect(problem(foreign)).toMatchObject({ code: 'RELATED_NOT_OWN', field: 'relatedId' });
    const changeId = await publish({ type: 'change_notice', title: '道路改造工程变更公告（开标时间顺延）', relatedId: id });
    const detail = (await t.app.inject(`/api/portal/announcements/${id}`)).json();
    expect(detail.changes).toEqual([expect.objectContaining({ id: changeId, type: 'change_notice' })]);
    expect((await t.app.inject(`/api/portal/announcements/${changeId}`)).json().related).toMatchObject({ id });
  });

  it('strips scripts, handlers, javascript: URLs, styles and foreign images from the body', async () => {
    const evil = [
      '<p style="color:red" onclick="alert(1)">正文<script>alert(document.cookie)</script></p>',
      '<img src=x onerror="alert(1)">',
      '<img src="https://evil.example/track.gif">',
      '<a href="javascript:alert(1)">点我</a>',
      '<a href="JaVaScRiPt&colon;alert(1)">点我2</a>',
      '<a href="https://www.ccgp.gov.cn/" onmouseover="x()">中国政府采购网</a>',
      '<iframe src="https://evil.example"></iframe><svg onload=alert(1)><circle/></svg>',
      '<table><tr><td colspan="2" style="x">单元格</td></tr></table><h2>标题</h2><style>body{}</style>',
    ].join('');
    const c = await agency.post('/api/announcements', draft({ bodyHtml: evil }));
    expect(c.statusCode).toBe(201);
    const html: string = c.json().announcement.bodyHtml;
    for (const bad of ['<script', 'onclick', 'onerror', 'onload', 'onmouseover', 'javascript', 'style=', '<iframe', '<svg', 'evil.example', '<style', 'alert']) {
      expect(html.toLowerCase()).not.toContain(bad);
    }
    expect(html).toContain('<a href="https://www.ccgp.gov.cn/" rel="noopener noreferrer nofollow" target="_blank">中国政府采购网</a>');
    expect(html).toContain('<td colspan="2">单元格</td>');
    expect(html).toContain('<h2>标题</h2>');
    // A body that is nothing but a script is empty once cleaned.
    const empty = await agency.post('/api/announcements', draft({ bodyHtml: '<script>alert(1)</script>' }));
    expect(problem(empty)).toMatchObject({ code: 'FIELD_REQUIRED', field: 'bodyHtml' });
  });

  it('attaches only own uploads; they become public downloads on publication, not before', async () => {
    const upload = async (s: Session, name: string) => {
      const boundary = '----yiwangtest';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n招标文件\n`),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await s.request({ method: 'POST', url: '/api/files', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const mine = await upload(agency, '招标文件.pdf');
    const theirs = await upload(other, '别人的文件.pdf');
    const foreign = await agency.post('/api/announcements', draft({ attachmentIds: [theirs] }));
    expect(problem(foreign)).toMatchObject({ code: 'ATTACHMENT_UNKNOWN', field: 'attachmentIds' });
    const viaImage = await agency.post('/api/announcements', draft({ bodyHtml: `<p>图</p><img src="/api/files/${theirs}">` }));
    expect(problem(viaImage)).toMatchObject({ code: 'ATTACHMENT_UNKNOWN', field: 'attachmentIds' });

    const c = await agency.post('/api/announcements', draft({ attachmentIds: [mine], bodyHtml: `<p>见附件</p><img src="/api/files/${mine}" alt="图">` }));
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().announcement.bodyHtml).toContain(`<img src="/api/files/${mine}" alt="图" />`);
    const id = c.json().announcement.id;
    expect((await t.app.inject(`/api/files/${mine}`)).statusCode).not.toBe(200);
    await agency.post(`/api/announcements/${id}/submit`);
    expect((await reviewer.get(`/api/files/${mine}`)).statusCode).toBe(200);
    expect((await t.app.inject(`/api/files/${mine}`)).statusCode).not.toBe(200);
    await reviewer.post(`/api/announcements/${id}/approve`);
    expect((await t.app.inject(`/api/files/${mine}`)).statusCode).toBe(200);
    expect((await t.app.inject(`/api/files/${theirs}`)).statusCode).not.toBe(200);
    const detail = (await t.app.inject(`/api/portal/announcements/${id}`)).json();
    expect(detail.attachments).toEqual([expect.objectContaining({ id: mine, name: '招标文件.pdf', mime: 'application/pdf', url: `/api/files/${mine}` })]);
  });

  it('links a project only for its tenderer or its agency', async () => {
    const version = await t.ctx.db.selectFrom('catalog_versions').select('id').where('status', '=', 'published').executeTakeFirstOrThrow();
    const ownerOrg = (await seedAccount(t.ctx, { username: 'owner', roles: [{ role: 'tenderer' }], org: { name: '某区教育局', uscc: '11350200MB0123456Y' } })).orgId!;
    const owner = await login(t.app, 'owner');
    const account = await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'owner').executeTakeFirstOrThrow();
    const p = await t.ctx.db
      .insertInto('projects')
      .values({
        name: '某中学改扩建工程', catalog_version_id: version.id, catalog_code: 'works.housing', procedure_type: 'works_open_tender', subject: 'works', region_code: '350203',
        industry: 'construction', estimate_fen: 500_000_000, mandatory: true, threshold_fen: 400_000_000, owner_org_id: ownerOrg, agency_org_id: agencyOrg,
        created_by: account.id, status: 'accepted', created_at: t.clock.now(), updated_at: t.clock.now(),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await owner.post('/api/announcements', draft({ projectId: p.id }))).statusCode).toBe(201);
    expect((await agency.post('/api/announcements', draft({ projectId: p.id }))).json().announcement.projectId).toBe(p.id);
    expect(problem(await other.post('/api/announcements', draft({ projectId: p.id })))).toMatchObject({ code: 'PROJECT_UNKNOWN', field: 'projectId' });
  });

  it('keeps other organisations out of a draft (IDOR) and checks roles', async () => {
    const id = (await agency.post('/api/announcements', draft())).json().announcement.id;
    for (const res of [await other.put(`/api/announcements/${id}`, draft({ title: '抢改' })), await other.post(`/api/announcements/${id}/submit`), await other.get(`/api/announcements/${id}`)]) {
      expect(res.statusCode).toBe(404);
      expect(problem(res).code).toBe('NOT_FOUND');
    }
    expect((await agency.get(`/api/announcements/${id}`)).json().announcement.title).toBe(draft().title);
    // Submitted but unpublished: still invisible to the public and to other organisations.
    const sub = (await agency.post('/api/announcements', draft())).json().announcement.id;
    await agency.post(`/api/announcements/${sub}/submit`);
    expect((await t.app.inject(`/api/portal/announcements/${sub}`)).statusCode).toBe(404);
    expect((await other.get(`/api/announcements/${sub}`)).statusCode).toBe(404);
    expect((await other.get('/api/announcements')).json().items).toEqual([]);
    // A reviewer cannot approve a draft nobody submitted, and cannot see it either.
    expect(problem(await reviewer.post(`/api/announcements/${id}/approve`)).code).toBe('NOT_FOUND');

    expect(problem(await bidder.post('/api/announcements', draft())).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await agency.post(`/api/announcements/${id}/approve`)).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await reviewer.post('/api/announcements', draft())).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await t.app.inject({ method: 'POST', url: '/api/announcements', payload: draft() })).code).toBe('UNAUTHENTICATED');
  });

  it('answers bad input with a code and the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [draft({ type: 'rumour' }), 'VALIDATION_FAILED', 'type'],
      [draft({ regionCode: '3502' }), 'VALIDATION_FAILED', 'regionCode'],
      [draft({ categoryCode: 'no_such_category' }), 'CATEGORY_UNKNOWN', 'categoryCode'],
      [draft({ categoryCode: 'Works;DROP' }), 'VALIDATION_FAILED', 'categoryCode'],
      [draft({ title: '   ' }), 'FIELD_REQUIRED', 'title'],
      [draft({ title: undefined }), 'FIELD_REQUIRED', 'title'],
      [draft({ attachmentIds: ['not-a-uuid'] }), 'VALIDATION_FAILED', 'attachmentIds.0'],
      [draft({ attachmentIds: ['3f1c2a9e-8d4b-4c8e-9f1a-2b3c4d5e6f70'] }), 'ATTACHMENT_UNKNOWN', 'attachmentIds'],
      [draft({ relatedId: '3f1c2a9e-8d4b-4c8e-9f1a-2b3c4d5e6f70' }), 'RELATED_NOT_PUBLISHED', 'relatedId'],
      [draft({ publisherOrgId: agencyOrg }), 'FIELD_UNKNOWN', 'publisherOrgId'],
      [draft({ projectId: '3f1c2a9e-8d4b-4c8e-9f1a-2b3c4d5e6f70' }), 'PROJECT_UNKNOWN', 'projectId'],
    ];
    for (const [body, code, field] of cases) {
      const res = await agency.post('/api/announcements', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(problem(res), JSON.stringify(body)).toMatchObject({ code, field });
    }
    expect(problem(await reviewer.post('/api/announcements/3f1c2a9e-8d4b-4c8e-9f1a-2b3c4d5e6f70/reject', {})).field).toBe('reason');
    expect(problem(await t.app.inject('/api/portal/announcements?cursor=garbage')).code).toBe('CURSOR_INVALID');
    expect(problem(await t.app.inject('/api/portal/announcements?from=yesterday')).field).toBe('from');
    expect(problem(await t.app.inject('/api/portal/feed.json?after=nonsense')).field).toBe('after');
  });

  describe('search and feeds', () => {
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      const specs: [string, Record<string, unknown>][] = [
        ['road', { title: '集美区市政道路排水管网改造工程招标公告', categoryCode: 'works.municipal', regionCode: '350211' }],
        ['school', { title: '海沧区学校食堂设备采购公告', categoryCode: 'gp.goods', regionCode: '350205', bodyHtml: '<p>采购学校食堂设备一批，含道路清扫车。</p>' }],
        ['land', { type: 'transfer_notice', title: '翔安区国有建设用地使用权挂牌出让公告', categoryCode: 'land', regionCode: '350213', bodyHtml: '<p>地块位于翔安区，用途为商业。</p>' }],
        ['fuzhou', { title: '福州市鼓楼区道路排水提升工程招标公告', categoryCode: 'works.municipal', regionCode: '350102' }],
      ];
      for (const [key, over] of specs) {
        t.clock.advance(60_000);
        ids[key] = await publish(over);
      }
      // Three more published in the same instant (feed cursors must not skip or repeat them).
      const org = agencyOrg;
      const sameInstant = new Date(t.clock.now().getTime() + 600_000);
      await t.ctx.db.transaction().execute(async (trx) => {
        for (const n of [1, 2, 3]) {
          const r = await createPublishedAnnouncement(trx, { ...(draft({ title: `同一时刻发布的公告${n}` }) as unknown as Parameters<typeof createPublishedAnnouncement>[1]), publisherOrgId: org }, sameInstant);
          ids[`same${n}`] = r.id;
        }
      });
    });

    const search = async (qs: string) => {
      const res = await t.app.inject(`/api/portal/announcements?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: { id: string; title: string; highlight?: { title: { text: string; match: boolean }[] } }[]; nextCursor: string | null };
    };

    it('finds by two Chinese terms (AND), marks them, and applies filters', async () => {
      const r = await search(`q=${encodeURIComponent('道路 排水')}`);
      expect(r.items.map((x) => x.id).sort()).toEqual([ids.road, ids.fuzhou].sort());
      const marked = r.items[0]!.highlight!.title.filter((s) => s.match).map((s) => s.text);
      expect(marked.join('|')).toContain('道路');
      expect(marked.join('|')).toContain('排水');
      expect(r.items[0]!.highlight!.title.map((s) => s.text).join('')).toBe(r.items[0]!.title);
      // Region prefix: 3502 is Xiamen (集美 350211), not Fuzhou (350102).
      expect((await search(`q=${encodeURIComponent('道路 排水')}&region=350200`)).items.map((x) => x.id)).toEqual([ids.road]);
      // Category: a parent code matches its children; another category excludes.
      expect((await search(`q=${encodeURIComponent('道路 排水')}&category=works`)).items).toHaveLength(2);
      expect((await search(`q=${encodeURIComponent('道路 排水')}&category=gp`)).items).toHaveLength(0);
      // The body is searched too; type and date filters.
      expect((await search(`q=${encodeURIComponent('学校 道路')}`)).items.map((x) => x.id)).toEqual([ids.school]);
      expect((await search(`q=${encodeURIComponent('挂牌出让')}&type=transfer_notice`)).items.map((x) => x.id)).toEqual([ids.land]);
      expect((await search(`q=${encodeURIComponent('挂牌出让')}&type=tender_notice`)).items).toHaveLength(0);
      expect((await search(`q=${encodeURIComponent('道路 排水')}&from=2026-11-03`)).items).toHaveLength(0);
      expect((await search(`q=${encodeURIComponent('道路 排水')}&to=2026-11-02`)).items).toHaveLength(2);
      // Drafts are never found.
      await agency.post('/api/announcements', draft({ title: '草稿道路排水不应被搜到' }));
      expect((await search(`q=${encodeURIComponent('草稿')}`)).items).toHaveLength(0);
    });

    it('pages with a stable keyset cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await search(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((x) => x.id));
        cursor = page.nextCursor;
      } while (cursor);
      const total = await t.ctx.db.selectFrom('announcements').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'published').executeTakeFirstOrThrow();
      expect(seen).toHaveLength(total.n);
      expect(new Set(seen).size).toBe(total.n);
    });

    it('pages a text search the same whichever plan serves the page', async () => {
      // limit=2 is answered from the newest-rows window (many matches); limit=50 by the GIN lookup.
      const all = (await search(`q=${encodeURIComponent('公告')}&limit=50`)).items.map((x) => x.id);
      expect(all.length).toBeGreaterThan(5);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await search(`q=${encodeURIComponent('公告')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        paged.push(...page.items.map((x) => x.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all);
    });

    it('feeds: polling with ?after never skips or repeats, even for items sharing a timestamp', async () => {
      const got: string[] = [];
      let after = 'start';
      for (let i = 0; i < 20; i++) {
        const res = await t.app.inject(`/api/portal/feed.json?limit=2&after=${after}`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('application/feed+json');
        const feed = res.json();
        expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
        got.push(...feed.items.map((x: { id: string }) => x.id));
        if (!feed.items.length) break;
        after = feed._yiwang.cursor;
      }
      expect(new Set(got).size).toBe(got.length);
      expect(got.slice(-3)).toEqual([ids.same1, ids.same2, ids.same3]);
      // A later publication appears after the cursor, once.
      const later = await publish({ title: '后来发布的公告' });
      const next = (await t.app.inject(`/api/portal/feed.json?after=${after}`)).json();
      expect(next.items.map((x: { id: string }) => x.id)).toEqual([later]);

      const atom = await t.app.inject('/api/portal/feed.atom?limit=5');
      expect(atom.headers['content-type']).toContain('application/atom+xml');
      expect(atom.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
      expect(atom.body).toContain(`<id>urn:uuid:${later}</id>`);
      expect(atom.body).not.toContain('<script');
    });

    it.runIf(engine === 'postgres')('feeds: a publication that commits late is not skipped, whatever its timestamp', async () => {
      const latest = (await t.app.inject('/api/portal/feed.json?limit=1')).json()._yiwang.cursor as string;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const input = (title: string) => ({ ...(draft({ title }) as unknown as Parameters<typeof createPublishedAnnouncement>[1]), publisherOrgId: agencyOrg });
      const base = t.clock.now().getTime();
      // A takes the ledger head first and holds its transaction open; B (with an EARLIER timestamp) waits behind it.
      let aId = '';
      const a = t.ctx.db.transaction().execute(async (trx) => {
        aId = (await createPublishedAnnouncement(trx, input('慢事务公告A'), new Date(base + 5_000))).id;
        await gate;
      });
      await new Promise((r) => setTimeout(r, 100));
      const b = t.ctx.db.transaction().execute((trx) => createPublishedAnnouncement(trx, input('后提交公告B'), new Date(base + 1_000)));
      await new Promise((r) => setTimeout(r, 100));
      expect((await t.app.inject(`/api/portal/feed.json?after=${latest}`)).json().items).toEqual([]);
      release();
      await a;
      const bId = (await b).id;
      const items = (await t.app.inject(`/api/portal/feed.json?after=${latest}`)).json().items.map((x: { id: string }) => x.id);
      expect(items).toEqual([aId, bId]);
    });

    it('reports statistics for charts', async () => {
      const s = (await t.app.inject('/api/portal/stats')).json();
      expect(s.total).toBeGreaterThanOrEqual(8);
      expect(s.byType.find((x: { type: string }) => x.type === 'transfer_notice')).toMatchObject({ count: 1, labelZh: '出让/挂牌公告' });
      expect(s.byCategory.find((x: { categoryCode: string }) => x.categoryCode === 'works').count).toBeGreaterThanOrEqual(3);
      expect(s.last30Days).toHaveLength(30);
      expect(s.last30Days.reduce((a: number, d: { count: number }) => a + d.count, 0)).toBe(s.total);
      // Cached for a minute, then fresh.
      await publish({ title: '统计缓存测试公告' });
      expect((await t.app.inject('/api/portal/stats')).json().total).toBe(s.total);
      t.clock.advance(61_000);
      expect((await t.app.inject('/api/portal/stats')).json().total).toBe(s.total + 1);
    });
  });
});
