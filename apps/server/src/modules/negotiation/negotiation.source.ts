import type { LotBidsSource } from '../award/index';
import { PRICED } from './negotiation.rules';
import './negotiation.tables';

/**
 * The award module's "valid bids" seam (award.seams.ts), with this module's result laid over it: once a lot's
 * negotiation has concluded, its valid bids are the suppliers still in with a price — the final offer read at the
 * deadline (竞争性谈判/磋商) or the price agreed and confirmed (单一来源) — and that price replaces the first response's.
 * So the evaluation entry (candidates must be among these; their prices come from here, never from a form), the
 * award, the notice and the contract all use the final prices, and an eliminated or withdrawn supplier cannot become
 * a candidate. Lots without a negotiation, or still negotiating, keep the source's answer unchanged.
 */
export function withFinalPrices(inner: LotBidsSource): LotBidsSource {
  return async (db, lot) => {
    const base = await inner(db, lot);
    if (!base) return base;
    const neg = await db.selectFrom('negotiations').select('stage').where('lot_id', '=', lot.lotId).executeTakeFirst();
    if (!neg || neg.stage !== 'concluded') return base;
    const priced = await db
      .selectFrom('negotiation_participants')
      .select(['bidder_org_id', 'final_price_fen'])
      .where('lot_id', '=', lot.lotId)
      .where('status', 'in', [...PRICED])
      .where('final_price_fen', 'is not', null)
      .execute();
    const price = new Map(priced.map((p) => [p.bidder_org_id, p.final_price_fen!]));
    return {
      openedAt: base.openedAt,
      bids: base.bids.filter((b) => price.has(b.bidderOrgId)).map((b) => ({ ...b, priceFen: price.get(b.bidderOrgId)! })),
    };
  };
}
