import type { Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { AppError, Errors } from '../../platform/http/errors';
import { assertBidderMayTakePart, effectivePolicy, engine, getTender, isTenderOverseer, isTenderParty, BEFORE_DEADLINE, type LotStatus, type TenderRow } from '../tendering/index';
import { bidsSecret } from './bidding.errors';

/**
 * Who may see what of a lot's bids (DOMAIN §7, enforced here and in the presenter):
 * - before the deadline: nobody learns anything about other organisations' bids — not the tenderer or its agency,
 *   not the center's staff, not regulators, not other bidders. Every such question gets BIDS_SECRET_UNTIL_DEADLINE,
 *   decided from the lot's status and the server clock alone. A bidder reads only its own bid (GET …/bid).
 * - after the deadline: the opening room is visible to the tender's parties, overseers (center staff, supervisors in
 *   jurisdiction) and the bidders that bid on the lot; the bidders' names show; prices show once the opening record
 *   is drawn up (each bidder sees its own as soon as it decrypted it).
 * Anyone who may not see the tender at all gets the tender's 404, as for an id that does not exist.
 */
export type Viewer = 'party' | 'overseer' | 'bidder';

const tenderNotFound = () => Errors.notFound('Tender', '招标项目');

export function accessOf(t: TenderRow) {
  return { status: t.status, ownerOrgId: t.owner_org_id, agencyOrgId: t.agency_org_id, industry: t.industry, regionCode: t.region_code };
}

export async function viewerOf(db: DbOrTx, actor: Actor, tenderId: string): Promise<{ tender: TenderRow; viewer: Viewer }> {
  const tender = await getTender(db, tenderId);
  if (!tender || !engine.isTenderingProcedure(tender.procedure_type)) throw tenderNotFound();
  if (isTenderParty(actor, accessOf(tender))) return { tender, viewer: 'party' };
  if (isTenderOverseer(actor, accessOf(tender))) return { tender, viewer: 'overseer' };
  if (actor.orgId && actor.roles.some((g) => g.role === 'bidder')) {
    await assertBidderMayTakePart(db, actor, tender, await effectivePolicy(db, tender.procedure_type));
    return { tender, viewer: 'bidder' };
  }
  throw tenderNotFound();
}

/** True while the lot's bids are secret: status before the deadline, or the server clock not yet past it. */
export function beforeDeadline(lot: { status: LotStatus; bid_deadline: Date }, now: Date): boolean {
  return BEFORE_DEADLINE.includes(lot.status) || now.getTime() < lot.bid_deadline.getTime();
}

export function assertPastDeadline(lot: { status: LotStatus; bid_deadline: Date }, now: Date): void {
  if (beforeDeadline(lot, now)) throw bidsSecret();
}

export function requireBidderOrg(actor: Actor): string {
  if (!actor.orgId || !actor.roles.some((g) => g.role === 'bidder')) throw Errors.forbidden('只有投标人账号可以投标', 'Only bidder accounts can bid');
  return actor.orgId;
}

export const isCenterStaff = (actor: Actor) => actor.roles.some((g) => g.role.startsWith('center_'));

export function requireParty(actor: Actor, t: TenderRow): void {
  if (!isTenderParty(actor, accessOf(t))) throw new AppError('FORBIDDEN', 403, '只有招标人或其招标代理机构可以执行此操作', 'Only the tenderer or its agency may do this');
}
