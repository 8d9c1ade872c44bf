import type { Actor } from '../../platform/auth/actor';
import { assertOperator } from '../../platform/auth/policies';
import { AppError, Errors } from '../../platform/http/errors';
import { isTenderOverseer, isTenderParty, type TenderRow } from '../tendering/index';

/**
 * Who may do what after the opening (ARCHITECTURE §3 policy; 管办分离):
 * - operate (enter the result, publicise, answer objections, award, contract, terminate, re-tender): only the
 *   tenderer organisation or its agency — supervisors and the center's staff never (platform/auth/policies);
 * - object (异议/质疑): a bidder organisation with a valid bid on the lot;
 * - read: the parties, the center's staff and supervisors within jurisdiction (industry + region), and the lot's
 *   bidders (their own objections, the result). Anyone else gets 404, as for an id that does not exist.
 */
export const access = (t: TenderRow) => ({
  status: t.status,
  ownerOrgId: t.owner_org_id,
  agencyOrgId: t.agency_org_id,
  industry: t.industry,
  regionCode: t.region_code,
});

export const lotNotFound = () => Errors.notFound('Lot', '标段');

export function isParty(actor: Actor | null, t: TenderRow): boolean {
  return isTenderParty(actor, access(t));
}

export function canRead(actor: Actor | null, t: TenderRow, bidderOrgIds: string[]): boolean {
  return isParty(actor, t) || isTenderOverseer(actor, access(t)) || (!!actor?.orgId && bidderOrgIds.includes(actor.orgId));
}

/** Operating commands: supervisors refused by name (403), other readers 403, everyone else 404. */
export function assertOperates(actor: Actor, t: TenderRow, bidderOrgIds: string[] = []): void {
  assertOperator(actor);
  if (isParty(actor, t)) return;
  if (canRead(actor, t, bidderOrgIds)) {
    throw new AppError('AWARD_NOT_OPERATOR', 403, '只有招标人或其委托的代理机构可以办理', 'Only the tenderer or its agency may do this');
  }
  throw lotNotFound();
}

export function assertBidderOf(actor: Actor, t: TenderRow, bidderOrgIds: string[]): void {
  if (actor.orgId && bidderOrgIds.includes(actor.orgId) && actor.roles.some((g) => g.role === 'bidder')) return;
  if (canRead(actor, t, bidderOrgIds)) {
    throw new AppError(
      'AWARD_NOT_BIDDER',
      403,
      '只有本标段的有效投标人可以提出异议或质疑',
      'Only a bidder with a valid bid on this lot may object',
    );
  }
  throw lotNotFound();
}
