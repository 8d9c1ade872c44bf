import { registerJobHandler } from '../../../platform/chronograph/jobs';
import type { DbOrTx, Tx } from '../../../platform/db/database';
import { recordLedger } from '../../../platform/ledger/append';
import { commitDraw, executeDraw, revealDraw } from '../../../platform/lottery/index';
import { depositStatus } from '../../deposits/index';
import { lockAuction } from '../auctions.repo';
import type { AuctionRow } from '../auctions.tables';

export const DEPOSIT_LOT = 'auction';
export const NUMBERS_JOB = 'auction.numbers';
const label = (n: number) => `no-${String(n).padStart(4, '0')}`;

/**
 * Bidding numbers are drawn, not handed out in order (ADR 0018 "Deposits and numbers"): an order of issue would tell
 * everyone who registered and paid early, and a bidder could guess a rival's number from its own. The draw is
 * committed at creation — before anyone registers — through platform/lottery, so neither the organiser nor the
 * platform can steer it, and executed at the registration deadline over exactly the bidders who are approved and
 * whose deposit was confirmed by then (网络司法拍卖规定 第十八条: deposit confirmed → a bidding code).
 */
export async function commitNumbersDraw(trx: DbOrTx, auctionId: string, actorId: string, now: Date): Promise<string> {
  const d = await commitDraw(trx, { purpose: 'bidding_numbers', subject: `auction:${auctionId}/numbers`, secret: true, revealAfter: null, actorId }, now);
  return d.id;
}

async function depositInPlace(trx: DbOrTx, a: AuctionRow, orgId: string, asOf: Date): Promise<boolean> {
  if (a.deposit_fen === 0) return true;
  const dep = await depositStatus(trx, { tenderId: a.id, lotId: DEPOSIT_LOT, bidderOrgId: orgId, requiredFen: a.deposit_fen, cashAllowed: true, asOf });
  return dep.status === 'satisfied';
}

/** Execute the draw once, under the auction row lock held by the caller: numbers 1..N to the eligible bidders. */
export async function drawNumbers(trx: DbOrTx, a: AuctionRow, now: Date): Promise<void> {
  if (a.numbers_drawn_at) return;
  const approved = await trx.selectFrom('auction_bidders').select(['id', 'org_id']).where('auction_id', '=', a.id).where('status', '=', 'approved').where('bidding_no', 'is', null).execute();
  const eligible: string[] = [];
  for (const b of approved) if (await depositInPlace(trx, a, b.org_id, a.registration_ends_at)) eligible.push(b.id);
  let drawId = a.numbers_draw_id;
  // An auction created before the draw existed (no commitment) gets its numbers in order of application.
  if (eligible.length && drawId) {
    const r = await executeDraw(trx, drawId, { candidates: eligible.map((_, k) => ({ id: label(k + 1), groups: [] })), strata: [{ group: '*', count: eligible.length }], assignTo: eligible }, now);
    for (const x of r.assignments!) await trx.updateTable('auction_bidders').set({ bidding_no: Number(x.id.slice(3)) }).where('id', '=', x.to).execute();
  } else {
    drawId = null; // nothing to draw: the commitment stays on record, unexecuted
    for (const [k, id] of eligible.entries()) await trx.updateTable('auction_bidders').set({ bidding_no: k + 1 }).where('id', '=', id).execute();
  }
  const base = a.numbers_issued;
  await trx.updateTable('auctions').set({ numbers_drawn_at: now, numbers_issued: base + eligible.length, numbers_draw_id: drawId }).where('id', '=', a.id).execute();
  a.numbers_drawn_at = now;
  a.numbers_issued = base + eligible.length;
  a.numbers_draw_id = drawId;
  await recordLedger(trx, { type: 'auction.numbers_drawn', subjectType: 'auction', subjectId: a.id, payload: { drawId, count: eligible.length, asOf: a.registration_ends_at.toISOString() } }, now);
}

/**
 * The bidder's number 竞买人 N, or null while it has none: before the registration deadline (numbers are drawn then),
 * or when its deposit was not confirmed by the deadline. The first caller after the deadline runs the draw if the
 * chronograph has not yet (under the auction lock the caller holds). A bidder approved after the draw whose deposit
 * was in place by the deadline gets the next number.
 */
export async function issueNumberIfReady(trx: DbOrTx, a: AuctionRow, bidder: { id: string; org_id: string; bidding_no: number | null }, now: Date): Promise<number | null> {
  if (bidder.bidding_no !== null) return bidder.bidding_no;
  if (now.getTime() < a.registration_ends_at.getTime()) return null;
  if (!a.numbers_drawn_at) {
    await drawNumbers(trx, a, now);
    const drawn = await trx.selectFrom('auction_bidders').select('bidding_no').where('id', '=', bidder.id).executeTakeFirstOrThrow();
    if (drawn.bidding_no !== null) return drawn.bidding_no;
  }
  if (!(await depositInPlace(trx, a, bidder.org_id, a.registration_ends_at))) return null;
  const no = a.numbers_issued + 1;
  await trx.updateTable('auction_bidders').set({ bidding_no: no }).where('id', '=', bidder.id).execute();
  await trx.updateTable('auctions').set({ numbers_issued: no }).where('id', '=', a.id).execute();
  a.numbers_issued = no;
  return no;
}

/** At the end, the seed is revealed: anyone can re-run the draw from the public record (GET /api/lottery/draws/:id/record). */
export async function revealNumbers(trx: DbOrTx, a: AuctionRow, now: Date): Promise<void> {
  if (a.numbers_draw_id && a.numbers_drawn_at) await revealDraw(trx, a.numbers_draw_id, now);
}

registerJobHandler(NUMBERS_JOB, async (job, trx: Tx, ctx) => {
  const a = await lockAuction(trx, job.subjectId);
  if (!a || a.numbers_drawn_at) return;
  await drawNumbers(trx, a, ctx.now);
});

/** The caller's own number for the live room's hello (null: not registered, or none yet); never anyone else's. */
export async function ownNumber(db: DbOrTx, auctionId: string, orgId: string | null | undefined): Promise<number | null> {
  if (!orgId) return null;
  const r = await db.selectFrom('auction_bidders').select('bidding_no').where('auction_id', '=', auctionId).where('org_id', '=', orgId).executeTakeFirst();
  return r?.bidding_no ?? null;
}
