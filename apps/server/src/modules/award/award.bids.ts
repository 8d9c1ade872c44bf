import type { DbOrTx } from '../../platform/db/database';
import type { OpeningRecordRow } from '../bidding/index';
import type { LotBids } from './award.seams';

/** Keeps the bidding module's table declarations in this program (the import above is type-only). */
export type { OpeningRecordRow };

/**
 * The valid opened bids of a lot, read from the bidding module's tables (ADR 0010): the opening room must be closed
 * (record published, objections answered: the lot moved on to evaluation), and a bid counts when it is the bidder's
 * current bid and was decrypted by the bidder or recovered from escrow (电子招标投标办法 31: one the bidder failed to
 * decrypt is revoked). Whether a valid bid also passes the committee's review is the evaluation's business.
 */
export async function biddingLotBids(db: DbOrTx, lot: { lotId: string }): Promise<LotBids | null> {
  const room = await db.selectFrom('bid_openings').select(['status', 'opened_at']).where('lot_id', '=', lot.lotId).executeTakeFirst();
  if (!room || room.status !== 'closed') return null;
  const rows = await db
    .selectFrom('bids')
    .select(['id', 'bidder_org_id', 'price_fen', 'received_at'])
    .where('lot_id', '=', lot.lotId)
    .where('status', '=', 'submitted')
    .where('decryption', 'in', ['decrypted', 'recovered'])
    .where('price_fen', 'is not', null)
    .orderBy('received_at')
    .execute();
  return {
    openedAt: room.opened_at,
    bids: rows.map((r) => ({ bidId: r.id, bidderOrgId: r.bidder_org_id, priceFen: r.price_fen!, submittedAt: r.received_at })),
  };
}
