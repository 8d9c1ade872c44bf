import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines, problem, type Session } from '../../../test/harness';
import { depositWorld, lotUrl, subAccount, DEADLINE, TENDER, LOT, type DepositWorld } from './deposits.fixture';
import { startRefunds } from './index';

/**
 * DOMAIN §7: who bid is secret until the bid deadline, from everyone. A deposit or a guarantee says who intends to
 * bid, so before `revealAfter` no one but the bidder itself sees them: these are the attacks.
 */
describeEngines('deposits: secrecy until the bid deadline', (engine) => {
  let w: DepositWorld;
  beforeAll(async () => {
    w = await depositWorld(engine);
    const acct = await subAccount(w.s.a);
    const r = await w.notify({
      type: 'credit',
      bankRef: 'SEC-1',
      virtualAccount: acct,
      amountFen: 200_000_00,
      payer: { name: '厦门（鹭岛）建设有限公司', accountNo: '6222000055556666' },
      creditedAt: w.t.clock.now().toISOString(),
    });
    expect(r.statusCode).toBe(200);
    w.guarantee('BH-SEC');
    expect((await w.s.a.post(`${lotUrl}/guarantees`, { issuerCode: 'demo_issuer', guaranteeNo: 'BH-SEC' })).statusCode).toBe(201);
    // A bidder withdrew from another lot before the deadline and its deposit is being refunded already: the refund
    // task names it, so the finance desk must not list it before the deadline either.
    await w.t.ctx.db.transaction().execute((trx) =>
      startRefunds(
        trx,
        {
          tenderId: TENDER,
          lotId: LOT,
          bidders: { only: [w.orgs.a] },
          reason: 'withdrawn',
          basisAt: w.t.clock.now(),
          period: { n: 5, unit: 'working_day' },
        },
        w.t.clock.now(),
      ),
    );
  });
  afterAll(() => w.close());

  const sealedFor = async (s: Session, url: string) => {
    const r = await s.get(url);
    expect(r.statusCode, `${url}: ${r.body}`).toBe(403);
    expect(problem(r).code).toBe('DEPOSITS_SEALED');
  };

  it('before the deadline the tenderer, the agency, center staff (finance too) and the regulator cannot list a lot', async () => {
    for (const who of ['tenderer', 'agency', 'finance', 'intake', 'regulator', 'b'] as const) await sealedFor(w.s[who], lotUrl);
    for (const who of ['finance', 'regulator'] as const) await sealedFor(w.s[who], `/api/deposits/tenders/${TENDER}/signals`);
    // Signed out: nothing at all
    expect((await w.t.app.inject({ method: 'GET', url: lotUrl })).statusCode).toBe(401);
  });

  it('the finance desk sees no refund task of a sealed lot', async () => {
    const r = await w.s.finance.get('/api/deposits/refunds');
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toEqual([]);
  });

  it('another bidder sees only its own (empty) records; "mine" is never someone else’s', async () => {
    const b = (await w.s.b.get(`${lotUrl}/mine`)).json();
    expect(b.credits).toEqual([]);
    expect(b.guarantees).toEqual([]);
    expect(b.deposit.status).toBe('missing');
    // Non-bidders have no "mine"
    expect(problem(await w.s.tenderer.get(`${lotUrl}/mine`)).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await w.s.regulator.get(`${lotUrl}/mine`)).code).toBe('SUPERVISOR_CANNOT_OPERATE');
    const a = (await w.s.a.get(`${lotUrl}/mine`)).json();
    expect(a.credits).toHaveLength(1);
    expect(a.guarantees).toHaveLength(1);
  });

  it('ledger entries readable by staff do not name the lot of a deposit (subjects are opaque record ids)', async () => {
    const rows = await w.t.ctx.db
      .selectFrom('ledger_entries')
      .select(['seq', 'type'])
      .where('type', 'like', 'deposit.%')
      .where('type', '<>', 'deposit.requirement_registered')
      .execute();
    expect(rows.map((x) => x.type).sort()).toEqual([
      'deposit.bank_registered',
      'deposit.credited',
      'deposit.guarantee_released',
      'deposit.guarantee_verified',
      'deposit.issuer_registered',
      'deposit.refund_due',
      'deposit.sub_account_issued',
    ]);
    for (const row of rows) {
      const e = (await w.s.intake.get(`/api/ledger/entries/${row.seq}`)).json();
      expect(e.type).toBe(row.type);
      expect(e.subjectId).not.toContain(TENDER);
      expect(JSON.stringify(e)).not.toContain(w.orgs.a);
    }
  });

  it('after the deadline: the tenderer and agency see statuses, finance and the regulator see the facts; others nothing', async () => {
    await w.travel(new Date(DEADLINE.getTime() + 1000));
    const t = await w.s.tenderer.get(lotUrl);
    expect(t.statusCode).toBe(200);
    expect(t.json().bidders).toEqual([
      { bidderOrgId: w.orgs.a, bidderName: '厦门（鹭岛）建设有限公司', deposit: expect.objectContaining({ status: 'satisfied' }) },
    ]);
    expect((await w.s.agency.get(lotUrl)).statusCode).toBe(200);
    const reg = (await w.s.regulator.get(lotUrl)).json();
    expect(reg.bidders[0].credits[0].payerAccountNo).toBe('6222000055556666');
    expect((await w.s.finance.get(lotUrl)).json().bidders[0].refunds).toHaveLength(1);
    expect((await w.s.finance.get('/api/deposits/refunds')).json().items).toHaveLength(1);
    for (const who of ['otherTenderer', 'farRegulator', 'intake', 'b'] as const) {
      const r = await w.s[who].get(lotUrl);
      expect(r.statusCode, who).toBe(403);
      expect(problem(r).code).not.toBe('DEPOSITS_SEALED');
    }
  });
});
