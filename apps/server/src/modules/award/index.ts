import type { FastifyInstance } from 'fastify';
import { registerFileAccessRule } from '../../platform/files/index';
import './award.tables';
import './commands/publicity'; // chronograph: publicity end → the parties hear whether the award may be made
import './commands/objections'; // chronograph: objection answer overdue → flag
import { awardRoutes } from './award.routes';

/**
 * After the opening (issue 3 items 5–9): evaluation result hand-off, 中标候选人公示, objections/challenges against the
 * results, award with the 中标通知书 PDF, contract and performance, termination/failure, re-tender, deposit refunds,
 * OCDS releases. Design: docs/adr (award).
 */
export default async function awardModule(app: FastifyInstance): Promise<void> {
  await awardRoutes(app);
}

// The winner reads its 中标通知书 and the signed contract (uploads of the tenderer's side) like the parties do.
registerFileAccessRule(async ({ db, actor, file }) => {
  if (!actor?.orgId) return false;
  const hit = await db
    .selectFrom('award_lots as a')
    .leftJoin('award_contracts as c', 'c.lot_id', 'a.lot_id')
    .select('a.lot_id')
    .where('a.winner_org_id', '=', actor.orgId)
    .where((eb) => eb.or([eb('a.notice_file_id', '=', file.id), eb('c.file_id', '=', file.id)]))
    .executeTakeFirst();
  return !!hit;
});

// ---- Public surface for other modules ----
export { recordEvaluationResult, type EvaluationResultInput } from './commands/evaluation';
export {
  registerLotBidsSource,
  registerEvaluationResultSource,
  validBidsOf,
  type LotBidsSource,
  type LotBids,
  type ValidBid,
  type EvaluationResultSource,
} from './award.seams';
export { retendersOf } from './award.repo';
export { buildSnapshot as awardProcessSnapshot } from './award.snapshot';
