import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, problem, type TestApp } from '../../../test/harness';
import { acceptedProject, bj, seedWorld, tenderBody, upload, WAN, type World } from './tendering.fixture';

/** Bad input and attacks: each gets a clear error (stable code, field) and changes nothing. */
describeEngines('tendering: bad input, jurisdiction, invitations, local policy values', (engine) => {
  let t: TestApp;
  let w: World;
  let projectA: string;
  let projectB: string;
  const count = async (table: 'tenders' | 'tender_objections' | 'tender_questions' | 'tender_obtains') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-09-01T01:00:00Z' });
    w = await seedWorld(t, 'ta');
    projectA = await acceptedProject(w);
    projectB = await acceptedProject(w, { viaAgency: true });
  });
  afterAll(() => t.close());

  it('refuses bad tenders field by field and creates nothing', async () => {
    const tenderer = await w.as('tenderer');
    const doc = await upload(tenderer);
    const post = (over: Record<string, unknown>, s = tenderer) => s.post('/api/tendering/tenders', tenderBody(w, projectA, [doc], over));
    const lots = (l1: Record<string, unknown>) => ({
      lots: [{ lotNo: 1, depositFen: 6 * WAN, bidDeadline: bj('2026-09-24T09:30:00'), ...l1 }],
    });
    const staff = w.ids.staff!.accountId;
    const reg = w.ids.reg!.accountId;
    const own = w.ids.tenderer!.accountId;

    expect(problem(await post({}, await w.as('other'))).code).toBe('TENDER_PROJECT_UNKNOWN');
    expect(problem(await post({}, await w.as('b1'))).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await post({}, await w.as('reg'))).code).toBe('FORBIDDEN_ROLE');
    const notAccepted = await acceptedProject(w, { accept: false });
    expect(problem(await tenderer.post('/api/tendering/tenders', tenderBody(w, notAccepted, [doc]))).code).toBe(
      'TENDER_PROJECT_NOT_ACCEPTED',
    );
    expect(problem(await post({ procedureType: 'gp_open_tender' }))).toMatchObject({
      code: 'TENDER_PROCEDURE_NOT_ALLOWED',
      field: 'procedureType',
    });
    expect(problem(await post({ procedureType: 'auction' })).code).toBe('TENDER_PROCEDURE_UNSUPPORTED');
    // 2% of the 300 万 lot is 6 万 (条例 26); one 分 more is refused.
    const over = await post(lots({ depositFen: 6 * WAN + 1 }));
    expect(problem(over)).toMatchObject({ code: 'TENDER_DEPOSIT_OVER_CAP', field: 'lots.0.depositFen' });
    expect(over.json().details).toMatchObject({ capFen: 6 * WAN, basis: '招标投标法实施条例 第二十六条' });
    const soon = await post(lots({ bidDeadline: bj('2026-09-20T23:59:00') }));
    expect(problem(soon)).toMatchObject({ code: 'TENDER_DEADLINE_TOO_SOON', field: 'lots.0.bidDeadline' });
    expect(soon.json().details).toMatchObject({ earliest: '2026-09-21', basis: '招标投标法 第二十四条' });
    expect(problem(await post(lots({ bidDeadline: bj('2031-03-03T09:30:00') })))).toMatchObject({
      code: 'CALENDAR_YEAR_UNKNOWN',
      status: 422,
    });
    expect(problem(await post(lots({ lotNo: 3 }))).code).toBe('TENDER_LOT_UNKNOWN');
    const foreign = await upload(await w.as('b1'));
    expect(problem(await tenderer.post('/api/tendering/tenders', tenderBody(w, projectA, [foreign])))).toMatchObject({
      code: 'TENDER_FILE_UNKNOWN',
      field: 'documentIds.0',
    });
    const escrow = (ids: string[], k = 2) => post({ escrow: { k, custodianAccountIds: ids } });
    expect(problem(await escrow([staff, w.ids.regx!.accountId, own]))).toMatchObject({
      code: 'TENDER_CUSTODIAN_INVALID',
      field: 'escrow.custodianAccountIds.1',
    });
    expect(problem(await escrow([staff, w.ids.b1!.accountId, own])).code).toBe('TENDER_CUSTODIAN_INVALID');
    expect((await escrow([staff, w.ids.witness!.accountId, own])).json()).toMatchObject({
      code: 'TENDER_CUSTODIANS_INCOMPLETE',
      details: { missing: ['regulator'] },
    });
    expect(problem(await escrow([staff, reg, own], 4)).code).toBe('TENDER_ESCROW_K_INVALID');
    // Two center custodians with k = 2 would let the center open bids alone.
    expect((await escrow([staff, w.ids.witness!.accountId, reg, own], 2)).json()).toMatchObject({
      code: 'TENDER_ESCROW_K_INVALID',
      details: { min: 3 },
    });
    expect(problem(await post({ invitedOrgIds: [w.ids.b1!.orgId] })).code).toBe('TENDER_INVITATIONS_NOT_ALLOWED');
    expect(problem(await post({ surprise: 1 }))).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'surprise' });
    expect(await count('tenders')).toBe(0);

    // A draft can be replaced with the same checks; a refused replacement leaves the draft as it was.
    const draft = await post({});
    expect(draft.statusCode, draft.body).toBe(201);
    const { projectId: _p, ...body } = tenderBody(w, projectA, [doc]);
    const put = (over: Record<string, unknown>) => tenderer.put(`/api/tendering/tenders/${draft.json().id}`, { ...body, ...over });
    expect(problem(await put(lots({ depositFen: 7 * WAN }))).code).toBe('TENDER_DEPOSIT_OVER_CAP');
    expect(problem(await (await w.as('other')).put(`/api/tendering/tenders/${draft.json().id}`, body)).code).toBe('NOT_FOUND');
    const changed = await put({ title: '教学楼施工招标', ...lots({ depositFen: 5 * WAN, bidDeadline: bj('2026-09-28T09:30:00') }) });
    expect(changed.json()).toMatchObject({
      title: '教学楼施工招标',
      lots: [{ lotNo: 1, depositFen: 5 * WAN, bidDeadline: bj('2026-09-28T09:30:00') }],
    });
    expect((await tenderer.get(`/api/tendering/tenders/${draft.json().id}`)).json().lots).toHaveLength(1);
    await t.ctx.db.deleteFrom('tenders').where('id', '=', draft.json().id).execute();
  });

  it('lets the agency operate an invited tender; only the invited obtain; supervisors and staff only read', async () => {
    const agency = await w.as('agency');
    const doc = await upload(agency);
    const b = (over: Record<string, unknown>) => tenderBody(w, projectB, [doc], { procedureType: 'works_invited_tender', ...over });
    const few = await agency.post('/api/tendering/tenders', b({ invitedOrgIds: [w.ids.b1!.orgId, w.ids.b2!.orgId] }));
    expect(problem(few)).toMatchObject({ code: 'TENDER_TOO_FEW_INVITED', field: 'invitedOrgIds' });
    expect(
      problem(await agency.post('/api/tendering/tenders', b({ invitedOrgIds: [w.ids.b1!.orgId, w.ids.b2!.orgId, w.ids.agency!.orgId] })))
        .code,
    ).toBe('TENDER_INVITEE_INVALID');
    const created = await agency.post('/api/tendering/tenders', b({ invitedOrgIds: [w.ids.b1!.orgId, w.ids.b2!.orgId, w.ids.b3!.orgId] }));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(problem(await (await w.as('staff')).post(`/api/tendering/tenders/${id}/publish`)).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await (await w.as('other')).post(`/api/tendering/tenders/${id}/publish`)).code).toBe('NOT_FOUND');
    const pub = await agency.post(`/api/tendering/tenders/${id}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().noticeId).toBeNull(); // 投标邀请书, not a public notice (法 17)
    expect(problem(await agency.post(`/api/tendering/tenders/${id}/publish`)).code).toBe('TENDER_ALREADY_PUBLISHED');
    const invited = await t.ctx.db.selectFrom('notifications').select('account_id').where('kind', '=', 'tender.invitation').execute();
    expect(new Set(invited.map((n) => n.account_id))).toEqual(new Set([w.ids.b1!.accountId, w.ids.b2!.accountId, w.ids.b3!.accountId]));
    expect((await t.app.inject({ method: 'GET', url: `/api/tendering/public/tenders/${id}` })).statusCode).toBe(404);
    expect(
      problem(
        await agency.post(
          '/api/tendering/tenders',
          tenderBody(w, projectB, [doc], { lots: [{ lotNo: 1, depositFen: 0, bidDeadline: bj('2026-09-30T09:30:00') }] }),
        ),
      ).code,
    ).toBe('TENDER_LOT_ALREADY_TENDERED');

    const b4 = await w.as('b4');
    expect((await b4.get(`/api/tendering/tenders/${id}`)).statusCode).toBe(404);
    expect(problem(await b4.post(`/api/tendering/tenders/${id}/obtain`)).code).toBe('NOT_FOUND');
    const b1 = await w.as('b1');
    expect((await b1.post(`/api/tendering/tenders/${id}/obtain`)).statusCode).toBe(200);
    expect((await b1.get(`/api/tendering/tenders/${id}`)).json().invitedOrgs).toBeNull();
    expect((await (await w.as('tenderer')).get(`/api/tendering/tenders/${id}`)).json().invitedOrgs).toHaveLength(3);
    expect((await (await w.as('reg')).get(`/api/tendering/tenders/${id}`)).statusCode).toBe(200);
    expect((await (await w.as('regx')).get(`/api/tendering/tenders/${id}`)).statusCode).toBe(404);
    expect(problem(await (await w.as('reg')).post(`/api/tendering/tenders/${id}/clarifications`, { text: 'x' })).code).toBe(
      'FORBIDDEN_ROLE',
    );
    for (const u of ['agency', 'tenderer', 'staff', 'reg', 'b1']) {
      expect(problem(await (await w.as(u)).get(`/api/tendering/tenders/${id}/obtains`)), u).toMatchObject({
        code: 'TENDER_SECRET_UNTIL_DEADLINE',
      });
    }
    expect(problem(await (await w.as('regx')).get(`/api/tendering/tenders/${id}/obtains`)).code).toBe('NOT_FOUND');

    // Not obtained: no questions, no objections, no clarifications to read.
    const b2 = await w.as('b2');
    expect(problem(await b2.post(`/api/tendering/tenders/${id}/questions`, { text: '问题' })).code).toBe('TENDER_NOT_OBTAINED');
    expect(problem(await b2.post(`/api/tendering/tenders/${id}/objections`, { text: '异议' })).code).toBe('TENDER_NOT_OBTAINED');
    expect((await b2.get(`/api/tendering/tenders/${id}/clarifications`)).statusCode).toBe(403);
    expect(problem(await b1.post(`/api/tendering/tenders/${id}/questions`, { text: '   ' })).code).toBe('VALIDATION_FAILED');
    expect(await count('tender_questions')).toBe(0);

    const o = await b1.post(`/api/tendering/tenders/${id}/objections`, { text: '异议' });
    expect(o.statusCode, o.body).toBe(201);
    expect(problem(await b1.post(`/api/tendering/objections/${o.json().id}/answer`, { text: '自问自答' })).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await (await w.as('other')).post(`/api/tendering/objections/${o.json().id}/answer`, { text: '越权' })).code).toBe(
      'NOT_FOUND',
    );
    expect((await agency.post(`/api/tendering/objections/${o.json().id}/answer`, { text: '答复' })).statusCode).toBe(200);
    expect(problem(await agency.post(`/api/tendering/objections/${o.json().id}/answer`, { text: '再答' })).code).toBe(
      'TENDER_OBJECTION_ANSWERED',
    );

    // Clarifications never bring a deadline forward, and a late one cannot pick a deadline short of the rule.
    expect(
      problem(await agency.post(`/api/tendering/tenders/${id}/clarifications`, { text: '提前', newBidDeadline: bj('2026-09-23T09:30:00') }))
        .code,
    ).toBe('TENDER_DEADLINE_EARLIER');
    t.clock.set(bj('2026-09-20T10:00:00'));
    const agency2 = await w.as('agency');
    const short = await agency2.post(`/api/tendering/tenders/${id}/clarifications`, {
      text: '晚',
      newBidDeadline: bj('2026-10-05T09:30:00'),
    });
    expect(problem(short)).toMatchObject({ code: 'TENDER_DEADLINE_TOO_SOON', field: 'newBidDeadline' });
    expect(await t.ctx.db.selectFrom('tender_clarifications').select('id').execute()).toHaveLength(0);
    t.clock.set('2026-09-01T01:00:00Z');
  });

  it('takes stricter local values from an administrator and refuses looser ones', async () => {
    const admin = await w.as('admin');
    const loose = await admin.put('/api/tendering/policies/works_open_tender/overrides', {
      key: 'periods.minBidPeriod',
      n: 15,
      unit: 'day',
      basis: '某市规定',
    });
    expect(problem(loose)).toMatchObject({ code: 'TENDER_OVERRIDE_LOOSER', field: 'key' });
    expect(
      problem(
        await (
          await w.as('tenderer')
        ).put('/api/tendering/policies/works_open_tender/overrides', {
          key: 'periods.minBidPeriod',
          n: 25,
          unit: 'day',
          basis: '本地规定',
        }),
      ).code,
    ).toBe('FORBIDDEN_ROLE');
    const strict = await admin.put('/api/tendering/policies/works_open_tender/overrides', {
      key: 'periods.minBidPeriod',
      n: 25,
      unit: 'day',
      basis: '某市招标投标管理办法 第十条',
    });
    expect(strict.statusCode, strict.body).toBe(200);
    expect(strict.json().periods.minBidPeriod).toMatchObject({ n: 25, unit: 'day' });
    expect(strict.json().periods.minBidPeriod.basis).toContain('招标投标法 第二十四条');
    const tenderer = await w.as('tenderer');
    const doc = await upload(tenderer);
    const soon = await tenderer.post('/api/tendering/tenders', tenderBody(w, projectA, [doc]));
    // 09-01 + 25 日 = Saturday 09-26 → the next working day, Monday 09-28 (民法典 203).
    expect(soon.json()).toMatchObject({ code: 'TENDER_DEADLINE_TOO_SOON', details: { earliest: '2026-09-28' } });
    expect((await admin.delete('/api/tendering/policies/works_open_tender/overrides/periods.minBidPeriod')).statusCode).toBe(204);
    expect((await tenderer.post('/api/tendering/tenders', tenderBody(w, projectA, [doc]))).statusCode).toBe(201);
    const pub = await t.app.inject({ method: 'GET', url: '/api/tendering/policies' });
    expect(pub.json().find((p: { code: string }) => p.code === 'works_open_tender').periods.minBidPeriod.n).toBe(20);
  });
});
