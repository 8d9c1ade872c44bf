import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines, problem } from '../../../test/harness';
import { depositWorld, lotUrl, subAccount, TENDER, LOT, DEADLINE, type DepositWorld } from './deposits.fixture';
import { depositStatus } from './index';

describeEngines('deposits: cash through the bank adapter', (engine) => {
  let w: DepositWorld;
  let accountA: string;
  beforeAll(async () => {
    w = await depositWorld(engine);
    accountA = await subAccount(w.s.a);
  });
  afterAll(() => w.close());

  const credit = (over: Record<string, unknown> = {}) => ({
    type: 'credit' as const,
    bankRef: 'CR0001',
    virtualAccount: accountA,
    amountFen: 200_000_00,
    payer: { name: '厦门(鹭岛)建设有限公司', accountNo: '6222000011112222', bank: '示范银行' },
    creditedAt: w.t.clock.now().toISOString(),
    ...over,
  });
  const mine = async () => (await w.s.a.get(`${lotUrl}/mine`)).json();

  it('a bidder gets one virtual sub-account per lot and bank, the same on every request', async () => {
    const again = await w.s.a.post(`${lotUrl}/sub-accounts`, { bankCode: 'demo_bank' });
    expect(again.json()).toMatchObject({
      accountNo: accountA,
      bankName: '示范银行厦门分行',
      accountName: '厦门市公共资源交易中心保证金专户',
    });
    const b = await subAccount(w.s.b);
    expect(b).not.toBe(accountA);
    expect(accountA).toMatch(/^35010099[0-9]{11}$/);
    // Unknown bank, and roles that are not bidders
    expect(problem(await w.s.a.post(`${lotUrl}/sub-accounts`, { bankCode: 'no_such_bank' })).code).toBe('DEPOSIT_BANK_UNKNOWN');
    expect(problem(await w.s.tenderer.post(`${lotUrl}/sub-accounts`, {})).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await w.s.regulator.post(`${lotUrl}/sub-accounts`, {})).code).toBe('SUPERVISOR_CANNOT_OPERATE');
    expect(problem(await w.s.a.post(`/api/deposits/lots/${TENDER}/L404/sub-accounts`, {})).code).toBe('DEPOSIT_LOT_UNKNOWN');
    expect(problem(await w.s.a.post(`${lotUrl}/sub-accounts`, { bankCode: 'demo_bank', extra: 1 })).code).toBe('FIELD_UNKNOWN');
  });

  it('refuses a callback with a bad signature, a stale timestamp, a replayed nonce or an unknown bank', async () => {
    const bad = await w.notify(credit(), { secret: 'not-the-shared-secret-0123456789-abcdef' });
    expect(bad.statusCode).toBe(401);
    expect(problem(bad).code).toBe('BANK_SIGNATURE_INVALID');
    // Signed over one body, another body sent (amount changed in transit)
    const signed = w.bank.sign(credit(), w.t.clock.now());
    const tampered = await w.t.app.inject({ ...signed, payload: signed.payload.replace('20000000', '2000000000') });
    expect(problem(tampered).code).toBe('BANK_SIGNATURE_INVALID');
    const stale = await w.notify(credit(), { at: new Date(w.t.clock.now().getTime() - 6 * 60_000) });
    expect(problem(stale).code).toBe('BANK_TIMESTAMP_SKEW');
    const unknown = await w.t.app.inject({ ...signed, url: '/api/deposits/banks/evil_bank/notifications' });
    expect(problem(unknown).code).toBe('BANK_UNKNOWN');
    expect(problem(await w.t.app.inject({ ...signed, headers: { ...signed.headers, 'x-bank-signature': '' } })).code).toBe(
      'BANK_SIGNATURE_INVALID',
    );
    // Nothing was recorded by any of these
    expect((await mine()).credits).toEqual([]);

    const first = await w.t.app.inject(signed);
    expect(first.json()).toMatchObject({ result: 'recorded' });
    const replay = await w.t.app.inject(signed);
    expect(replay.statusCode).toBe(401);
    expect(problem(replay).code).toBe('BANK_REPLAY');
  });

  it('is idempotent on the bank reference; a different transfer under the same reference is refused', async () => {
    const before = (await mine()).credits;
    expect(before).toHaveLength(1);
    const retry = await w.notify(credit({ creditedAt: before[0].creditedAt }));
    expect(retry.json()).toEqual({ result: 'duplicate', id: before[0].id });
    const clash = await w.notify(credit({ creditedAt: before[0].creditedAt, amountFen: 1 }));
    expect(clash.statusCode).toBe(409);
    expect(problem(clash).code).toBe('BANK_REF_CONFLICT');
    expect((await mine()).credits).toHaveLength(1);
    const m = await mine();
    expect(m.deposit).toMatchObject({ status: 'satisfied', by: 'cash', cashFen: 200_000_00 });
    expect(m.credits[0]).toMatchObject({ payerAccountNo: '6222000011112222', payerNameMatches: true, flags: [] });
  });

  it('two deliveries of one transfer racing each other: one recorded, one duplicate (no 500)', async () => {
    const n = credit({ bankRef: 'CR-RACE', amountFen: 1 });
    const [x, y] = await Promise.all([w.notify(n), w.notify(n)]);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
    expect([x.json().result, y.json().result].sort()).toEqual(['duplicate', 'recorded']);
    expect(x.json().id).toBe(y.json().id);
  });

  it('malformed bodies and unknown accounts are refused after authentication', async () => {
    const float = await w.notify(credit({ bankRef: 'CR-FLOAT', amountFen: 100.5 }));
    expect(problem(float)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'amountFen' });
    const unknown = await w.notify(credit({ bankRef: 'CR-UNKNOWN', virtualAccount: '3501009900000000000' }));
    expect(problem(unknown)).toMatchObject({ code: 'DEPOSIT_ACCOUNT_UNKNOWN', field: 'virtualAccount' });
  });

  it('short payment is insufficient; payment from an account in another name is flagged and does not count', async () => {
    const accountB = await subAccount(w.s.b);
    await w.notify(
      credit({
        bankRef: 'CR-B1',
        virtualAccount: accountB,
        amountFen: 150_000_00,
        payer: { name: '乙工程有限公司', accountNo: '6222000033334444' },
      }),
    );
    let statusB = await w.t.ctx.db
      .transaction()
      .execute((trx) =>
        depositStatus(trx, { tenderId: TENDER, lotId: LOT, bidderOrgId: w.orgs.b, requiredFen: 200_000_00, cashAllowed: true }),
      );
    expect([statusB.status, statusB.cashFen]).toEqual(['insufficient', 150_000_00]);
    w.t.clock.advance(60_000);
    // The rest comes from bidder A's account: a third party's money (flagged), and the 条例 40 signal (one account, two bidders)
    const r = await w.notify(
      credit({
        bankRef: 'CR-B2',
        virtualAccount: accountB,
        amountFen: 50_000_00,
        creditedAt: w.t.clock.now().toISOString(),
        payer: { name: '厦门（鹭岛）建设有限公司', accountNo: '6222000011112222' },
      }),
    );
    expect(r.json().result).toBe('recorded');
    statusB = await depositStatus(w.t.ctx.db, {
      tenderId: TENDER,
      lotId: LOT,
      bidderOrgId: w.orgs.b,
      requiredFen: 200_000_00,
      cashAllowed: true,
    });
    expect([statusB.status, statusB.cashFen, statusB.flaggedCashFen]).toEqual(['insufficient', 150_000_00, 50_000_00]);
    const mineB = (await w.s.b.get(`${lotUrl}/mine`)).json();
    expect(mineB.credits[1]).toMatchObject({ payerNameMatches: false, flags: ['payer_name_mismatch', 'payer_account_shared'] });
    // The same facts decide differently when the caller says cash is not allowed
    const noCash = await depositStatus(w.t.ctx.db, {
      tenderId: TENDER,
      lotId: LOT,
      bidderOrgId: w.orgs.a,
      requiredFen: 200_000_00,
      cashAllowed: false,
    });
    expect([noCash.status, noCash.cashNotAllowedFen]).toEqual(['missing', 200_000_01]);
  });

  it('after the deadline: no new sub-accounts; supervisors see the shared payer account', async () => {
    await w.travel(new Date(DEADLINE.getTime() + 60_000));
    expect(problem(await w.s.a.post(`${lotUrl}/sub-accounts`, {})).code).toBe('DEPOSIT_DEADLINE_PASSED');
    const sig = await w.s.regulator.get(`/api/deposits/tenders/${TENDER}/signals`);
    expect(sig.statusCode).toBe(200);
    expect(sig.json().sharedPayerAccounts).toEqual([
      {
        payerAccountNo: '6222000011112222',
        bidders: expect.arrayContaining([
          { orgId: w.orgs.a, name: '厦门（鹭岛）建设有限公司' },
          { orgId: w.orgs.b, name: '乙工程有限公司' },
        ]),
        lots: [LOT],
      },
    ]);
    expect(sig.json().payerNameMismatches).toHaveLength(1);
    expect(problem(await w.s.tenderer.get(`/api/deposits/tenders/${TENDER}/signals`)).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await w.s.farRegulator.get(`/api/deposits/tenders/${TENDER}/signals`)).code).toBe('FORBIDDEN_ROLE');
  });
});
