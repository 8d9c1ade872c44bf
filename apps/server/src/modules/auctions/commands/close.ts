import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { assertOperator } from '../../../platform/auth/policies';
import { registerJobHandler, scheduleJob } from '../../../platform/chronograph/jobs';
import type { Tx } from '../../../platform/db/database';
import { recordLedger } from '../../../platform/ledger/append';
import { startRefunds } from '../../deposits/index';
import { AuctionErrors as E } from '../auctions.errors';
import { afterPhaseEnd, decideOutcome, policyOf, preemptionWindow, type Outcome, type Phase } from '../auctions.rules';
import { insertEvent, lockAuction } from '../auctions.repo';
import type { AuctionRow } from '../auctions.tables';
import { notifyEvent } from '../auctions.live';
import { DEPOSIT_LOT, revealNumbers } from './numbers';
import { applyWinnerDeposit, issueConfirmation, publishResult } from './results';
import { PHASE_END_JOB } from './setup';

export const PREEMPTION_END_JOB = 'auction.preemption_end';

async function pushEvent(trx: Tx, ctx: AppContext, a: AuctionRow, kind: string, payload: Record<string, unknown>, now: Date, over: { priceFen?: number | null; leaderNo?: number | null; endsAt?: Date } = {}) {
  const seq = a.event_seq + 1;
  await insertEvent(trx, { auctionId: a.id, seq, kind, priceFen: over.priceFen ?? a.current_price_fen, leaderNo: over.leaderNo ?? a.leader_no, endsAt: over.endsAt ?? a.ends_at, payload, at: now });
  await trx.updateTable('auctions').set({ event_seq: seq }).where('id', '=', a.id).execute();
  a.event_seq = seq;
  await notifyEvent(trx, ctx.handle.engine, a.id, seq);
}

/** Final state: sold to the winner or failed; deposits of everyone else refunded on the policy's deadline. */
async function finish(trx: Tx, ctx: AppContext, a: AuctionRow, o: Outcome, winnerId: string | null, now: Date, via: string) {
  const policy = policyOf(a.policy);
  const sold = o.result === 'sold' && winnerId !== null;
  const winner = sold ? await trx.selectFrom('auction_bidders').select(['id', 'org_id', 'bidding_no']).where('id', '=', winnerId).executeTakeFirstOrThrow() : null;
  await trx
    .updateTable('auctions')
    .set({ status: sold ? 'sold' : 'failed', closed_at: a.closed_at ?? now, failed_reason: sold ? null : (o.reason ?? null), winner_bidder_id: winner?.id ?? null, final_price_fen: sold ? o.priceFen! : null })
    .where('id', '=', a.id)
    .execute();
  await pushEvent(trx, ctx, a, 'closed', { outcome: sold ? 'sold' : 'failed', reason: o.reason ?? null, winnerNo: winner?.bidding_no ?? null, finalPriceFen: sold ? o.priceFen : null, via }, now, { leaderNo: winner?.bidding_no ?? a.leader_no });
  // 39号令 第二十二条 / 网络司法拍卖规定 第二十三条: the winner's deposit is applied to the price; the others are refunded.
  await startRefunds(trx, {
    tenderId: a.id,
    lotId: DEPOSIT_LOT,
    bidders: winner ? { except: [winner.org_id] } : {},
    reason: sold ? 'auction_losers' : 'auction_failed',
    basisAt: now,
    period: { n: policy.refund.n, unit: policy.refund.unit },
  }, now);
  // The winner's cash deposit becomes part of the price (网络司法拍卖规定 第二十三条); a guarantee is not money held.
  const appliedFen = winner ? await applyWinnerDeposit(trx, a, winner.org_id, now) : 0;
  const buyerName = winner ? ((await trx.selectFrom('organisations').select('name').where('id', '=', winner.org_id).executeTakeFirst())?.name ?? '') : null;
  const noticeId = await publishResult(trx, { ...a, closed_at: a.closed_at ?? now }, { sold, reason: o.reason ?? null, buyerName, buyerNo: winner?.bidding_no ?? null, priceFen: sold ? o.priceFen! : null }, now);
  await trx.updateTable('auctions').set({ result_notice_id: noticeId }).where('id', '=', a.id).execute();
  const confirmation = winner
    ? await issueConfirmation(trx, ctx, { ...a, closed_at: a.closed_at ?? now }, { orgId: winner.org_id, name: buyerName!, no: winner.bidding_no, priceFen: o.priceFen!, depositAppliedFen: appliedFen, via }, now)
    : null;
  await revealNumbers(trx, a, now);
  await recordLedger(trx, {
    type: 'auction.closed',
    subjectType: 'auction',
    subjectId: a.id,
    payload: { outcome: sold ? 'sold' : 'failed', reason: o.reason ?? null, winnerBidderId: winner?.id ?? null, winnerOrgId: winner?.org_id ?? null, winnerNo: winner?.bidding_no ?? null, finalPriceFen: sold ? o.priceFen : null, reserveFen: a.reserve_fen, bidCount: a.bid_count, lastEventSeq: a.event_seq, via, depositAppliedFen: appliedFen, resultNoticeId: noticeId, confirmationLedgerSeq: confirmation?.ledgerSeq ?? null },
  }, now);
}

/**
 * The end of a phase. The end may have moved since the job was scheduled (a countdown reset): re-read the row under
 * its lock and, if the end is still ahead, reschedule for it and stop. Otherwise go to 限时竞价 or close.
 */
registerJobHandler(PHASE_END_JOB, async (job, trx, ctx) => {
  const now = ctx.now;
  const a = await lockAuction(trx, job.subjectId);
  if (!a || a.status !== 'open') return;
  if (now.getTime() < a.ends_at.getTime()) {
    await scheduleJob(trx, { kind: PHASE_END_JOB, subjectId: a.id, dueAt: a.ends_at }, now);
    return;
  }
  const policy = policyOf(a.policy);
  const phase = a.phase as Phase;
  const distinct = await trx.selectFrom('auction_bids').select((eb) => eb.fn.count<number>('bidder_id').distinct().as('n')).where('auction_id', '=', a.id).executeTakeFirstOrThrow();
  const next = afterPhaseEnd(policy, phase, Number(distinct.n), a.ends_at, a.countdown_seconds);
  if (next.next === 'timed') {
    const endsAt = new Date(Math.min(next.endsAt.getTime(), a.max_ends_at.getTime()));
    await trx.updateTable('auctions').set({ phase: 'timed', ends_at: endsAt }).where('id', '=', a.id).execute();
    a.ends_at = endsAt;
    await pushEvent(trx, ctx, a, 'phase', { from: phase, to: 'timed', endsAt: endsAt.toISOString() }, now, { endsAt });
    await recordLedger(trx, { type: 'auction.phase_changed', subjectType: 'auction', subjectId: a.id, payload: { from: phase, to: 'timed', endsAt: endsAt.toISOString(), distinctBidders: Number(distinct.n) } }, now);
    await scheduleJob(trx, { kind: PHASE_END_JOB, subjectId: a.id, dueAt: endsAt }, now);
    return;
  }
  // Bids strictly increase, so the leader holds the highest bid.
  const bids = a.leader_bidder_id ? [{ bidderId: a.leader_bidder_id, amountFen: a.current_price_fen!, seq: a.bid_count }] : [];
  const o = decideOutcome(bids, a.reserve_fen);
  if (o.result === 'sold') {
    const holder = a.preemption_org_id ? await trx.selectFrom('auction_bidders').select(['id', 'org_id']).where('auction_id', '=', a.id).where('org_id', '=', a.preemption_org_id).executeTakeFirst() : undefined;
    const until = a.preemption_org_id ? preemptionWindow(policy, o, holder?.id === o.winnerBidderId, now, a.preemption_window_seconds) : null;
    if (until) {
      await trx.updateTable('auctions').set({ status: 'preemption', closed_at: now, preemption_ends_at: until }).where('id', '=', a.id).execute();
      a.closed_at = now;
      await pushEvent(trx, ctx, a, 'preemption_window', { finalPriceFen: o.priceFen, leaderNo: a.leader_no, until: until.toISOString() }, now);
      await recordLedger(trx, { type: 'auction.preemption_window', subjectType: 'auction', subjectId: a.id, payload: { priceFen: o.priceFen, until: until.toISOString() } }, now);
      await scheduleJob(trx, { kind: PREEMPTION_END_JOB, subjectId: a.id, dueAt: until }, now);
      return;
    }
  }
  await finish(trx, ctx, a, o, o.winnerBidderId ?? null, now, 'close');
});

/** The window passed without a match: the highest bidder wins. */
registerJobHandler(PREEMPTION_END_JOB, async (job, trx, ctx) => {
  const a = await lockAuction(trx, job.subjectId);
  if (!a || a.status !== 'preemption') return;
  await finish(trx, ctx, a, { result: 'sold', winnerBidderId: a.leader_bidder_id!, priceFen: a.current_price_fen! }, a.leader_bidder_id, ctx.now, 'preemption_lapsed');
});

/** The 优先购买权 holder matches the final price inside its window and wins at that price. */
export async function exercisePreemption(ctx: AppContext, actor: Actor, auctionId: string): Promise<{ status: string; finalPriceFen: number }> {
  assertOperator(actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const a = await lockAuction(trx, auctionId);
    if (!a) throw E.notFound();
    if (!a.preemption_org_id || a.preemption_org_id !== actor.orgId) throw E.notPreemptionHolder();
    if (a.status !== 'preemption' || !a.preemption_ends_at || now.getTime() >= a.preemption_ends_at.getTime()) throw E.noPreemption();
    const holder = await trx.selectFrom('auction_bidders').select(['id', 'status']).where('auction_id', '=', a.id).where('org_id', '=', actor.orgId).executeTakeFirst();
    if (!holder || holder.status !== 'approved') throw E.notApproved();
    await finish(trx, ctx, a, { result: 'sold', winnerBidderId: holder.id, priceFen: a.current_price_fen! }, holder.id, now, 'preemption_matched');
    return { status: 'sold', finalPriceFen: a.current_price_fen! };
  });
}
