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
  await trx
    .insertInto('auction_events')
    .values({ auction_id: e.auctionId, seq: e.seq, kind: e.kind, price_fen: e.priceFen, leader_no: e.leaderNo, ends_at: e.endsAt, payload: JSON.stringify(e.payload), at: e.at })
    .execute();
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
