import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { assertOperator } from '../../../platform/auth/policies';
import { pendingLedgerRow } from '../../../platform/ledger/append';
import { noteRecorded } from '../../../platform/ledger/sealer';
import { AuctionErrors as E } from '../auctions.errors';
import { biddingOpen, checkBidAmount, endAfterBid, type Phase } from '../auctions.rules';
import { eventRow, lockForBid } from '../auctions.repo';
import { notifyAfterCommit } from '../auctions.live';
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
 * move the price/leader/end, record the ledger entry (batched), then NOTIFY after commit — four round trips in all:
 * BEGIN, the lock read (auction + bidder + a prior bid with this clientBidId), one write statement, COMMIT. Any
 * refusal throws, so the transaction rolls back and nothing changes. A retry with the same clientBidId returns the
 * original result.
 */
export async function placeBid(ctx: AppContext, actor: Actor, auctionId: string, input: BidInput): Promise<BidResult> {
  assertOperator(actor);
  const now = ctx.clock.now();
  if (input.clientTime !== undefined) {
    const skew = Date.parse(input.clientTime) - now.getTime();
    if (!Number.isFinite(skew) || Math.abs(skew) > MAX_CLIENT_SKEW_MS) throw E.clockSkew(now, Number.isFinite(skew) ? skew : NaN);
  }
  if (!actor.orgId) throw E.notRegistered();
  const result = await ctx.db.transaction().execute(async (trx): Promise<BidResult> => {
    const found = await lockForBid(trx, auctionId, actor.orgId!, input.clientBidId);
    if (!found) throw E.notFound();
    const { auction: a, bidder, prior } = found;
    if (!bidder) throw E.notRegistered();
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
    // Set by a trigger when the deposits module starts refunding this bidder's deposit (0121): read with the lock, no extra query.
    if (bidder.deposit_released_at) throw E.depositReleased();
    const no = await issueNumberIfReady(trx, a, bidder, now);
    if (no === null) throw E.depositMissing();

    const check = checkBidAmount({ startPriceFen: a.start_price_fen, incrementFen: a.increment_fen, currentPriceFen: a.current_price_fen }, input.amountFen);
    if (!check.ok) throw check.reason === 'below_minimum' ? E.belowMinimum(check.minimumFen) : E.offIncrement(a.increment_fen);

    const phase = a.phase as Phase;
    const endsAt = endAfterBid({ phase, endsAt: a.ends_at, maxEndsAt: a.max_ends_at, countdownSeconds: a.countdown_seconds }, now);
    const bidSeq = a.bid_count + 1;
    const eventSeq = a.event_seq + 1;
    // One statement for the whole write (bid row, room event, auction row, pending ledger entry): each
    // statement of a bid is a client round trip taken while this auction's row lock is held.
    await trx
      .with('bid', (q) =>
        q
          .insertInto('auction_bids')
          .values({ auction_id: auctionId, bid_seq: bidSeq, event_seq: eventSeq, bidder_id: bidder.id, bidding_no: no, amount_fen: input.amountFen, client_bid_id: input.clientBidId, phase, placed_at: now, ends_at_after: endsAt })
          .returning('bid_seq'),
      )
      .with('ev', (q) =>
        q
          .insertInto('auction_events')
          .values(eventRow({ auctionId, seq: eventSeq, kind: 'bid', priceFen: input.amountFen, leaderNo: no, endsAt, payload: { bidSeq, biddingNo: no, amountFen: input.amountFen, phase, extended: endsAt.getTime() !== a.ends_at.getTime() }, at: now }))
          .returning('seq'),
      )
      .with('up', (q) =>
        q
          .updateTable('auctions')
          .set({ current_price_fen: input.amountFen, leader_bidder_id: bidder.id, leader_no: no, bid_count: bidSeq, event_seq: eventSeq, ends_at: endsAt })
          .where('id', '=', auctionId)
          .returning('id'),
      )
      .with('led', (q) =>
        q
          .insertInto('ledger_pending')
          .values(
            pendingLedgerRow(
              {
                type: 'auction.bid_accepted',
                subjectType: 'auction',
                subjectId: auctionId,
                actorId: actor.accountId,
                payload: { bidSeq, eventSeq, biddingNo: no, bidderId: bidder.id, amountFen: input.amountFen, clientBidId: input.clientBidId, placedAt: now.toISOString(), endsAt: endsAt.toISOString() },
              },
              now,
            ),
          )
          .returning('id'),
      )
      .selectNoFrom(sql<number>`1`.as('written'))
      .execute();
    noteRecorded();
    return { auctionId, bidSeq, eventSeq, biddingNo: no, amountFen: input.amountFen, placedAt: now.toISOString(), endsAt: endsAt.toISOString(), replayed: false };
  });
  // After commit, batched per node (auctions.live.ts): a NOTIFY inside the transaction would serialise all commits.
  if (!result.replayed) notifyAfterCommit(ctx.handle, auctionId, result.eventSeq);
  return result;
}
