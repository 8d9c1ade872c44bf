import type { FastifyInstance } from 'fastify';
import './deposits.tables';
import './commands/refunds'; // registers the chronograph handler that flags overdue refunds
import { bankRoutes } from './bank.routes';
import { depositRoutes } from './deposits.routes';
import { refundRoutes } from './refunds.routes';
import { setupRoutes } from './setup.routes';
import { demoAdapterRoutes, demoAdaptersEnabled } from './demo/demo-routes';

/**
 * 投标保证金与电子保函 (DOMAIN §5): per-lot virtual sub-accounts and bank confirmations, electronic guarantees verified
 * with their issuers, deposit status for bids, refunds on time. Design: docs/adr/0009-deposits-and-guarantees.md.
 *
 * Public surface for other modules (the tendering module registers lots, checks bids and starts refunds):
 *
 * - `registerLotDeposit(trx, requirement, now, actorId?)` — record/replace a lot's deposit requirement: amount in 分,
 *   cash allowed, `revealAfter` (the bid deadline; before it only the bidder sees its own deposit records),
 *   `bidValidUntil`, beneficiary, tenderer/agency, jurisdiction. Call it again when any of these change.
 * - `depositStatus(trx, {tenderId, lotId, bidderOrgId, requiredFen, cashAllowed, asOf?, validThrough?})` →
 *   `{status: 'satisfied'|'missing'|'insufficient', by, cashFen, flaggedCashFen, guaranteeFen, credits, guarantees, …}`;
 *   read-only, safe inside the bid-submission transaction.
 * - `startRefunds(trx, {tenderId, lotId, bidders: {only?, except?}, reason, basisAt, period: {n, unit}}, now)` →
 *   refund tasks (one per cash credit, due per the working-day calendar, overdue-flagged by the chronograph) and
 *   guarantee releases. `refundDueAt(db, basisAt, period)` previews the due instant.
 * - `sharedPayerAccounts(db, tenderId)` — 条例 40 signal for supervision (one account paying for several bidders).
 * - `registerBank`, `registerIssuer` — configuration (also over the admin API); `startDemoIssuer`, `DemoBank` — the
 *   built-in demo issuer (a real HTTP server) and bank signer, for the demo and tests.
 */
export default async function depositsModule(app: FastifyInstance): Promise<void> {
  await setupRoutes(app);
  await depositRoutes(app);
  await refundRoutes(app);
  await bankRoutes(app);
  // Demo issuer and bank inside the running server (YIWANG_DEMO_ADAPTERS=1 only; fixed public keys).
  if (demoAdaptersEnabled()) await demoAdapterRoutes(app);
}

export {
  registerLotDeposit,
  registerBank,
  registerIssuer,
  type LotDepositRequirement,
  type BankInput,
  type IssuerInput,
} from './commands/setup';
export { depositStatus, type DepositStatus, type DepositStatusQuery } from './status';
export { applyDepositToPrice, type ApplyToPriceInput, type ApplyToPriceResult } from './commands/apply';
export { startRefunds, refundDueAt, type RefundPeriod, type StartRefundsInput, type StartRefundsResult } from './commands/refunds';
export { sharedPayerAccounts } from './deposits.repo';
export { startDemoIssuer, type DemoIssuer } from './demo/demo-issuer';
export { DemoBank, type BankNotification } from './demo/demo-bank';
