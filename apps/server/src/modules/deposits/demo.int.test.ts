import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { registerLotDeposit } from './index';

/** The demo issuer and bank inside a listening server: every adapter call goes over real HTTP to the same process. */
describeEngines('deposits: demo adapters (YIWANG_DEMO_ADAPTERS=1)', (engine) => {
  let t: TestApp;
  let bidder: Session;
  const lot = '/api/deposits/lots/DEMO-T1/L1';
  beforeAll(async () => {
    process.env.YIWANG_DEMO_ADAPTERS = '1';
    t = await createTestApp(engine);
    await seedAccount(t.ctx, {
      username: 'demo-bidder',
      roles: [{ role: 'bidder' }],
      org: { name: '示范投标人有限公司', uscc: '91350200MA2DEMOB01' },
    });
    const now = t.clock.now();
    await t.ctx.db.transaction().execute((trx) =>
      registerLotDeposit(
        trx,
        {
          tenderId: 'DEMO-T1',
          lotId: 'L1',
          lotLabel: '演示标段',
          requiredFen: 50_000_00,
          cashAllowed: true,
          revealAfter: new Date(now.getTime() + 20 * 86_400_000),
          bidValidUntil: new Date(now.getTime() + 110 * 86_400_000),
          beneficiary: { name: '示范招标人', uscc: null },
          tendererOrgId: null,
          agencyOrgId: null,
          industry: 'construction',
          regionCode: '350203',
        },
        now,
      ),
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    bidder = await login(t.app, 'demo-bidder');
  });
  afterAll(async () => {
    delete process.env.YIWANG_DEMO_ADAPTERS;
    await t.close();
  });

  it('a bidder buys a guarantee from the demo issuer and attaches it (verified over HTTP, signature checked)', async () => {
    const bought = await bidder.post('/api/deposits/demo/guarantees', { tenderId: 'DEMO-T1', lotId: 'L1' });
    expect(bought.statusCode).toBe(201);
    const r = await bidder.post(`${lot}/guarantees`, bought.json());
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'verified', amountFen: 50_000_00 });
  });

  it('a bidder pays into its sub-account through the demo bank (a signed callback over HTTP)', async () => {
    const acct = (await bidder.post(`${lot}/sub-accounts`, {})).json().accountNo as string;
    const paid = await bidder.post('/api/deposits/demo/bank-transfers', { virtualAccount: acct, amountFen: 50_000_00 });
    expect(paid.json()).toMatchObject({ status: 200, answer: { result: 'recorded' } });
    const mine = (await bidder.get(`${lot}/mine`)).json();
    expect(mine.credits).toEqual([expect.objectContaining({ amountFen: 50_000_00, payerNameMatches: true })]);
    expect(mine.deposit.status).toBe('satisfied');
  });
});
