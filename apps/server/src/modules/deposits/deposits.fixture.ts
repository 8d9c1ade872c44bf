/**
 * Shared set-up for the deposits integration tests (not a test file itself): a test app with a demo bank, a demo
 * issuer listening on a real port, a tender lot registered the way the tendering module will register it, and
 * accounts for every party.
 */
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, login, seedAccount, type Session, type TestApp } from '../../../test/harness';
import type { Engine } from '../../../test/fixture-db';
import { DemoBank, type BankNotification } from './demo/demo-bank';
import { startDemoIssuer, type DemoIssuer } from './demo/demo-issuer';
import { registerBank, registerIssuer, registerLotDeposit, type LotDepositRequirement } from './index';
import type { GuaranteeDocument } from './deposits.rules';

export const BANK_SECRET = 'demo-bank-shared-secret-0123456789-abcdef';
export const NOW = '2026-11-02T01:00:00Z'; // Monday 09:00 Beijing
export const DEADLINE = new Date('2026-11-25T02:00:00Z'); // bid deadline, 10:00 Beijing
export const VALID_UNTIL = new Date('2027-02-23T16:00:00Z'); // 90 days of bid validity
export const TENDER = 'T-2026-0042';
export const LOT = 'L1';

export interface DepositWorld {
  t: TestApp;
  bank: DemoBank;
  issuer: DemoIssuer;
  orgs: { a: string; b: string; tenderer: string; agency: string };
  s: Record<'a' | 'b' | 'tenderer' | 'agency' | 'otherTenderer' | 'finance' | 'intake' | 'regulator' | 'farRegulator' | 'admin', Session>;
  requirement: LotDepositRequirement;
  /** Send a bank notification as the bank would (signed, fresh nonce, the platform's current time). */
  notify(n: BankNotification, opts?: { at?: Date; nonce?: string; secret?: string; body?: string }): Promise<LightMyRequestResponse>;
  /** A guarantee in the demo issuer's books for bidder A, right for this lot unless overridden. */
  guarantee(no: string, over?: Partial<GuaranteeDocument>): GuaranteeDocument;
  travel(to: Date): Promise<void>;
  close(): Promise<void>;
}

export async function depositWorld(
  engine: Engine,
  over: Partial<LotDepositRequirement> = {},
  opts: { now?: string } = {},
): Promise<DepositWorld> {
  const t = await createTestApp(engine, { now: opts.now ?? NOW });
  const { ctx } = t;
  const a = await seedAccount(ctx, {
    username: 'dp-bidder-a',
    roles: [{ role: 'bidder' }],
    org: { name: '厦门（鹭岛）建设有限公司', uscc: '91350200MA2DEPOSAX' },
  });
  const b = await seedAccount(ctx, {
    username: 'dp-bidder-b',
    roles: [{ role: 'bidder' }],
    org: { name: '乙工程有限公司', uscc: '91350200MA2DEPOSBX' },
  });
  const tenderer = await seedAccount(ctx, {
    username: 'dp-tenderer',
    roles: [{ role: 'tenderer' }],
    org: { name: '厦门市某区建设局', uscc: '11350200MB2DEPOSTX' },
  });
  const agency = await seedAccount(ctx, {
    username: 'dp-agency',
    roles: [{ role: 'agency' }],
    org: { name: '某招标代理有限公司', uscc: '91350200MA2DEPOSGX' },
  });
  await seedAccount(ctx, {
    username: 'dp-tenderer-2',
    roles: [{ role: 'tenderer' }],
    org: { name: '别的招标人', uscc: '11350200MB2DEPOS2X' },
  });
  await seedAccount(ctx, { username: 'dp-finance', roles: [{ role: 'center_finance' }] });
  await seedAccount(ctx, { username: 'dp-intake', roles: [{ role: 'center_intake' }] });
  await seedAccount(ctx, { username: 'dp-regulator', roles: [{ role: 'regulator', industries: ['construction'], regions: ['350200'] }] });
  await seedAccount(ctx, {
    username: 'dp-regulator-fz',
    roles: [{ role: 'regulator', industries: ['construction'], regions: ['350100'] }],
  });
  await seedAccount(ctx, { username: 'dp-admin', roles: [{ role: 'admin' }] });

  const now = ctx.clock.now();
  await registerBank(
    ctx.db,
    null,
    {
      code: 'demo_bank',
      name: '示范银行厦门分行',
      masterAccountName: '厦门市公共资源交易中心保证金专户',
      masterAccountNo: '3501000012345678',
      subAccountPrefix: '35010099',
      hmacSecret: BANK_SECRET,
    },
    now,
  );
  const issuer = await startDemoIssuer();
  await registerIssuer(
    ctx.db,
    null,
    { code: 'demo_issuer', name: '示范担保有限公司', apiBaseUrl: issuer.url, publicKeyPem: issuer.publicKeyPem },
    now,
  );
  const requirement: LotDepositRequirement = {
    tenderId: TENDER,
    lotId: LOT,
    lotLabel: 'XM-2026-0042 第1标段',
    requiredFen: 200_000_00, // 20 万元
    cashAllowed: true,
    revealAfter: DEADLINE,
    bidValidUntil: VALID_UNTIL,
    beneficiary: { name: '厦门市某区建设局', uscc: '11350200MB2DEPOSTX' },
    tendererOrgId: tenderer.orgId,
    agencyOrgId: agency.orgId,
    industry: 'construction',
    regionCode: '350203',
    ...over,
  };
  await ctx.db.transaction().execute((trx) => registerLotDeposit(trx, requirement, now));

  const bank = new DemoBank('demo_bank', BANK_SECRET);
  const sessions = async () => ({
    a: await login(t.app, 'dp-bidder-a'),
    b: await login(t.app, 'dp-bidder-b'),
    tenderer: await login(t.app, 'dp-tenderer'),
    agency: await login(t.app, 'dp-agency'),
    otherTenderer: await login(t.app, 'dp-tenderer-2'),
    finance: await login(t.app, 'dp-finance'),
    intake: await login(t.app, 'dp-intake'),
    regulator: await login(t.app, 'dp-regulator'),
    farRegulator: await login(t.app, 'dp-regulator-fz'),
    admin: await login(t.app, 'dp-admin'),
  });
  const s = await sessions();
  const w: DepositWorld = {
    t,
    bank,
    issuer,
    orgs: { a: a.orgId!, b: b.orgId!, tenderer: tenderer.orgId!, agency: agency.orgId! },
    s,
    requirement,
    notify: (n, opts = {}) => t.app.inject(bank.sign(n, opts.at ?? t.clock.now(), opts)),
    guarantee: (no, o = {}) => {
      const doc: GuaranteeDocument = {
        guaranteeNo: no,
        issuerCode: 'demo_issuer',
        status: 'valid',
        applicant: { name: '厦门(鹭岛)建设有限公司', uscc: '91350200MA2DEPOSAX' },
        beneficiary: { name: '厦门市某区建设局', uscc: '11350200MB2DEPOSTX' },
        tenderId: TENDER,
        lotId: LOT,
        amountFen: 200_000_00,
        validFrom: new Date(t.clock.now().getTime() - 86_400_000).toISOString(),
        validUntil: VALID_UNTIL.toISOString(),
        ...o,
      };
      issuer.guarantees.set(no, doc);
      return doc;
    },
    /** Sessions last two hours: sign everyone in again after moving the clock by days. */
    async travel(to: Date) {
      t.clock.set(to);
      w.s = await sessions();
    },
    async close() {
      await issuer.close();
      await t.close();
    },
  };
  return w;
}

export const lotUrl = `/api/deposits/lots/${TENDER}/${LOT}`;

/** Bidder A asks for a sub-account and returns its number. */
export async function subAccount(s: Session): Promise<string> {
  const r = await s.post(`${lotUrl}/sub-accounts`, { bankCode: 'demo_bank' });
  if (r.statusCode !== 200) throw new Error(`sub-account: ${r.statusCode} ${r.body}`);
  return r.json<{ accountNo: string }>().accountNo;
}
