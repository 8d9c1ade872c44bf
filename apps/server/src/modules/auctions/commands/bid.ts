import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { assertOperator } from '../../../platform/auth/policies';
import { recordLedger } from '../../../platform/ledger/append';
import { AuctionErrors as E } from '../auctions.errors';
import { biddingOpen, checkBidAmount, endAfterBid, type Phase } from '../auctions.rules';
import { insertEvent, lockAuction } from '../auctions.repo';
import { notifyEvent } from '../auctions.live';
import { issueNumberIfReady } from './numbers';

/** A client that states its clock may be this far off the server's; beyond it the bid is refused (issue 5). */
export const MAX_CLIENT_SKEW_MS = 10_000;

export interface BidInput {
  amountFen: number;
  clientBidId: string;
  /** The client's idea of now (ISO 8601), optional. Never used to judge the bid — only to refuse a skewed client. */
  clientTime?: string;
}

export interface BidResult {
  auctionId: string;
  bidSeq: number;
  eventSeq: number;
  biddingNo: number;
  amountFen: number;
  placedAt: string;
  endsAt: string;
  replayed: boolean;
}

/**
 * One accepted bid = one transaction: lock the auction row (SELECT … FOR UPDATE serialises bids per auction), judge
 * the bid against server time and the current price, append the bid and the room event with the next gap-free seqs,
 * move the price/leader/end, record the ledger entry (batched), and NOTIFY on commit. Any refusal throws, so the
 * transaction rolls back and nothing changes. A retry with the same clientBidId returns the original result.
 */
export async function placeBid(ctx: AppContext, actor: Actor, auctionId: string, input: BidInput): Promise<BidResult> {
  assertOperator(actor);
  const now = ctx.clock.now();
  if (input.clientTime !== undefined) {
    const skew = Date.parse(input.clientTime) - now.getTime();
    if (!Number.isFinite(skew) || Math.abs(skew) > MAX_CLIENT_SKEW_MS) throw E.clockSkew(now, Number.isFinite(skew) ? skew : NaN);
  }
  if (!actor.orgId) throw E.notRegistered();
  return ctx.db.transaction().execute(async (trx) => {
    const a = await lockAuction(trx, auctionId);
    if (!a) throw E.notFound();
    const bidder = await trx.selectFrom('auction_bidders').select(['id', 'org_id', 'status', 'bidding_no', 'deposit_released_at']).where('auction_id', '=', auctionId).where('org_id', '=', actor.orgId!).executeTakeFirst();
    if (!bidder) throw E.notRegistered();

    const prior = await trx
      .selectFrom('auction_bids')
      .selectAll()
      .where('auction_id', '=', auctionId)
      .where('bidder_id', '=', bidder.id)
      .where('client_bid_id', '=', input.clientBidId)
      .executeTakeFirst();
    if (prior) {
      if (prior.amount_fen !== input.amountFen) throw E.clientBidIdReused();
      return {
        auctionId,
        bidSeq: prior.bid_seq,
        eventSeq: prior.event_seq,
        biddingNo: prior.bidding_no,
        amountFen: prior.amount_fen,
        placedAt: prior.placed_at.toISOString(),
        endsAt: prior.ends_at_after.toISOString(),
        replayed: true,
      };
    }

    const open = biddingOpen({ status: a.status, startsAt: a.starts_at, endsAt: a.ends_at }, now);
    if (open === 'not_started') throw E.notStarted(a.starts_at);
    if (open === 'closed') throw E.closed(a.ends_at);
    if (bidder.status !== 'approved') throw E.notApproved();
    // Set by a trigger when the deposits module starts refunding this bidder's deposit (0121): the row is read anyway.
    if (bidder.deposit_released_at) throw E.depositReleased();
    const no = await issueNumberIfReady(trx, a, bidder, now);
    if (no === null) throw E.depositMissing();

    const check = checkBidAmount({ startPriceFen: a.start_price_fen, incrementFen: a.increment_fen, currentPriceFen: a.current_price_fen }, input.amountFen);
    if (!check.ok) throw check.reason === 'below_minimum' ? E.belowMinimum(check.minimumFen) : E.offIncrement(a.increment_fen);

    const phase = a.phase as Phase;
    const endsAt = endAfterBid({ phase, endsAt: a.ends_at, maxEndsAt: a.max_ends_at, countdownSeconds: a.countdown_seconds }, now);
    const bidSeq = a.bid_count + 1;
    const eventSeq = a.event_seq + 1;
    await trx
      .insertInto('auction_bids')
      .values({ auction_id: auctionId, bid_seq: bidSeq, event_seq: eventSeq, bidder_id: bidder.id, bidding_no: no, amount_fen: input.amountFen, client_bid_id: input.clientBidId, phase, placed_at: now, ends_at_after: endsAt })
      .execute();
    await insertEvent(trx, {
      auctionId,
      seq: eventSeq,
      kind: 'bid',
      priceFen: input.amountFen,
      leaderNo: no,
      endsAt,
      payload: { bidSeq, biddingNo: no, amountFen: input.amountFen, phase, extended: endsAt.getTime() !== a.ends_at.getTime() },
      at: now,
    });
    await trx
      .updateTable('auctions')
      .set({ current_price_fen: input.amountFen, leader_bidder_id: bidder.id, leader_no: no, bid_count: bidSeq, event_seq: eventSeq, ends_at: endsAt })
      .where('id', '=', auctionId)
      .execute();
    await recordLedger(
      trx,
      {
        type: 'auction.bid_accepted',
        subjectType: 'auction',
        subjectId: auctionId,
        actorId: actor.accountId,
        payload: { bidSeq, eventSeq, biddingNo: no, bidderId: bidder.id, amountFen: input.amountFen, clientBidId: input.clientBidId, placedAt: now.toISOString(), endsAt: endsAt.toISOString() },
      },
      now,
    );
    await notifyEvent(trx, ctx.handle.engine, auctionId, eventSeq);
    return { auctionId, bidSeq, eventSeq, biddingNo: no, amountFen: input.amountFen, placedAt: now.toISOString(), endsAt: endsAt.toISOString(), replayed: false };
  });
}
