import type { DbOrTx } from '../../platform/db/database';
import type { AuctionRow } from './auctions.tables';

export async function lockAuction(trx: DbOrTx, id: string): Promise<AuctionRow | undefined> {
  return (await trx.selectFrom('auctions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) as AuctionRow | undefined;
}

export async function getAuction(db: DbOrTx, id: string): Promise<AuctionRow | undefined> {
  return (await db.selectFrom('auctions').selectAll().where('id', '=', id).executeTakeFirst()) as AuctionRow | undefined;
}

export async function bidderOf(db: DbOrTx, auctionId: string, orgId: string) {
  return db.selectFrom('auction_bidders').selectAll().where('auction_id', '=', auctionId).where('org_id', '=', orgId).executeTakeFirst();
}

/** Append one event to the room's stream (caller holds the auction row lock and passes the next seq). */
export async function insertEvent(
  trx: DbOrTx,
  e: { auctionId: string; seq: number; kind: string; priceFen: number | null; leaderNo: number | null; endsAt: Date; payload: Record<string, unknown>; at: Date },
): Promise<void> {
  await trx.insertInto('auction_events').values(eventRow(e)).execute();
}

export function eventRow(e: { auctionId: string; seq: number; kind: string; priceFen: number | null; leaderNo: number | null; endsAt: Date; payload: Record<string, unknown>; at: Date }) {
  return { auction_id: e.auctionId, seq: e.seq, kind: e.kind, price_fen: e.priceFen, leader_no: e.leaderNo, ends_at: e.endsAt, payload: JSON.stringify(e.payload), at: e.at };
}

/**
 * The bid's one read under the lock: the auction row (FOR UPDATE OF it only — the bidder and bid rows are not
 * locked), this org's registration, and its earlier bid with the same client bid id (the idempotency lookup).
 */
export async function lockForBid(trx: DbOrTx, auctionId: string, orgId: string, clientBidId: string) {
  const row = await trx
    .selectFrom('auctions as a')
    .leftJoin('auction_bidders as b', (j) => j.onRef('b.auction_id', '=', 'a.id').on('b.org_id', '=', orgId))
    .leftJoin('auction_bids as p', (j) => j.onRef('p.auction_id', '=', 'a.id').onRef('p.bidder_id', '=', 'b.id').on('p.client_bid_id', '=', clientBidId))
    .selectAll('a')
    .select(['b.id as b_id', 'b.org_id as b_org_id', 'b.status as b_status', 'b.bidding_no as b_bidding_no', 'b.deposit_released_at as b_deposit_released_at'])
    .select(['p.bid_seq as p_bid_seq', 'p.event_seq as p_event_seq', 'p.bidding_no as p_bidding_no', 'p.amount_fen as p_amount_fen', 'p.placed_at as p_placed_at', 'p.ends_at_after as p_ends_at_after'])
    .where('a.id', '=', auctionId)
    .forUpdate('a')
    .executeTakeFirst();
  if (!row) return undefined;
  const { b_id, b_org_id, b_status, b_bidding_no, b_deposit_released_at, p_bid_seq, p_event_seq, p_bidding_no, p_amount_fen, p_placed_at, p_ends_at_after, ...auction } = row;
  return {
    auction: auction as unknown as AuctionRow,
    bidder: b_id ? { id: b_id, org_id: b_org_id!, status: b_status!, bidding_no: b_bidding_no ?? null, deposit_released_at: b_deposit_released_at ?? null } : undefined,
    prior:
      p_bid_seq != null
        ? { bid_seq: p_bid_seq, event_seq: p_event_seq!, bidding_no: p_bidding_no!, amount_fen: p_amount_fen!, placed_at: p_placed_at!, ends_at_after: p_ends_at_after! }
        : undefined,
  };
}

export async function eventsAfter(db: DbOrTx, auctionId: string, afterSeq: number, limit = 500) {
  return db
    .selectFrom('auction_events')
    .select(['seq', 'kind', 'price_fen', 'leader_no', 'ends_at', 'payload', 'at'])
    .where('auction_id', '=', auctionId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
