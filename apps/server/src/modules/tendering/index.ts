import type { FastifyInstance } from 'fastify';
import { tenderRoutes } from './tendering.routes';
import { participationRoutes } from './participation.routes';
import './tendering.files'; // tender documents: parties, overseers and bidders that obtained them
import './tendering.jobs'; // bid deadline → opening; objection answer overdue → flag

/** 电子招标 core: procedure policies, tenders from accepted projects, documents, questions, clarifications, objections. */
export default async function tenderingModule(app: FastifyInstance): Promise<void> {
  await tenderRoutes(app);
  await participationRoutes(app);
}

// ---- The public surface for bid submission, the opening and later parts of issue 3 ----
export { POLICIES } from './policies/catalog';
export { TENDERING_PROCEDURES, type ProcedurePolicy, type TenderingProcedure, type Period } from './policies/types';
export * as engine from './policies/engine';
export { assertLotTransition, nextLotStatus, afterOpeningEvent, LOT_STATUSES, BEFORE_DEADLINE, type LotStatus, type LotEvent } from './tendering.machine';
export {
  effectivePolicy,
  getTender,
  getLots,
  getLotById,
  getCustodians,
  getObtain,
  openObjectionCount,
  type TenderRow,
  type LotRow,
} from './tendering.repo';
export { secretsOpen, isParty as isTenderParty, isOverseer as isTenderOverseer } from './tendering.policy';
export { assertBidderMayTakePart } from './commands/obtain';
export { biddingLotFor, escrowOf } from './tendering.api';
export { createTender, updateDraftTender, type CreateTenderInput } from './commands/create';
export { publishTender } from './commands/publish';
export { obtainDocuments } from './commands/obtain';
export { askQuestion, publishClarification } from './commands/clarify';
export { raiseObjection, answerObjection } from './commands/objections';
export { BID_DEADLINE_JOB, OBJECTION_OVERDUE_JOB } from './commands/shared';
