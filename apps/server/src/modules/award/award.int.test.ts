import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, problem, type TestApp } from '../../../test/harness';
import { loadOcdsValidator } from '../../../test/ocds-schema';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { acceptedProject, bj, seedWorld, upload, WAN, type World } from '../tendering/tendering.fixture';
import { depositsFor, openedWithBids, publishedTender } from './award.fixture';

const validator = loadOcdsValidator();

/**
 * A works open tender after its opening, through the award module's API: evaluation result → 中标候选人公示 → an
 * objection that pauses the award and is answered late → award with the 中标通知书 PDF → contract → refunds → OCDS;
 * plus the attacks (a stranger, a supervisor, a bidder operating; an objection after its deadline; an award before
 * the publicity ends) and a termination with its re-tender. Dates (Beijing) avoid nothing: 11-28/29 is a weekend.
 */
describeEngines('award: after the opening, from the result to the contract', (engine) => {
  let t: TestApp;
  let w: World;
  let tender: Awaited<ReturnType<typeof publishedTender>>;
  let lotUrl: string;
  let reportId: string;
  let pay: Awaited<ReturnType<typeof depositsFor>>;
  const at = (s: string) => t.clock.set(bj(s));
  const orgs = () => ({ b1: w.ids.b1!.orgId!, b2: w.ids.b2!.orgId!, b3: w.ids.b3!.orgId!, b4: w.ids.b4!.orgId! });

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-11-02T01:00:00Z' });
    w = await seedWorld(t, 'aw');
    tender = await publishedTender(t, w, await acceptedProject(w));
    lotUrl = `/api/award/tenders/${tender.tenderId}/lots/1`;
    pay = await depositsFor(t, w, tender.tenderId, tender.lot1);
    await pay('b1', '1001');
    await pay('b2', '1002');
  });
  afterAll(() => t?.close());

  it('terminates lot 2 during bidding with a termination notice, and re-tenders it (retender_of)', async () => {
    at('2026-11-10T10:00:00');
    const tenderer = await w.as('tenderer');
    const b1 = await w.as('b1');
    // Before the deadline nobody may learn who bids: a bidder is a stranger to the lot (404, not 403).
    expect(problem(await b1.post(`/api/award/tenders/${tender.tenderId}/lots/2/terminate`, { reason: '资金未落实' })).code).toBe(
      'NOT_FOUND',
    );
    const ended = await tenderer.post(`/api/award/tenders/${tender.tenderId}/lots/2/terminate`, {
      reason: '项目资金调整，本标段终止招标。',
    });
    expect(ended.statusCode, ended.body).toBe(200);
    const notice = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${ended.json().noticeId}` });
    expect(notice.json()).toMatchObject({ type: 'termination_notice', relatedId: tender.noticeId });
    expect(problem(await tenderer.post(`/api/award/tenders/${tender.tenderId}/lots/2/terminate`, { reason: '再来一次' })).code).toBe(
      'AWARD_LOT_ENDED',
    );
    const told = await t.ctx.db.selectFrom('notifications').select('account_id').where('kind', '=', 'award.lot_terminated').execute();
    expect(new Set(told.map((n) => n.account_id))).toEqual(new Set(['b1', 'b2', 'b3'].map((b) => w.ids[b]!.accountId)));

    // Re-tender lot 1 (still bidding) is refused; lot 2 gets a new draft tender that points back to it.
    const doc = await upload(tenderer, '招标文件（重新招标）.pdf');
    const body = {
      depositFen: 4 * WAN,
      bidDeadline: bj('2026-12-08T09:30:00'),
      documentIds: [doc],
      escrow: { k: 2, custodianAccountIds: [w.ids.staff!.accountId, w.ids.reg!.accountId, w.ids.tenderer!.accountId] },
    };
    expect(problem(await tenderer.post(`${lotUrl}/retender`, body)).code).toBe('AWARD_WRONG_STAGE');
    const re = await tenderer.post(`/api/award/tenders/${tender.tenderId}/lots/2/retender`, body);
    expect(re.statusCode, re.body).toBe(201);
    const fresh = await tenderer.get(`/api/tendering/tenders/${re.json().tenderId}`);
    expect(fresh.json()).toMatchObject({
      status: 'draft',
      title: expect.stringContaining('重新招标'),
      lots: [{ lotNo: 2, status: 'draft' }],
    });
    const view = await tenderer.get(`/api/award/tenders/${tender.tenderId}/lots/2`);
    expect(view.json()).toMatchObject({ status: 'terminated', ending: { kind: 'terminated' }, retender: re.json() });
    expect(problem(await tenderer.post(`/api/award/tenders/${tender.tenderId}/lots/2/retender`, body)).code).toBe(
      'AWARD_ALREADY_RETENDERED',
    );
  });

  it('evaluation result: only the tenderer side enters it; candidates must be valid bidders; secret until publicised', async () => {
    at('2026-11-25T10:00:00');
    const o = orgs();
    await openedWithBids(t, tender.lot1, bj('2026-11-24T09:30:00'), [
      { orgId: o.b1, priceFen: 280 * WAN },
      { orgId: o.b2, priceFen: 290 * WAN },
      { orgId: o.b3, priceFen: 295 * WAN },
    ]);
    const tenderer = await w.as('tenderer');
    reportId = await upload(tenderer, '评标报告.pdf');
    const result = {
      reportFileId: reportId,
      candidates: [
        { rank: 1, bidderOrgId: o.b1, score: 92.5 },
        { rank: 2, bidderOrgId: o.b2, score: 88 },
        { rank: 3, bidderOrgId: o.b3, score: 80.25 },
      ],
    };
    expect(problem(await (await w.as('other')).post(`${lotUrl}/evaluation-result`, result)).code).toBe('NOT_FOUND'); // a stranger learns nothing
    expect(problem(await (await w.as('reg')).post(`${lotUrl}/evaluation-result`, result)).code).toBe('SUPERVISOR_CANNOT_OPERATE');
    expect(problem(await (await w.as('b1')).post(`${lotUrl}/evaluation-result`, result)).code).toBe('AWARD_NOT_OPERATOR');
    const bad = await tenderer.post(`${lotUrl}/evaluation-result`, { ...result, candidates: [{ rank: 1, bidderOrgId: o.b4 }] });
    expect(problem(bad)).toMatchObject({ code: 'AWARD_CANDIDATE_NOT_BIDDER', field: 'candidates.0.bidderOrgId' });
    expect(problem(await tenderer.post(`${lotUrl}/award`, {})).code).toBe('AWARD_NO_RESULT');

    const ok = await tenderer.post(`${lotUrl}/evaluation-result`, result);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(
      ok.json().result.candidates.map((c: { rank: number; priceFen: number; score: string }) => [c.rank, c.priceFen, c.score]),
    ).toEqual([
      [1, 280 * WAN, '92.50'],
      [2, 290 * WAN, '88.00'],
      [3, 295 * WAN, '80.25'],
    ]);
    expect(problem(await tenderer.post(`${lotUrl}/evaluation-result`, result)).code).toBe('AWARD_RESULT_EXISTS');
    const b2view = await (await w.as('b2')).get(lotUrl);
    expect(b2view.statusCode).toBe(200);
    expect(b2view.json().result).toBeNull(); // not public before the publicity
    expect(problem(await (await w.as('b2')).post(`${lotUrl}/objections`, { text: '评分有误' })).code).toBe('AWARD_OBJECTION_NOT_OPEN');
    expect(problem(await tenderer.post(`${lotUrl}/award`, {})).code).toBe('AWARD_PUBLICITY_MISSING');
  });

  it('publicity within 3 日 for 3 日 (ends Monday 24:00 after a weekend); award refused while it runs', async () => {
    at('2026-11-26T10:00:00');
    const tenderer = await w.as('tenderer');
    const pub = await tenderer.post(`${lotUrl}/publicity`, {});
    expect(pub.statusCode, pub.body).toBe(200);
    // 11-26 + 3 日 = Sunday 11-29 → Monday 11-30, 24:00 Beijing (民法典 203).
    expect(pub.json()).toMatchObject({ startsAt: bj('2026-11-26T10:00:00'), endsAt: '2026-11-30T16:00:00.000Z', warnings: [] });
    const a = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${pub.json().noticeId}` });
    expect(a.json()).toMatchObject({ type: 'candidate_publicity' });
    expect(a.json().bodyHtml).toContain('aw 投标人b1');
    expect(a.json().bodyHtml).not.toContain('92.5'); // scores are not published
    const b2view = (await (await w.as('b2')).get(lotUrl)).json();
    expect(b2view.result.candidates.map((c: { score: string | null }) => c.score)).toEqual([null, null, null]);
    expect(b2view.objectionWindow).toMatchObject({ kind: 'objection', closesAt: '2026-11-30T16:00:00.000Z' });
    at('2026-11-27T09:00:00');
    const early = problem(await (await w.as('tenderer')).post(`${lotUrl}/award`, {}));
    expect(early).toMatchObject({ code: 'AWARD_PUBLICITY_RUNNING' });
  });

  it('an objection pauses the award, is flagged overdue, answered late; a late objection changes nothing', async () => {
    at('2026-11-27T10:00:00');
    const raised = await (await w.as('b2')).post(`${lotUrl}/objections`, { text: '第一名的项目经理有在建工程，不满足资格条件。' });
    expect(raised.statusCode, raised.body).toBe(201);
    expect(raised.json()).toMatchObject({ kind: 'objection', status: 'open', answerDueAt: '2026-11-30T16:00:00.000Z', mine: true });
    expect(problem(await (await w.as('other')).post(`${lotUrl}/objections`, { text: '路人异议' })).code).toBe('NOT_FOUND');

    at('2026-12-01T09:00:00');
    await runDueJobs(t.ctx);
    const flagged = await t.ctx.db
      .selectFrom('award_objections')
      .select(['overdue_flagged_at'])
      .where('id', '=', raised.json().id)
      .executeTakeFirstOrThrow();
    expect(flagged.overdue_flagged_at?.toISOString()).toBe(bj('2026-12-01T09:00:00'));
    expect(await t.ctx.db.selectFrom('ledger_entries').select('seq').where('type', '=', 'award.objection_overdue').execute()).toHaveLength(
      1,
    );

    const late = await (await w.as('b3')).post(`${lotUrl}/objections`, { text: '公示结束后才看到。' });
    expect(problem(late)).toMatchObject({ code: 'AWARD_OBJECTION_CLOSED', status: 409 });
    expect(await t.ctx.db.selectFrom('award_objections').select('id').execute()).toHaveLength(1);

    const tenderer = await w.as('tenderer');
    const paused = problem(await tenderer.post(`${lotUrl}/award`, {}));
    expect(paused).toMatchObject({ code: 'AWARD_OBJECTION_OPEN' });
    expect(problem(await (await w.as('b2')).post(`/api/award/objections/${raised.json().id}/answer`, { text: '自问自答' })).code).toBe(
      'AWARD_NOT_OPERATOR',
    );
    const answered = await tenderer.post(`/api/award/objections/${raised.json().id}/answer`, {
      text: '经核查，该项目经理的在建工程已竣工验收，异议不成立。',
    });
    expect(answered.json()).toMatchObject({ status: 'answered', late: true, overdue: true });
    const told = await t.ctx.db.selectFrom('notifications').select('account_id').where('kind', '=', 'award.objection_answered').execute();
    expect(told.map((n) => n.account_id)).toEqual([w.ids.b2!.accountId]);
  });

  it('award: 中标结果公告, 中标通知书 PDF downloadable by winner and tenderer with its hash in the ledger, result notices', async () => {
    at('2026-12-01T10:00:00');
    const tenderer = await w.as('tenderer');
    expect(problem(await tenderer.post(`${lotUrl}/award`, { winnerOrgId: orgs().b2 })).code).toBe('AWARD_REASON_REQUIRED');
    const r = await tenderer.post(`${lotUrl}/award`, {});
    expect(r.statusCode, r.body).toBe(200);
    const { notice } = r.json();
    // 法 46: 30 日 from the notice → 12-31, 24:00 Beijing.
    expect(r.json()).toMatchObject({ contractDueAt: '2026-12-31T16:00:00.000Z', warnings: [], refunds: [] }); // works: refunds after the contract (条例 57)
    expect(problem(await tenderer.post(`${lotUrl}/award`, {})).code).toBe('AWARD_WRONG_STAGE');

    const b1 = await w.as('b1');
    const pdf = await b1.get(`${lotUrl}/notice.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const sha = createHash('sha256').update(pdf.rawPayload).digest('hex');
    expect(sha).toBe(notice.sha256);
    const entry = await t.ctx.db
      .selectFrom('ledger_entries')
      .select(['seq', 'payload'])
      .where('type', '=', 'award.notice_pdf')
      .executeTakeFirstOrThrow();
    const payload = typeof entry.payload === 'string' ? JSON.parse(entry.payload) : entry.payload;
    expect(payload).toMatchObject({ sha256: sha, noticeNo: notice.noticeNo, noticeLedgerSeq: notice.ledgerSeq });
    expect((await tenderer.get(`${lotUrl}/notice.pdf`)).statusCode).toBe(200);
    expect((await (await w.as('b2')).get(`${lotUrl}/notice.pdf`)).statusCode).toBe(404);
    expect((await b1.get(`/api/files/${notice.fileId}`)).statusCode).toBe(200);
    expect((await (await w.as('b2')).get(`/api/files/${notice.fileId}`)).statusCode).toBe(404);

    const result = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${r.json().resultNoticeId}` });
    expect(result.json()).toMatchObject({ type: 'award_notice' });
    const kinds = await t.ctx.db
      .selectFrom('notifications')
      .select(['account_id', 'kind'])
      .where('kind', 'in', ['award.notice', 'award.result'])
      .execute();
    expect(kinds.filter((k) => k.kind === 'award.notice').map((k) => k.account_id)).toEqual([w.ids.b1!.accountId]);
    expect(new Set(kinds.filter((k) => k.kind === 'award.result').map((k) => k.account_id))).toEqual(
      new Set([w.ids.b2!.accountId, w.ids.b3!.accountId]),
    );
    const v = (await (await w.as('b3')).get(lotUrl)).json();
    expect(v).toMatchObject({
      status: 'awarded',
      award: { winnerOrgId: orgs().b1, priceFen: 280 * WAN, noticeSha256: sha },
      objections: [],
    });
  });

  it('contract: uploaded and published; deposits refunded within 5 日 of signing (条例 57); performance entries', async () => {
    at('2026-12-10T10:00:00');
    const tenderer = await w.as('tenderer');
    const signed = await upload(tenderer, '施工合同（签章版）.pdf');
    const pub = await upload(tenderer, '施工合同（公开版）.pdf');
    const c = await tenderer.post(`${lotUrl}/contract`, {
      fileId: signed,
      publicFileId: pub,
      valueFen: 280 * WAN,
      signedAt: bj('2026-12-10T09:00:00'),
      periodStart: '2026-12-15',
      periodEnd: '2027-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().warnings).toEqual([]);
    // Signed Thursday 12-10 → Tuesday 12-15, 24:00 Beijing, for the winner and the other paying bidder alike.
    expect(
      c
        .json()
        .refunds.map((x: { bidderOrgId: string; dueAt: string }) => [x.bidderOrgId, x.dueAt])
        .sort(),
    ).toEqual(
      [
        [orgs().b1, '2026-12-15T16:00:00.000Z'],
        [orgs().b2, '2026-12-15T16:00:00.000Z'],
      ].sort(),
    );
    const refunds = await t.ctx.db
      .selectFrom('deposit_refunds')
      .select(['bidder_org_id', 'reason', 'period_n', 'period_unit'])
      .where('lot_id', '=', tender.lot1)
      .execute();
    expect(refunds.map((x) => [x.reason, x.period_n, x.period_unit]).sort()).toEqual([
      ['contract_losers', 5, 'calendar_day'],
      ['contract_winner', 5, 'calendar_day'],
    ]);
    const notice = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${c.json().noticeId}` });
    expect(notice.json()).toMatchObject({ type: 'contract_notice' });
    expect(problem(await (await w.as('b3')).post(`${lotUrl}/objections`, { text: '迟到的异议' })).code).toBe('AWARD_OBJECTION_CLOSED');

    at('2026-12-20T10:00:00');
    const t2 = await w.as('tenderer');
    expect(
      (
        await t2.post(`${lotUrl}/performance`, {
          kind: 'payment',
          occurredOn: '2026-12-18',
          amountFen: 84 * WAN,
          description: '预付款 30%',
        })
      ).statusCode,
    ).toBe(201);
    expect((await t2.post(`${lotUrl}/performance`, { kind: 'milestone', occurredOn: '2026-12-19', description: '开工' })).statusCode).toBe(
      201,
    );
    expect(
      problem(await t2.post(`${lotUrl}/performance`, { kind: 'payment', occurredOn: '2026-12-19', description: '无金额' })).field,
    ).toBe('amountFen');
    const v = (await (await w.as('reg')).get(lotUrl)).json();
    expect(v).toMatchObject({
      status: 'contracted',
      contract: { valueFen: 280 * WAN, performance: [{ kind: 'payment' }, { kind: 'milestone' }] },
    });
    expect(v.result.candidates[0].score).toBe('92.50'); // the regulator in jurisdiction reads everything
    expect((await (await w.as('regx')).get(lotUrl)).statusCode).toBe(404);
  });

  it('OCDS: a release at each public step, valid, with nothing that was not public at its date', async (c) => {
    const ocid = `${t.ctx.config.ocidPrefix}-${tender.tenderId}`;
    const pkg = (await t.app.inject({ method: 'GET', url: `/api/opendata/releases?ocid=${ocid}&limit=100` })).json();
    const mine = pkg.releases.filter((r: { tag: string[] }) => !r.tag.includes('tender'));
    expect(mine.map((r: { tag: string[] }) => r.tag.join())).toEqual([
      'tenderUpdate',
      'award',
      'award',
      'contract',
      'implementation',
      'implementation',
    ]);
    const [, publicity, award, contract, payment] = mine;
    expect(publicity.awards.map((a: { status: string }) => a.status)).toEqual(['pending', 'pending', 'pending']);
    expect(publicity.contracts).toBeUndefined();
    expect(award.awards.map((a: { status: string }) => a.status)).toEqual(['active', 'unsuccessful', 'unsuccessful']);
    expect(contract.contracts[0]).toMatchObject({ status: 'active', value: { amount: 2_800_000, currency: 'CNY' } });
    expect(payment.contracts[0].implementation.transactions[0]).toMatchObject({ value: { amount: 840_000 } });
    expect(JSON.stringify(pkg)).not.toMatch(/92\.5|80\.25/);
    expect(payment.tender.lots.map((l: { status: string }) => l.status)).toEqual(['complete', 'cancelled']);
    if (!validator) return c.skip('../shared/data/ocds is absent: OCDS schema validation skipped');
    expect(validator.releasePackage(pkg)).toEqual([]);
    const rec = (await t.app.inject({ method: 'GET', url: `/api/opendata/records/${ocid}` })).json();
    expect(validator.recordPackage(rec)).toEqual([]);
  });
});
