import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { ensureCatalogSeeded } from '../catalog/index';

function multipart(filename: string, content: Buffer) {
  const boundary = `----yiwang${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`, 'utf8');
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)]);

async function upload(s: Session, name = 'material.pdf'): Promise<string> {
  const res = await s.request({ method: 'POST', url: '/api/files', ...multipart(name, pdf()) });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

const WAN = 1_000_000; // 1 万元 in 分

describeEngines('project intake (项目入场登记)', (engine) => {
  let t: TestApp;
  let orgA: string;
  const as = (username: string) => login(t.app, username);

  async function housingDraft(s: Session, files: { project_approval?: string; funding_proof?: string; tender_plan?: string }, extra: Record<string, unknown> = {}) {
    return s.post('/api/projects', {
      name: '厦门市某中学教学楼新建工程',
      catalogCode: 'works.housing',
      procedureType: 'works_open_tender',
      subject: 'works',
      regionCode: '350203',
      estimateFen: 500 * WAN,
      lots: [{ name: '施工一标段', estimateFen: 300 * WAN }, { name: '施工二标段', estimateFen: 200 * WAN }],
      materials: Object.entries(files).map(([code, fileId]) => ({ code, fileId })),
      ...extra,
    });
  }
  const statusOf = async (id: string) => (await t.ctx.db.selectFrom('projects').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    t = await createTestApp(engine); // Monday 2026-11-02 09:00 Beijing
    await ensureCatalogSeeded(t.ctx.db, t.clock.now());
    orgA = (await seedAccount(t.ctx, { username: 'in-tenderer-a', roles: [{ role: 'tenderer' }], org: { name: '厦门市某中学', uscc: '12350200MB1INTAKEA' } })).orgId!;
    await seedAccount(t.ctx, { username: 'in-tenderer-b', roles: [{ role: 'tenderer' }], org: { name: '另一单位', uscc: '12350200MB1INTAKEB' } });
    await seedAccount(t.ctx, { username: 'in-agency', roles: [{ role: 'agency' }], org: { name: '某招标代理有限公司', uscc: '91350200MA1INTAKEG' } });
    await seedAccount(t.ctx, { username: 'in-staff', roles: [{ role: 'center_intake' }] });
    await seedAccount(t.ctx, { username: 'in-reg-xm-construction', roles: [{ role: 'regulator', industries: ['construction'], regions: ['350200'] }] });
    await seedAccount(t.ctx, { username: 'in-reg-xm-transport', roles: [{ role: 'regulator', industries: ['transport'], regions: ['350200'] }] });
    await seedAccount(t.ctx, { username: 'in-bidder', roles: [{ role: 'bidder' }], org: { name: '投标人', uscc: '91350200MA1INTAKEX' } });
  });
  afterAll(() => t.close());

  it('runs register → return once with a complete list → resubmit → accept, with ledger and outbox', async () => {
    const a = await as('in-tenderer-a');
    const approval = await upload(a);
    const plan = await upload(a);
    const created = await housingDraft(a, { project_approval: approval, tender_plan: plan });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ status: 'draft', mandatory: true, thresholdFen: 400 * WAN, industry: 'construction', catalog: { code: 'works.housing', nameZh: '房屋建筑' }, ownerOrgId: orgA, agencyOrgId: null });
    expect(p.code).toMatch(/^YW\d{8}$/);
    expect(p.lots).toEqual([{ seq: 1, name: '施工一标段', estimateFen: 300 * WAN }, { seq: 2, name: '施工二标段', estimateFen: 200 * WAN }]);
    expect(p.materials.find((m: { code: string }) => m.code === 'funding_proof')).toMatchObject({ required: true, fileId: null });

    // Submission needs every required material.
    const early = await a.post(`/api/projects/${p.id}/submit`);
    expect(problem(early)).toMatchObject({ code: 'INTAKE_MATERIALS_MISSING', field: 'materials' });
    expect(early.json().details).toEqual({ missing: ['funding_proof'] });

    const funding = await upload(a);
    const body = { name: p.name, catalogCode: 'works.housing', procedureType: 'works_open_tender', subject: 'works', regionCode: '350203', estimateFen: 500 * WAN, lots: [{ name: '施工一标段', estimateFen: 300 * WAN }, { name: '施工二标段', estimateFen: 200 * WAN }] };
    const materials = [{ code: 'project_approval', fileId: approval }, { code: 'tender_plan', fileId: plan }, { code: 'funding_proof', fileId: funding }];
    expect((await a.put(`/api/projects/${p.id}`, { ...body, materials })).statusCode).toBe(200);
    const submitted = await a.post(`/api/projects/${p.id}/submit`);
    expect(submitted.statusCode).toBe(200);
    // Submitted Monday 09:00 → 1 working day → Tuesday 24:00 Beijing.
    expect(submitted.json()).toMatchObject({ status: 'submitted', dueAt: '2026-11-03T16:00:00.000Z', overdue: false, submitCount: 1 });
    expect(problem(await a.put(`/api/projects/${p.id}`, { ...body, materials })).code).toBe('INTAKE_NOT_EDITABLE');

    // The window returns it once, with everything that is wrong.
    const staff = await as('in-staff');
    const queue = await staff.get('/api/projects?status=submitted');
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    const unknownItem = await staff.post(`/api/projects/${p.id}/return`, { items: [{ code: 'colour', note: '?' }] });
    expect(problem(unknownItem)).toMatchObject({ code: 'INTAKE_RETURN_ITEM_UNKNOWN', field: 'items.0.code' });
    const ret = await staff.post(`/api/projects/${p.id}/return`, { items: [{ code: 'funding_proof', note: '资金来源证明未加盖公章' }, { code: 'lots', note: '二标段估算偏低，请核实' }] });
    expect(ret.statusCode).toBe(200);
    expect(ret.json()).toMatchObject({ status: 'returned', returns: [{ round: 1, items: [{ code: 'funding_proof' }, { code: 'lots' }] }] });

    // The registrant fixes both and resubmits.
    const funding2 = await upload(a);
    const fixed = { ...body, lots: [{ name: '施工一标段', estimateFen: 280 * WAN }, { name: '施工二标段', estimateFen: 220 * WAN }] };
    expect((await a.put(`/api/projects/${p.id}`, { ...fixed, materials: [materials[0], materials[1], { code: 'funding_proof', fileId: funding2 }] })).statusCode).toBe(200);
    const resub = await a.post(`/api/projects/${p.id}/submit`);
    expect(resub.json()).toMatchObject({ status: 'submitted', submitCount: 2 });

    // A second return may not raise anything that was not on the first list…
    const second = await staff.post(`/api/projects/${p.id}/return`, { items: [{ code: 'lots', note: '仍需核实' }, { code: 'tender_plan', note: '招标方案缺少评标办法' }] });
    expect(second.statusCode).toBe(409);
    expect(problem(second)).toMatchObject({ code: 'INTAKE_SECOND_RETURN_NEW_ITEMS', field: 'items' });
    expect(second.json().details).toMatchObject({ newCodes: ['tender_plan'] });
    expect(await statusOf(p.id)).toBe('submitted');

    // …and the window accepts.
    const accepted = await staff.post(`/api/projects/${p.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted' });
    expect(problem(await staff.post(`/api/projects/${p.id}/accept`)).code).toBe('INTAKE_INVALID_TRANSITION');

    const ledger = (await t.ctx.db.selectFrom('ledger_entries').select('type').where('subject_id', '=', p.id).orderBy('seq').execute()).map((r) => r.type);
    expect(ledger).toEqual(['project.registered', 'project.updated', 'project.submitted', 'project.returned', 'project.updated', 'project.submitted', 'project.accepted']);
    const events = await t.ctx.db.selectFrom('outbox_events').select(['type', 'payload']).where('type', '=', 'project.accepted').execute();
    const ev = events.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload)).find((x) => x.projectId === p.id);
    expect(ev).toMatchObject({ projectId: p.id, green: false, catalogCode: 'works.housing', regionCode: '350203', lots: [{ seq: 1 }, { seq: 2 }] });
  });

  it('a second return limited to unresolved items of the first list is allowed', async () => {
    const a = await as('in-tenderer-a');
    const staff = await as('in-staff');
    const f = { project_approval: await upload(a), funding_proof: await upload(a), tender_plan: await upload(a) };
    const p = (await housingDraft(a, f, { name: '二次退回测试' })).json();
    await a.post(`/api/projects/${p.id}/submit`);
    await staff.post(`/api/projects/${p.id}/return`, { items: [{ code: 'funding_proof', note: '缺章' }, { code: 'name', note: '名称不规范' }] });
    await a.post(`/api/projects/${p.id}/submit`);
    const again = await staff.post(`/api/projects/${p.id}/return`, { items: [{ code: 'funding_proof', note: '仍缺章' }] });
    expect(again.statusCode).toBe(200);
    expect(again.json().returns.map((r: { round: number }) => r.round)).toEqual([1, 2]);
  });

  it('computes the window deadline in working days across a weekend and a holiday, and flags overdue', async () => {
    const a = await as('in-tenderer-a');
    const f = { project_approval: await upload(a), funding_proof: await upload(a), tender_plan: await upload(a) };
    const p1 = (await housingDraft(a, f, { name: '周五提交' })).json();
    const p2 = (await housingDraft(a, f, { name: '国庆前提交' })).json();

    t.clock.set('2026-11-06T02:00:00Z'); // Friday 10:00 Beijing
    let s = await as('in-tenderer-a');
    expect((await s.post(`/api/projects/${p1.id}/submit`)).json().dueAt).toBe('2026-11-09T16:00:00.000Z'); // Monday 24:00

    t.clock.set('2026-09-30T02:00:00Z'); // Wednesday before National Day (Oct 1–7 off)
    s = await as('in-tenderer-a');
    expect((await s.post(`/api/projects/${p2.id}/submit`)).json().dueAt).toBe('2026-10-08T16:00:00.000Z');

    t.clock.set('2026-11-10T01:00:00Z'); // both past due
    const staff = await as('in-staff');
    const overdue = await staff.get('/api/projects?overdue=true');
    const items = overdue.json().items as { id: string; overdue: boolean }[];
    expect(items.map((x) => x.id)).toEqual(expect.arrayContaining([p1.id, p2.id]));
    expect(items.every((x) => x.overdue)).toBe(true);
    expect((await staff.get(`/api/projects/${p1.id}`)).json().overdue).toBe(true);
    await staff.post(`/api/projects/${p1.id}/accept`);
    expect((await staff.get('/api/projects?overdue=true')).json().items.map((x: { id: string }) => x.id)).not.toContain(p1.id);
  });

  it('keeps projects private to their parties (IDOR → 404) and refuses wrong roles', async () => {
    const a = await as('in-tenderer-a');
    const f = { project_approval: await upload(a), funding_proof: await upload(a), tender_plan: await upload(a) };
    const p = (await housingDraft(a, f, { name: '隐私测试' })).json();
    const b = await as('in-tenderer-b');
    const staff = await as('in-staff');
    for (const res of [
      await b.get(`/api/projects/${p.id}`),
      await b.put(`/api/projects/${p.id}`, { name: 'x', catalogCode: 'works.housing', procedureType: 'works_open_tender', subject: 'works', regionCode: '350203', estimateFen: 100, lots: [{ name: 'a', estimateFen: 100 }] }),
      await b.post(`/api/projects/${p.id}/submit`),
      await staff.get(`/api/projects/${p.id}`), // drafts are the registrant's own
      await (await as('in-bidder')).get(`/api/projects/${p.id}`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(problem(res).code).toBe('NOT_FOUND');
    }
    expect((await b.get('/api/projects')).json().items.map((x: { id: string }) => x.id)).not.toContain(p.id);
    expect(await statusOf(p.id)).toBe('draft');

    // Another organisation's upload cannot be attached.
    const foreign = await upload(b);
    const stolen = await housingDraft(a, { ...f, funding_proof: foreign });
    expect(problem(stolen)).toMatchObject({ code: 'INTAKE_FILE_UNKNOWN', field: 'materials.1.fileId' });

    await a.post(`/api/projects/${p.id}/submit`);
    // Wrong roles: the registrant cannot accept its own project; staff cannot register.
    const self = await a.post(`/api/projects/${p.id}/accept`);
    expect(problem(self).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await housingDraft(staff, {})).code).toBe('FORBIDDEN_ROLE');
    expect(await statusOf(p.id)).toBe('submitted');

    // Supervisors read within jurisdiction only, and never act.
    const reg = await as('in-reg-xm-construction');
    expect((await reg.get(`/api/projects/${p.id}`)).statusCode).toBe(200);
    expect((await reg.get('/api/projects')).json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect(problem(await reg.post(`/api/projects/${p.id}/accept`)).code).toBe('FORBIDDEN_ROLE');
    const other = await as('in-reg-xm-transport');
    expect((await other.get(`/api/projects/${p.id}`)).statusCode).toBe(404);
    expect((await other.get('/api/projects')).json().items.map((x: { id: string }) => x.id)).not.toContain(p.id);

    // Staff may download the materials of a submitted project; another tenderer may not.
    expect((await staff.get(`/api/files/${f.funding_proof}`)).statusCode).toBe(200);
    expect((await b.get(`/api/files/${f.funding_proof}`)).statusCode).toBe(404);
  });

  it('answers bad input with a problem naming the field', async () => {
    const a = await as('in-tenderer-a');
    const base = { name: '校验', catalogCode: 'works.housing', procedureType: 'works_open_tender', subject: 'works', regionCode: '350203', estimateFen: 100 * WAN, lots: [{ name: '一标段', estimateFen: 100 * WAN }] };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ catalogCode: 'works.spaceport' }, 'INTAKE_CATALOG_CODE_UNKNOWN', 'catalogCode'],
      [{ catalogCode: 'works' }, 'INTAKE_CATALOG_NOT_LEAF', 'catalogCode'],
      [{ procedureType: 'auction' }, 'INTAKE_PROCEDURE_NOT_ALLOWED', 'procedureType'],
      [{ subject: null }, 'INTAKE_SUBJECT_REQUIRED', 'subject'],
      [{ estimateFen: -5 }, 'VALIDATION_FAILED', 'estimateFen'],
      [{ lots: [] }, 'VALIDATION_FAILED', 'lots'],
      [{ lots: [{ name: '一标段', estimateFen: 60 * WAN }] }, 'INTAKE_LOTS_INVALID', 'lots'],
      [{ lots: [{ name: '一标段', estimateFen: -1 }] }, 'VALIDATION_FAILED', 'lots.0.estimateFen'],
      [{ regionCode: 'XM' }, 'VALIDATION_FAILED', 'regionCode'],
      [{ materials: [{ code: 'horoscope', fileId: '00000000-0000-4000-8000-000000000000' }] }, 'INTAKE_MATERIAL_UNKNOWN', 'materials.0.code'],
    ];
    for (const [patch, code, field] of cases) {
      const res = await a.post('/api/projects', { ...base, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(problem(res), JSON.stringify(patch)).toMatchObject({ code, field });
    }
    const { lots: _omit, ...noLots } = base;
    expect(problem(await a.post('/api/projects', noLots))).toMatchObject({ code: 'FIELD_REQUIRED', field: 'lots' });
    // Below the threshold is allowed (能进则进) and recorded as not mandatory; 以上 includes the threshold itself.
    const small = await a.post('/api/projects', { ...base, estimateFen: 399 * WAN, lots: [{ name: '一标段', estimateFen: 399 * WAN }] });
    expect(small.json()).toMatchObject({ mandatory: false, thresholdFen: 400 * WAN });
    const exact = await a.post('/api/projects', { ...base, estimateFen: 400 * WAN, lots: [{ name: '一标段', estimateFen: 400 * WAN }] });
    expect(exact.json()).toMatchObject({ mandatory: true });
    const goods = await a.post('/api/projects', { ...base, subject: 'goods', estimateFen: 250 * WAN, lots: [{ name: '设备', estimateFen: 250 * WAN }] });
    expect(goods.json()).toMatchObject({ mandatory: true, thresholdFen: 200 * WAN });
  });

  it('lets an agency register for a tenderer and the window accept through the green channel', async () => {
    const g = await as('in-agency');
    const plan = await upload(g);
    const noTenderer = await g.post('/api/projects', { name: 'x', catalogCode: 'gp.goods', procedureType: 'gp_open_tender', regionCode: '350203', estimateFen: 50 * WAN, lots: [{ name: '包1', estimateFen: 50 * WAN }] });
    expect(problem(noTenderer)).toMatchObject({ code: 'FIELD_REQUIRED', field: 'tendererOrgId' });
    const created = await g.post('/api/projects', {
      name: '应急防汛物资采购',
      catalogCode: 'gp.goods',
      procedureType: 'gp_open_tender',
      regionCode: '350203',
      estimateFen: 50 * WAN,
      lots: [{ name: '包1 冲锋舟', estimateFen: 30 * WAN }, { name: '包2 救生衣', estimateFen: 20 * WAN }],
      materials: [{ code: 'procurement_plan', fileId: plan }],
      greenChannelReason: '防汛应急，需尽快采购',
      tendererOrgId: orgA,
    });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ ownerOrgId: orgA, agencyOrgName: '某招标代理有限公司', mandatory: false, greenChannelRequested: true, industry: 'government_procurement' });
    expect(p.materials.filter((m: { required: boolean }) => m.required).map((m: { code: string }) => m.code)).toEqual(['procurement_plan', 'procurement_requirements', 'agency_contract']);

    // The tenderer organisation sees what its agency registered.
    const a = await as('in-tenderer-a');
    expect((await a.get(`/api/projects/${p.id}`)).statusCode).toBe(200);
    expect((await a.get(`/api/files/${plan}`)).statusCode).toBe(200);

    expect((await g.post(`/api/projects/${p.id}/submit`)).json().status).toBe('submitted'); // green channel: may submit incomplete
    const staff = await as('in-staff');
    expect(problem(await staff.post(`/api/projects/${p.id}/accept`))).toMatchObject({ code: 'INTAKE_MATERIALS_MISSING', details: { missing: ['procurement_requirements', 'agency_contract'] } });
    const partial = await staff.post(`/api/projects/${p.id}/accept-green`, { pending: [{ code: 'agency_contract', dueDate: '2026-11-20' }] });
    expect(problem(partial)).toMatchObject({ code: 'INTAKE_PENDING_INCOMPLETE', field: 'pending' });
    const green = await staff.post(`/api/projects/${p.id}/accept-green`, { pending: [{ code: 'agency_contract', dueDate: '2026-11-20' }, { code: 'procurement_requirements', dueDate: '2026-11-18' }] });
    expect(green.statusCode).toBe(200);
    expect(green.json()).toMatchObject({ status: 'accepted_green', pendingOpen: 2 });
    expect(green.json().pendingItems).toEqual([
      { code: 'agency_contract', dueDate: '2026-11-20', suppliedAt: null, fileId: null, overdue: false },
      { code: 'procurement_requirements', dueDate: '2026-11-18', suppliedAt: null, fileId: null, overdue: false },
    ]);
    expect(problem(await staff.post(`/api/projects/${p.id}/accept-green`, { pending: [{ code: 'agency_contract', dueDate: '2026-11-20' }] })).code).toBe('INTAKE_INVALID_TRANSITION');

    const req = await upload(a);
    const s1 = await a.post(`/api/projects/${p.id}/supply`, { code: 'procurement_requirements', fileId: req });
    expect(s1.json()).toMatchObject({ pendingOpen: 1 });
    expect(problem(await a.post(`/api/projects/${p.id}/supply`, { code: 'procurement_requirements', fileId: req })).code).toBe('INTAKE_NOT_PENDING');
    const contract = await upload(g);
    const s2 = await g.post(`/api/projects/${p.id}/supply`, { code: 'agency_contract', fileId: contract });
    expect(s2.json()).toMatchObject({ status: 'accepted_green', pendingOpen: 0 });
    expect(s2.json().materials.every((m: { fileId: string | null }) => m.fileId)).toBe(true);
    const types = (await t.ctx.db.selectFrom('outbox_events').select(['type', 'payload']).orderBy('id').execute())
      .map((e) => ({ type: e.type, p: typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload }))
      .filter((e) => e.p.projectId === p.id)
      .map((e) => `${e.type}${e.type === 'project.accepted' ? `:${e.p.green}` : ''}`);
    expect(types).toEqual(['project.registered', 'project.submitted', 'project.accepted:true', 'project.pending_supplied', 'project.pending_supplied']);
  });
});
