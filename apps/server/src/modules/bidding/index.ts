import type { FastifyInstance } from 'fastify';
import './bidding.tables';
import './opening.jobs'; // the room opens on tender.lot_opening; window, recovery and objection deadlines
import { biddingRoutes } from './bidding.routes';
import { openingRoutes } from './opening.routes';

/**
 * 投标与不见面开标 (DOMAIN §4 steps 5–6; issue 3 §3–4): sealed bids streamed in and verified, platform-signed receipts
 * naming the ledger position, change and withdrawal before the deadline (server time), secrecy until the deadline,
 * the opening room (remote decryption by each bidder, escrow recovery after a declared platform incident, the
 * opening record, objections on the spot, failure with fewer valid bids than the policy's minimum).
 * Design: docs/adr (bid submission and the remote opening).
 */
export default async function biddingModule(app: FastifyInstance): Promise<void> {
  await biddingRoutes(app);
  await openingRoutes(app);
}

export { submitBid, withdrawBid, checkEscrow } from './commands/submit';
export { decryptOwnBid } from './commands/decrypt';
export { declareIncident, submitShare, recoveryView } from './commands/recovery';
export { raiseOpeningObjection, answerOpeningObjection } from './commands/objections';
export { checkReceipt, type BidReceipt, type ReceiptCheck } from './bidding.receipts';
export { openStoredBid } from './opening.open';
// The bidder organisation's registered signing keys and the tender's escrow custodians with theirs: the negotiation
// module verifies sealed final offers (same envelope, same checks) against them.
export { orgSigningKeys, custodiansWithKeys } from './bidding.repo';
export { WINDOW_END_JOB, RECOVERY_END_JOB, OBJECTIONS_END_JOB, RECOVERY_MINUTES, OBJECTION_MINUTES, type OpeningRecordRow } from './opening.room';
