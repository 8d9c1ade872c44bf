import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { ensureCatalogSeeded, INITIAL_CATALOG } from './index';

describeEngines('trading catalog (交易目录)', (engine) => {
  let t: TestApp;
  let admin: Session;
  let tenderer: Session;
  const ledgerCount = async () => Number((await t.ctx.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await ensureCatalogSeeded(t.ctx.db, t.clock.now());
    await ensureCatalogSeeded(t.ctx.db, t.clock.now()); // idempotent
    await seedAccount(t.ctx, { username: 'cat-admin', roles: [{ role: 'admin' }] });
    await seedAccount(t.ctx, { username: 'cat-tenderer', roles: [{ role: 'tenderer' }], org: { name: '厦门市某建设单位', uscc: '91350200MA2XXXXX1B' } });
    admin = await login(t.app, 'cat-admin');
    tenderer = await login(t.app, 'cat-tenderer');
  });
  afterAll(() => t.close());

  it('serves the seeded catalog in force to anyone, with statutory thresholds in 分', async () => {
    const res = await t.app.inject('/api/catalog');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version).toMatchObject({ versionNo: 1, state: 'in_force' });
    expect(body.entries).toHaveLength(INITIAL_CATALOG.length);
    const housing = body.entries.find((e: { code: string }) => e.code === 'works.housing');
    // 必须招标的工程项目规定 第五条: 施工 400 万元, 货物 200 万元, 服务 100 万元.
    expect(housing.thresholds).toEqual([
      { subject: 'works', amountFen: 400_000_000 },
      { subject: 'goods', amountFen: 200_000_000 },
      { subject: 'services', amountFen: 100_000_000 },
    ]);
    expect(housing.procedures).toEqual(['works_open_tender', 'works_invited_tender']);
    expect(housing.materials.map((m: { code: string }) => m.code)).toContain('project_approval');
    for (const code of ['land', 'mining', 'state_property', 'medical', 'carbon', 'emissions', 'concession', 'assets_resources', 'gp.goods']) {
      expect(body.entries.some((e: { code: string }) => e.code === code)).toBe(true);
    }
    expect((await t.ctx.db.selectFrom('catalog_versions').selectAll().execute()).length).toBe(1);
  });

  it('refuses edits by a non-admin and changes nothing', async () => {
    const before = await ledgerCount();
    const draft = await tenderer.post('/api/catalog/versions', { title: '偷改' });
    expect(draft.statusCode).toBe(403);
    expect(problem(draft).code).toBe('FORBIDDEN_ROLE');
    const v1 = (await t.app.inject('/api/catalog')).json().version.id;
    const put = await tenderer.put(`/api/catalog/versions/${v1}/entries/works.housing`, {
      parentCode: 'works', nameZh: '房屋建筑', nameEn: 'B', industry: 'housing', thresholds: [], procedures: [], materials: [],
    });
    expect(problem(put).code).toBe('FORBIDDEN_ROLE');
    const pub = await tenderer.post(`/api/catalog/versions/${v1}/publish`, { commentUntil: '2026-12-01T00:00:00Z', effectiveFrom: '2026-12-02T00:00:00Z' });
    expect(problem(pub).code).toBe('FORBIDDEN_ROLE');
    expect(await ledgerCount()).toBe(before);
    expect((await t.ctx.db.selectFrom('catalog_versions').selectAll().execute()).length).toBe(1);
    const anon = await t.app.inject({ method: 'POST', url: '/api/catalog/versions', payload: { title: 'x' } });
    expect(problem(anon).code).toBe('UNAUTHENTICATED');
  });

  it('drafts, edits, publishes for comment, takes comments and comes into force at effective-from', async () => {
    const v1 = (await t.app.inject('/api/catalog')).json().version.id;
    const created = await admin.post('/api/catalog/versions', { title: '2027 年版' });
    expect(created.statusCode).toBe(201);
    const draftId = created.json().id;

    // Drafts are invisible outside administration.
    expect((await tenderer.get(`/api/catalog/versions/${draftId}`)).statusCode).toBe(404);
    expect((await tenderer.get('/api/catalog/versions')).json().items.map((v: { id: string }) => v.id)).not.toContain(draftId);
    expect((await admin.get('/api/catalog/versions')).json().items[0]).toMatchObject({ id: draftId, state: 'draft' });

    // A non-admin cannot edit the draft either; nothing changes.
    const before = await ledgerCount();
    const sneaky = await tenderer.put(`/api/catalog/versions/${draftId}/entries/works.housing`, {
      parentCode: 'works', nameZh: '房屋建筑', nameEn: 'B', industry: 'construction', thresholds: [], procedures: ['works_open_tender'], materials: [],
    });
    expect(problem(sneaky).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await tenderer.delete(`/api/catalog/versions/${draftId}/entries/land`)).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await tenderer.post(`/api/catalog/versions/${draftId}/publish`, { commentUntil: '2026-12-01T00:00:00Z', effectiveFrom: '2026-12-02T00:00:00Z' })).code).toBe('FORBIDDEN_ROLE');
    expect(await ledgerCount()).toBe(before);
    const unchanged = (await admin.get(`/api/catalog/versions/${draftId}`)).json();
    expect(unchanged.version.state).toBe('draft');
    expect(unchanged.entries.find((e: { code: string }) => e.code === 'works.housing').thresholds[0].amountFen).toBe(400_000_000);
    expect(unchanged.entries.some((e: { code: string }) => e.code === 'land')).toBe(true);

    // Raise the works threshold of 房屋建筑 and add a new extension category.
    const put = await admin.put(`/api/catalog/versions/${draftId}/entries/works.housing`, {
      parentCode: 'works', nameZh: '房屋建筑', nameEn: 'Building construction', industry: 'housing',
      thresholds: [{ subject: 'works', amountFen: 500_000_000 }, { subject: 'goods', amountFen: 200_000_000 }, { subject: 'services', amountFen: 100_000_000 }],
      procedures: ['works_open_tender'], materials: [{ code: 'project_approval', nameZh: '项目审批文件', nameEn: 'Approval', requiredWhen: 'always' }],
    });
    expect(put.statusCode).toBe(200);
    const bad = await admin.put(`/api/catalog/versions/${draftId}/entries/data.rights`, {
      parentCode: 'nope', nameZh: '数据资产', nameEn: 'Data', industry: 'data', thresholds: [], procedures: ['auction'], materials: [],
    });
    expect(problem(bad)).toMatchObject({ code: 'CATALOG_ENTRY_INVALID', field: 'parentCode' });
    const badProc = await admin.put(`/api/catalog/versions/${draftId}/entries/data_rights`, {
      parentCode: null, nameZh: '数据资产', nameEn: 'Data', industry: 'data', thresholds: [], procedures: ['lottery'], materials: [],
    });
    expect(problem(badProc).status).toBe(400);
    expect(problem(badProc).field).toMatch(/^procedures/);
    expect((await admin.put(`/api/catalog/versions/${draftId}/entries/data_rights`, {
      parentCode: null, nameZh: '数据资产', nameEn: 'Data assets', industry: 'data', thresholds: [], procedures: ['auction', 'listing'], materials: [],
    })).statusCode).toBe(200);

    // Publishing: the comment period must end in the future and the version take effect after it.
    const early = await admin.post(`/api/catalog/versions/${draftId}/publish`, { commentUntil: '2026-11-20T00:00:00Z', effectiveFrom: '2026-11-10T00:00:00Z' });
    expect(problem(early)).toMatchObject({ code: 'CATALOG_EFFECTIVE_BEFORE_COMMENT_END', field: 'effectiveFrom' });
    const pub = await admin.post(`/api/catalog/versions/${draftId}/publish`, { commentUntil: '2026-11-16T00:00:00Z', effectiveFrom: '2026-12-01T00:00:00+08:00' });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ state: 'commenting', effectiveFrom: '2026-11-30T16:00:00.000Z' });

    // A published version never changes.
    const edit = await admin.put(`/api/catalog/versions/${draftId}/entries/land`, {
      parentCode: null, nameZh: '土地', nameEn: 'Land', industry: 'natural_resources', thresholds: [], procedures: ['auction'], materials: [],
    });
    expect(problem(edit).code).toBe('CATALOG_VERSION_PUBLISHED');

    // Anyone signed in may comment during the period; comments are listed publicly.
    const c = await tenderer.post(`/api/catalog/versions/${draftId}/comments`, { body: '建议保留 400 万元标准', entryCode: 'works.housing' });
    expect(c.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: `/api/catalog/versions/${draftId}/comments`, payload: { body: 'x' } })).statusCode).toBe(401);
    const detail = (await t.app.inject(`/api/catalog/versions/${draftId}`)).json();
    expect(detail.comments).toEqual([expect.objectContaining({ body: '建议保留 400 万元标准', entryCode: 'works.housing', authorName: 'cat-tenderer' })]);

    // Still the old version in force until effective-from; comments close at commentUntil.
    expect((await t.app.inject('/api/catalog')).json().version.id).toBe(v1);
    t.clock.set('2026-11-16T00:00:01Z');
    tenderer = await login(t.app, 'cat-tenderer'); // sessions last hours; the clock jumped days
    expect(problem(await tenderer.post(`/api/catalog/versions/${draftId}/comments`, { body: '晚了' })).code).toBe('CATALOG_COMMENT_CLOSED');
    expect((await t.app.inject(`/api/catalog/versions/${draftId}`)).json().version.state).toBe('scheduled');
    t.clock.set('2026-11-30T16:00:00Z');
    const now = (await t.app.inject('/api/catalog')).json();
    expect(now.version).toMatchObject({ id: draftId, state: 'in_force', versionNo: 2 });
    expect(now.entries.find((e: { code: string }) => e.code === 'works.housing').thresholds[0].amountFen).toBe(500_000_000);
    expect((await t.app.inject(`/api/catalog/versions/${v1}`)).json().version.state).toBe('superseded');

    // The database itself refuses to rewrite a published version or its entries.
    await expect(t.ctx.db.updateTable('catalog_entries').set({ name_zh: '改' }).where('version_id', '=', draftId).execute()).rejects.toThrow(/published/);
    await expect(t.ctx.db.deleteFrom('catalog_entries').where('version_id', '=', v1).execute()).rejects.toThrow(/published/);
    await expect(t.ctx.db.updateTable('catalog_versions').set({ title: '改' }).where('id', '=', v1).execute()).rejects.toThrow(/published/);

    // Every change is in the ledger.
    const types = (await t.ctx.db.selectFrom('ledger_entries').select('type').where('subject_id', '=', draftId).orderBy('seq').execute()).map((r) => r.type);
    expect(types).toEqual(['catalog.draft_created', 'catalog.entry_put', 'catalog.entry_put', 'catalog.published', 'catalog.comment_added']);
    const ev = await t.ctx.db.selectFrom('outbox_events').select('type').where('type', '=', 'catalog.published').execute();
    expect(ev).toHaveLength(1);
  });
});
