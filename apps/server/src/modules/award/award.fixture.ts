/**
 * Test fixture (integration tests only). The tender is created, published and its documents obtained through the
 * tendering module's real API. What is NOT built (or not committed) yet is faked here, and only here:
 *  - FIXTURE(bidding): the lot's valid opened bids come from an in-memory LotBidsSource registered through the seam
 *    (award.seams.ts), and the lot is moved to `evaluation` by a direct update (the opening room's job);
 *  - FIXTURE(deposits wiring): the lot's deposit requirement is registered directly (tendering does not call
 *    registerLotDeposit yet); bidders pay through the real deposit routes and the signed demo-bank callback.
 */
import { expect } from 'vitest';
import { cancelJob } from '../../platform/chronograph/jobs';
import type { TestApp } from '../../../test/harness';
import { DemoBank, registerBank, registerLotDeposit } from '../deposits/index';
import { BID_DEADLINE_JOB } from '../tendering/index';
import { bj, upload, WAN, type World } from '../tendering/tendering.fixture';
import { registerLotBidsSource, type LotBids } from './index';

export const fakeBids = new Map<string, LotBids>();
registerLotBidsSource(async (_db, lot) => fakeBids.get(lot.lotId) ?? null);

const BANK_SECRET = 'award-test-bank-secret-0123456789-abcdef';

/** Publish a two-lot works tender (deadline 2026-11-24 09:30) and let b1–b3 obtain the documents. */
export async function publishedTender(t: TestApp, w: World, projectId: string, regulatorAccountId = w.ids.reg!.accountId) {
  const tenderer = await w.as('tenderer');
  const doc = await upload(tenderer, '招标文件.pdf');
  const created = await tenderer.post('/api/tendering/tenders', {
    projectId,
    lots: [
      { lotNo: 1, depositFen: 6 * WAN, bidDeadline: bj('2026-11-24T09:30:00') },
      { lotNo: 2, depositFen: 4 * WAN, bidDeadline: bj('2026-11-24T09:30:00') },
    ],
    documentIds: [doc],
    escrow: { k: 2, custodianAccountIds: [w.ids.staff!.accountId, regulatorAccountId, w.ids.tenderer!.accountId] },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const pub = await tenderer.post(`/api/tendering/tenders/${id}/publish`);
  expect(pub.statusCode, pub.body).toBe(200);
  for (const b of ['b1', 'b2', 'b3']) expect((await (await w.as(b)).post(`/api/tendering/tenders/${id}/obtain`)).statusCode).toBe(200);
  const lots = await t.ctx.db.selectFrom('tender_lots').select(['id', 'lot_no']).where('tender_id', '=', id).execute();
  return {
    tenderId: id,
    noticeId: pub.json().noticeId as string,
    lot1: lots.find((l) => l.lot_no === 1)!.id,
    lot2: lots.find((l) => l.lot_no === 2)!.id,
  };
}

/** FIXTURE(deposits wiring): register the lot's requirement and a bank; `pay` credits a bidder's cash deposit. */
export async function depositsFor(t: TestApp, w: World, tenderId: string, lotId: string) {
  const now = t.clock.now();
  await registerBank(
    t.ctx.db,
    null,
    {
      code: 'aw_bank',
      name: '示范银行',
      masterAccountName: '交易中心保证金专户',
      masterAccountNo: '3501000099990000',
      subAccountPrefix: '35019',
      hmacSecret: BANK_SECRET,
    },
    now,
  );
  await t.ctx.db.transaction().execute((trx) =>
    registerLotDeposit(
      trx,
      {
        tenderId,
        lotId,
        lotLabel: '标段1',
        requiredFen: 6 * WAN,
        cashAllowed: true,
        revealAfter: new Date(bj('2026-11-24T09:30:00')),
        bidValidUntil: new Date(bj('2027-02-20T00:00:00')),
        beneficiary: { name: 'aw 厦门市某中学', uscc: '91350200MAAWXX0001' },
        tendererOrgId: w.ids.tenderer!.orgId!,
        agencyOrgId: null,
        industry: 'construction',
        regionCode: '350203',
      },
      now,
    ),
  );
  const bank = new DemoBank('aw_bank', BANK_SECRET);
  return async (who: string, ref: string) => {
    const s = await w.as(who);
    const acct = await s.post(`/api/deposits/lots/${tenderId}/${lotId}/sub-accounts`, { bankCode: 'aw_bank' });
    expect(acct.statusCode, acct.body).toBe(200);
    const n = {
      type: 'credit' as const,
      bankRef: ref,
      virtualAccount: acct.json().accountNo,
      amountFen: 6 * WAN,
      payer: { name: `aw 投标人${who}`, accountNo: `62220000${ref}` },
      creditedAt: t.clock.now().toISOString(),
    };
    const r = await t.app.inject(bank.sign(n, t.clock.now()));
    expect(r.json().result, r.body).toBe('recorded');
  };
}

/** FIXTURE(bidding): the opening of `lotId` took place at `openedAt` with these valid bids; the lot is in evaluation. */
export async function openedWithBids(t: TestApp, lotId: string, openedAt: string, bids: { orgId: string; priceFen: number }[]) {
  fakeBids.set(lotId, {
    openedAt: new Date(openedAt),
    bids: bids.map((b, i) => ({
      bidId: `bid-${lotId.slice(0, 8)}-${i + 1}`,
      bidderOrgId: b.orgId,
      priceFen: b.priceFen,
      submittedAt: new Date(new Date(openedAt).getTime() - (i + 1) * 3_600_000),
    })),
  });
  await t.ctx.db
    .updateTable('tender_lots')
    .set({ status: 'evaluation', status_changed_at: t.clock.now() })
    .where('id', '=', lotId)
    .execute();
  await cancelJob(t.ctx.db, BID_DEADLINE_JOB, lotId, t.clock.now());
}
