import type { Negotiation } from './api';

/**
 * The suppliers with a final (or agreed) price, in the order the statute suggests for the candidates: 竞争性谈判 by
 * ascending final price (74号令 第三十五条); 竞争性磋商 the same order as a start (the committee's 综合评分 decides, the
 * price score is shown beside it). Shaped like the opening room's bids so the evaluation form can use either.
 */
export function finalCandidates(n: Negotiation): { bidder: { orgId: string; name: string }; priceFen: number }[] {
  return n.participants
    .filter((p) => (p.status === 'final' || p.status === 'agreed') && p.finalPriceFen !== null)
    .sort((a, b) => a.finalPriceFen! - b.finalPriceFen!)
    .map((p) => ({ bidder: { orgId: p.orgId, name: p.name }, priceFen: p.finalPriceFen! }));
}
