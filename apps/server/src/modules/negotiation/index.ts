import type { FastifyInstance } from 'fastify';
import { registerFileAccessRule } from '../../platform/files/index';
import { lotBidsSource, registerLotBidsSource } from '../award/index';
import './negotiation.tables';
import './negotiation.jobs'; // opening closed → negotiation starts; final-offer deadline; decryption window end
import { negotiationRoutes } from './negotiation.routes';
import { withFinalPrices } from './negotiation.source';

/**
 * 竞争性谈判、竞争性磋商、单一来源 — the negotiation stage between the opening of the first sealed responses and the
 * evaluation (issue 3, the missing part): rounds with each supplier and their minutes, written change notices to every
 * supplier still in, eliminations and withdrawals, sealed final offers (`yiwang-sealed-bid/1`) with a server-enforced
 * deadline and remote decryption, the statutory minimum of final offers (failure otherwise), and the single-source
 * price agreed and confirmed by the supplier; objections to the single-source publicity. Design: docs/adr/0017.
 */
export default async function negotiationModule(app: FastifyInstance): Promise<void> {
  await negotiationRoutes(app);
}

// Final prices reach evaluation, award and contract through the award module's bids seam (wrapping whatever source
// is registered: the bidding module's tables in the application).
const inner = lotBidsSource();
if (inner) registerLotBidsSource(withFinalPrices(inner));

// Files named in a negotiation: minutes to the round's supplier, a change notice's file to its recipients, the
// single-source record to the supplier — and all of them to the other party (purchaser ↔ agency). Nothing to any
// other supplier: one supplier never reads another's minutes.
registerFileAccessRule(async ({ db, actor, file }) => {
  if (!actor?.orgId) return false;
  const org = actor.orgId;
  const party = (t: { owner_org_id: string; agency_org_id: string | null }) => t.owner_org_id === org || t.agency_org_id === org;
  const rounds = await db
    .selectFrom('negotiation_rounds as r')
    .innerJoin('negotiations as n', 'n.lot_id', 'r.lot_id')
    .innerJoin('tenders as t', 't.id', 'n.tender_id')
    .select(['r.bidder_org_id', 't.owner_org_id', 't.agency_org_id'])
    .where('r.minutes_file_id', '=', file.id)
    .execute();
  if (rounds.some((r) => r.bidder_org_id === org || party(r))) return true;
  const changes = await db
    .selectFrom('negotiation_changes as c')
    .innerJoin('negotiations as n', 'n.lot_id', 'c.lot_id')
    .innerJoin('tenders as t', 't.id', 'n.tender_id')
    .leftJoin('negotiation_change_recipients as cr', (j) => j.onRef('cr.change_id', '=', 'c.id').on('cr.bidder_org_id', '=', org))
    .select(['cr.bidder_org_id', 't.owner_org_id', 't.agency_org_id'])
    .where('c.file_id', '=', file.id)
    .execute();
  if (changes.some((c) => c.bidder_org_id === org || party(c))) return true;
  const agreements = await db
    .selectFrom('negotiations as n')
    .innerJoin('tenders as t', 't.id', 'n.tender_id')
    .leftJoin('negotiation_participants as p', (j) => j.onRef('p.lot_id', '=', 'n.lot_id').on('p.bidder_org_id', '=', org))
    .select(['p.bidder_org_id', 't.owner_org_id', 't.agency_org_id'])
    .where('n.agreement_record_file_id', '=', file.id)
    .execute();
  return agreements.some((a) => a.bidder_org_id === org || party(a));
});

// ---- Public surface ----
export { withFinalPrices } from './negotiation.source';
export { kindOf as negotiationKindOf, MIN_FINAL_OFFERS, MINIMUM_EXCEPTIONS, priceScores, rankByPrice } from './negotiation.rules';
export type { NegotiationView } from './negotiation.presenter';
