import type { FastifyInstance } from 'fastify';
import { registerFileAccessRule } from '../../platform/files/index';
import './award.tables';
import './commands/publicity'; // chronograph: publicity end → the parties hear whether the award may be made
import './commands/objections'; // chronograph: objection answer overdue → flag
import './commands/contract'; // chronograph: no contract by the 法 46 deadline → warning
import './award.tender-releases'; // outbox: tendering's public steps before the opening → OCDS releases
import { awardRoutes } from './award.routes';
import { biddingLotBids } from './award.bids';
import { registerLotBidsSource } from './award.seams';

/**
 * After the opening (issue 3 items 5–9): evaluation result hand-off, 中标候选人公示, objections/challenges against the
 * results, award with the 中标通知书 PDF, contract and performance, termination/failure, re-tender, deposit refunds,
 * OCDS releases. Design: docs/adr (award).
 */
export default async function awardModule(app: FastifyInstance): Promise<void> {
  await awardRoutes(app);
}

// Valid bids come from the bidding module's tables (a test may register another source through the same seam).
registerLotBidsSource(biddingLotBids);

// The award's files are uploads of one organisation (the tenderer's, or the agency's that acted): the other party
// reads them too — the 中标通知书, the evaluation report, the signed contract — and the winner reads its notice and
// contract.
registerFileAccessRule(async ({ db, actor, file }) => {
  if (!actor?.orgId) return false;
  const org = actor.orgId;
  const hit = await db
    .selectFrom('award_lots as a')
    .innerJoin('tenders as t', 't.id', 'a.tender_id')
    .leftJoin('award_contracts as c', 'c.lot_id', 'a.lot_id')
    .select('a.lot_id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb.or([eb('t.owner_org_id', '=', org), eb('t.agency_org_id', '=', org)]),
          eb.or([eb('a.notice_file_id', '=', file.id), eb('a.report_file_id', '=', file.id), eb('c.file_id', '=', file.id)]),
        ]),
        eb.and([eb('a.winner_org_id', '=', org), eb.or([eb('a.notice_file_id', '=', file.id), eb('c.file_id', '=', file.id)])]),
      ]),
    )
    .executeTakeFirst();
  return !!hit;
});

// ---- Public surface for other modules ----
export { recordEvaluationResult, type EvaluationResultInput } from './commands/evaluation';
export {
  registerLotBidsSource,
  lotBidsSource,
  registerEvaluationResultSource,
  validBidsOf,
  type LotBidsSource,
  type LotBids,
  type ValidBid,
  type EvaluationResultSource,
} from './award.seams';
export { retendersOf } from './award.repo';
export { buildSnapshot as awardProcessSnapshot } from './award.snapshot';
