import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, problem, seedAccount, type TestApp } from '../../../test/harness';
import { loadOcdsValidator } from '../../../test/ocds-schema';
import { bj, seedWorld, upload, WAN, type World } from '../tendering/tendering.fixture';
import { depositsFor, openedWithBids, publishedTender } from './award.fixture';

/**
 * 政府采购 公开招标 after the opening: no candidate publicity, award within 5 工作日 of the report (late → warning,
 * 采购条例 43), losers' deposits refunded from the award (采购条例 33), 质疑 within 7 工作日 of the end of the
 * 1-working-day result announcement (采购法 52; 采购条例 53), answered to every bidder (采购法 53), contract paused
 * while it is open (采购条例 54), contract published later than 2 工作日 after signing → warning (采购条例 50).
 */
describeEngines('award: government procurement open tender', (engine) => {
  let t: TestApp;
  let w: World;
  let lotUrl: string;
  let tender: Awaited<ReturnType<typeof publishedTender>>;
  const at = (s: string) => t.clock.set(bj(s));
  const org = (u: string) => w.ids[u]!.orgId!;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-11-02T01:00:00Z' });
    w = await seedWorld(t, 'ag');
    const tenderer = await w.as('tenderer');
    const materials = await Promise.all(
      ['procurement_plan', 'procurement_requirements'].map(async (code) => ({ code, fileId: await upload(tenderer) })),
    );
    const p = await tenderer.post('/api/projects', {
      name: '某中学教学设备采购',
      catalogCode: 'gp.goods',
      procedureType: 'gp_open_tender',
      subject: 'goods',
      regionCode: '350203',
      estimateFen: 500 * WAN,
      lots: [
        { name: '第1包 教学设备', estimateFen: 300 * WAN },
        { name: '第2包 实验器材', estimateFen: 200 * WAN },
      ],
      materials,
    });
    expect(p.statusCode, p.body).toBe(201);
    expect((await tenderer.post(`/api/projects/${p.json().id}/submit`)).statusCode).toBe(200);
    expect((await (await w.as('staff')).post(`/api/projects/${p.json().id}/accept`)).statusCode).toBe(200);
    const gpReg = await seedAccount(t.ctx, {
      username: 'ag-gpreg',
      roles: [{ role: 'regulator', industries: ['government_procurement'], regions: ['350200'] }],
    });
    tender = await publishedTender(t, w, p.json().id, gpReg.accountId);
    lotUrl = `/api/award/tenders/${tender.tenderId}/lots/1`;
    const pay = await depositsFor(t, w, tender.tenderId, tender.lot1);
    await pay('b1', '2001');
    await pay('b2', '2002');
    at('2026-11-25T10:00:00'); // Wednesday: the report arrives
    await openedWithBids(t, tender.lot1, bj('2026-11-24T09:30:00'), [
      { orgId: org('b1'), priceFen: 180 * WAN },
      { orgId: org('b2'), priceFen: 185 * WAN },
      { orgId: org('b3'), priceFen: 190 * WAN },
    ]);
    const report = await upload(await w.as('tenderer'), '评审报告.pdf');
    const r = await (
      await w.as('tenderer')
    ).post(`${lotUrl}/evaluation-result`, {
      reportFileId: report,
      candidates: [
        { rank: 1, bidderOrgId: org('b1') },
        { rank: 2, bidderOrgId: org('b2') },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
  });
  afterAll(() => t?.close());

  it('no publicity; a late award is made with a warning and the losers’ refunds start from it', async () => {
    expect(problem(await (await w.as('tenderer')).post(`${lotUrl}/publicity`, {})).code).toBe('AWARD_NO_PUBLICITY');
    expect(problem(await (await w.as('b2')).post(`${lotUrl}/objections`, { text: '评审不公' })).code).toBe('AWARD_OBJECTION_NOT_OPEN');
    at('2026-12-03T10:00:00'); // report Wed 11-25 + 5 工作日 = Wed 12-02, 24:00
    const a = await (await w.as('tenderer')).post(`${lotUrl}/award`, {});
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().warnings[0]).toMatchObject({ code: 'AWARD_LATE', dueAt: '2026-12-02T16:00:00.000Z' });
    // 30 日 from 12-03 reach 2027, which the calendar does not know yet: the plain 30th day, flagged (not a refusal).
    expect(a.json().warnings[1]).toMatchObject({ code: 'CONTRACT_DUE_ESTIMATED', dueAt: '2027-01-02T16:00:00.000Z' });
    expect(a.json().contractDueAt).toBe('2027-01-02T16:00:00.000Z');
    // 采购条例 33: the loser that paid (b2) is refunded within 5 工作日 of the notice: 12-04, 07, 08, 09, 10.
    expect(a.json().refunds).toEqual([expect.objectContaining({ bidderOrgId: org('b2'), dueAt: '2026-12-10T16:00:00.000Z' })]);
    const v = (await (await w.as('b3')).get(lotUrl)).json();
    // The result announcement period (1 工作日) ends 12-04; 质疑 until 7 工作日 later: 12-15, 24:00.
    expect(v.objectionWindow).toMatchObject({ kind: 'challenge', closesAt: '2026-12-15T16:00:00.000Z' });
    expect(v.result.candidates.map((c: { bidderOrgId: string }) => c.bidderOrgId)).toEqual([org('b1')]); // only the winner is public
  });

  it('a 质疑 pauses the contract until answered; the answer goes to every bidder; a late contract notice is flagged', async () => {
    at('2026-12-08T10:00:00');
    const q = await (await w.as('b2')).post(`${lotUrl}/objections`, { text: '中标供应商的产品不满足技术参数第5项。' });
    expect(q.statusCode, q.body).toBe(201);
    expect(q.json()).toMatchObject({ kind: 'challenge', answerDueAt: '2026-12-17T16:00:00.000Z' });
    at('2026-12-09T10:00:00');
    const tenderer = await w.as('tenderer');
    const file = await upload(tenderer, '采购合同.pdf');
    const contract = { fileId: file, valueFen: 180 * WAN, signedAt: bj('2026-12-09T09:00:00') };
    expect(problem(await tenderer.post(`${lotUrl}/contract`, contract))).toMatchObject({ code: 'AWARD_CHALLENGE_OPEN' });
    expect(
      (await tenderer.post(`/api/award/objections/${q.json().id}/answer`, { text: '经复核，技术参数满足要求。' })).json(),
    ).toMatchObject({ late: false });
    const told = await t.ctx.db.selectFrom('notifications').select('account_id').where('kind', '=', 'award.objection_answered').execute();
    expect(new Set(told.map((n) => n.account_id))).toEqual(new Set(['b1', 'b2', 'b3'].map((b) => w.ids[b]!.accountId)));

    at('2026-12-14T10:00:00'); // signed Wed 12-09 → published by Fri 12-11; Monday is late
    const c = await (await w.as('tenderer')).post(`${lotUrl}/contract`, contract);
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().warnings.map((x: { code: string }) => x.code)).toEqual(['CONTRACT_PUBLICATION_LATE']);
    expect(c.json().refunds).toEqual([expect.objectContaining({ bidderOrgId: org('b1'), dueAt: '2026-12-16T16:00:00.000Z' })]);

    at('2026-12-16T10:00:00');
    expect(problem(await (await w.as('b3')).post(`${lotUrl}/objections`, { text: '补充质疑' }))).toMatchObject({
      code: 'AWARD_OBJECTION_CLOSED',
      field: 'lotId',
    });
  });

  it('流标 of lot 2 (fewer than 3 valid bids, 采购法 36): failure_notice, lot unsuccessful in OCDS', async () => {
    at('2026-12-16T11:00:00');
    // FIXTURE(bidding): only two valid bids were opened on lot 2.
    await openedWithBids(t, tender.lot2, bj('2026-11-24T09:30:00'), [
      { orgId: org('b1'), priceFen: 90 * WAN },
      { orgId: org('b2'), priceFen: 95 * WAN },
    ]);
    const url = `/api/award/tenders/${tender.tenderId}/lots/2/fail`;
    expect(problem(await (await w.as('b1')).post(url, { reason: '不足三家' })).code).toBe('AWARD_NOT_OPERATOR');
    const f = await (await w.as('tenderer')).post(url, { reason: '有效投标不足三家，依法废标。' });
    expect(f.statusCode, f.body).toBe(200);
    const notice = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${f.json().noticeId}` });
    expect(notice.json()).toMatchObject({ type: 'failure_notice' });
    expect((await (await w.as('b2')).get(`/api/award/tenders/${tender.tenderId}/lots/2`)).json()).toMatchObject({
      status: 'failed',
      ending: { kind: 'failed' },
    });
    const pkg = (
      await t.app.inject({ method: 'GET', url: `/api/opendata/releases?ocid=${t.ctx.config.ocidPrefix}-${tender.tenderId}&limit=100` })
    ).json();
    const last = pkg.releases.at(-1);
    expect(last.tag).toEqual(['tenderUpdate']);
    expect(last.tender.lots.map((l: { status: string }) => l.status)).toEqual(['complete', 'unsuccessful']);
    expect(last.tender.status).toBe('complete');
    const validator = loadOcdsValidator(); // null without ../shared/data/ocds (the works scenario says so when it skips)
    if (validator) expect(validator.releasePackage(pkg)).toEqual([]);
  });
});
