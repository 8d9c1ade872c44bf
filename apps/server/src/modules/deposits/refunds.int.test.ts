import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines, problem } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { depositWorld, lotUrl, subAccount, TENDER, LOT, type DepositWorld } from './deposits.fixture';
import { refundDueAt, startRefunds, type StartRefundsInput } from './index';

/**
 * Refunds across the 2026 National Day holiday (Oct 1–7 rest; Sep 20 and Oct 10 are 调休 working days).
 * The tender: deadline Mon 2026-09-21 10:00 Beijing, award Tue 2026-09-29 10:00, contract Tue 2026-10-20 10:00.
 */
describeEngines('deposits: refunds, due dates on the working-day calendar, overdue flags', (engine) => {
  let w: DepositWorld;
  const award = new Date('2026-09-29T02:00:00Z');
  const contract = new Date('2026-10-20T02:00:00Z');
  beforeAll(async () => {
    w = await depositWorld(
      engine,
      { revealAfter: new Date('2026-09-21T02:00:00Z'), bidValidUntil: new Date('2026-12-20T16:00:00Z') },
      { now: '2026-09-01T01:00:00Z' },
    );
    const pay = async (who: 'a' | 'b', ref: string, payer: string, accountNo: string) => {
      const r = await w.notify({
        type: 'credit',
        bankRef: ref,
        virtualAccount: await subAccount(w.s[who]),
        amountFen: 200_000_00,
        payer: { name: payer, accountNo },
        creditedAt: w.t.clock.now().toISOString(),
      });
      expect(r.json().result).toBe('recorded');
    };
    await pay('a', 'RF-A', '厦门(鹭岛)建设有限公司', '6222000077778888');
    await pay('b', 'RF-B', '乙工程有限公司', '6222000099990000');
    w.guarantee('BH-B', { applicant: { name: '乙工程有限公司', uscc: '91350200MA2DEPOSBX' }, validUntil: '2026-12-20T16:00:00Z' });
    expect((await w.s.b.post(`${lotUrl}/guarantees`, { issuerCode: 'demo_issuer', guaranteeNo: 'BH-B' })).statusCode).toBe(201);
    await w.travel(award);
  });
  afterAll(() => w.close());

  const start = (input: Omit<StartRefundsInput, 'tenderId' | 'lotId'>) =>
    w.t.ctx.db.transaction().execute((trx) => startRefunds(trx, { tenderId: TENDER, lotId: LOT, ...input }, w.t.clock.now()));

  it('due dates: 5 working days (采购条例 33), a local 3-working-day promise, 5 calendar days (条例 57); refuses years without data', async () => {
    const db = w.t.ctx.db;
    // 9/30, 10/8, 10/9, 10/10 (调休 Saturday), 10/12 → 24:00 Beijing on Mon 12 October
    expect((await refundDueAt(db, award, { n: 5, unit: 'working_day' })).toISOString()).toBe('2026-10-12T16:00:00.000Z');
    expect((await refundDueAt(db, award, { n: 3, unit: 'working_day' })).toISOString()).toBe('2026-10-09T16:00:00.000Z');
    // 5 days after Tue 10/20 is Sun 10/25, a rest day → Mon 10/26 (民法典 203)
    expect((await refundDueAt(db, contract, { n: 5, unit: 'calendar_day' })).toISOString()).toBe('2026-10-26T16:00:00.000Z');
    await expect(refundDueAt(db, new Date('2026-12-28T02:00:00Z'), { n: 5, unit: 'working_day' })).rejects.toMatchObject({
      code: 'CALENDAR_YEAR_UNKNOWN',
    });
  });

  it('after award the loser gets a refund task due on 12 October and its guarantee is released; running it again adds nothing', async () => {
    const r = await start({
      bidders: { except: [w.orgs.a] },
      reason: 'award_losers',
      basisAt: award,
      period: { n: 5, unit: 'working_day' },
    });
    expect(r.refunds).toEqual([
      { id: expect.any(String), bidderOrgId: w.orgs.b, amountFen: 200_000_00, dueAt: new Date('2026-10-12T16:00:00Z') },
    ]);
    expect(r.releasedGuarantees).toHaveLength(1);
    const again = await start({
      bidders: { except: [w.orgs.a] },
      reason: 'award_losers',
      basisAt: award,
      period: { n: 5, unit: 'working_day' },
    });
    expect(again).toEqual({ refunds: [], releasedGuarantees: [] });
    const list = (await w.s.finance.get('/api/deposits/refunds?status=open')).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      bidderName: '乙工程有限公司',
      amountFen: 200_000_00,
      dueAt: '2026-10-12T16:00:00.000Z',
      period: { n: 5, unit: 'working_day' },
      overdue: false,
    });
    const mineB = (await w.s.b.get(`${lotUrl}/mine`)).json();
    expect(mineB.guarantees[0].status).toBe('released');
    expect(mineB.refunds[0]).toMatchObject({ status: 'open', payerAccountNo: '6222000099990000' });
  });

  it('money arriving after the refunds started goes back too, on the same period counted from its arrival', async () => {
    const acct = (await w.s.b.get(`${lotUrl}/mine`)).json().subAccounts[0].accountNo as string;
    // Wed 30 Sep 10:00 Beijing: 10/8, 10/9, 10/10 (调休), 10/12, 10/13 → 24:00 on Tue 13 October
    await w.travel(new Date('2026-09-30T02:00:00Z'));
    const r = await w.notify({
      type: 'credit',
      bankRef: 'RF-B-LATE',
      virtualAccount: acct,
      amountFen: 100_00,
      payer: { name: '乙工程有限公司', accountNo: '6222000099990000' },
      creditedAt: w.t.clock.now().toISOString(),
    });
    expect(r.json().result).toBe('recorded');
    const refunds = (await w.s.b.get(`${lotUrl}/mine`)).json().refunds;
    expect(refunds.map((x: { amountFen: number; dueAt: string; reason: string }) => [x.amountFen, x.dueAt, x.reason])).toEqual([
      [200_000_00, '2026-10-12T16:00:00.000Z', 'award_losers'],
      [100_00, '2026-10-13T16:00:00.000Z', 'award_losers+late_credit'],
    ]);
  });

  it('the chronograph flags it overdue at 24:00 on the due day, not before', async () => {
    await w.travel(new Date('2026-10-12T15:59:00Z'));
    await runDueJobs(w.t.ctx);
    expect((await w.s.finance.get('/api/deposits/refunds?status=overdue')).json().items).toEqual([]);
    await w.travel(new Date('2026-10-12T16:00:01Z'));
    await runDueJobs(w.t.ctx);
    const overdue = (await w.s.finance.get('/api/deposits/refunds?status=overdue')).json().items;
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ overdue: true, overdueAt: '2026-10-12T16:00:01.000Z', status: 'open' });
    const entries = await w.t.ctx.db
      .selectFrom('ledger_entries')
      .select('subject_id')
      .where('type', '=', 'deposit.refund_overdue')
      .execute();
    expect(entries.map((e) => e.subject_id)).toEqual([overdue[0].id]);
  });

  it('finance marks the refund paid with the bank reference and interest; only finance may, and only once', async () => {
    const id = (await w.s.finance.get('/api/deposits/refunds?status=open')).json().items[0].id;
    expect(problem(await w.s.regulator.post(`/api/deposits/refunds/${id}/complete`, { bankRef: 'RB-1' })).code).toBe(
      'SUPERVISOR_CANNOT_OPERATE',
    );
    expect(problem(await w.s.b.post(`/api/deposits/refunds/${id}/complete`, { bankRef: 'RB-1' })).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await w.s.finance.post(`/api/deposits/refunds/${id}/complete`, { bankRef: 'RB-1', interestFen: 1.5 })).code).toBe(
      'VALIDATION_FAILED',
    );
    const done = await w.s.finance.post(`/api/deposits/refunds/${id}/complete`, { bankRef: 'RB-1', interestFen: 1234 });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'done',
      bankRef: 'RB-1',
      interestFen: 1234,
      confirmedVia: 'staff',
      late: true,
      overdue: true,
    });
    expect(problem(await w.s.finance.post(`/api/deposits/refunds/${id}/complete`, { bankRef: 'RB-2' })).code).toBe('DEPOSIT_REFUND_DONE');
  });

  it('the winner is refunded 5 days after the contract, confirmed by the bank adapter with interest; no overdue flag', async () => {
    await w.travel(contract);
    const r = await start({
      bidders: { only: [w.orgs.a] },
      reason: 'contract_winner',
      basisAt: contract,
      period: { n: 5, unit: 'calendar_day' },
    });
    expect(r.refunds[0]).toMatchObject({ bidderOrgId: w.orgs.a, dueAt: new Date('2026-10-26T16:00:00Z') });
    const refundId = r.refunds[0]!.id;
    const wrong = await w.notify({ type: 'refund', bankRef: 'RB-A', refundId, amountFen: 100, completedAt: w.t.clock.now().toISOString() });
    expect(problem(wrong)).toMatchObject({ code: 'DEPOSIT_REFUND_AMOUNT', field: 'amountFen' });
    const ok = await w.notify({
      type: 'refund',
      bankRef: 'RB-A',
      refundId,
      amountFen: 200_000_00,
      interestFen: 567,
      completedAt: w.t.clock.now().toISOString(),
    });
    expect(ok.json()).toEqual({ result: 'recorded', id: refundId });
    const dup = await w.notify({
      type: 'refund',
      bankRef: 'RB-A',
      refundId,
      amountFen: 200_000_00,
      interestFen: 567,
      completedAt: w.t.clock.now().toISOString(),
    });
    expect(dup.json()).toEqual({ result: 'duplicate', id: refundId });
    await w.travel(new Date('2026-10-27T00:00:00Z'));
    await runDueJobs(w.t.ctx);
    const mineA = (await w.s.a.get(`${lotUrl}/mine`)).json();
    expect(mineA.refunds).toEqual([
      expect.objectContaining({ status: 'done', confirmedVia: 'bank', interestFen: 567, overdue: false, late: false }),
    ]);
    const done = (await w.s.finance.get('/api/deposits/refunds?status=done')).json().items;
    expect(done).toHaveLength(2);
  });
});
