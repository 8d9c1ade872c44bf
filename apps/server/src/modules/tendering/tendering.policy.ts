import { ROLE_FAMILY } from '@yiwang/contracts';
import type { Actor } from '../../platform/auth/actor';
import { canSupervise } from '../../platform/auth/policies';
import { AppError, Errors } from '../../platform/http/errors';
import { BEFORE_DEADLINE, type LotStatus } from './tendering.machine';

/**
 * Who may see and do what with a tender (ARCHITECTURE §3 policy):
 * - operate: only the project's tenderer organisation or its agency (roles tenderer/agency, matched by organisation);
 * - read: those parties; once published, the center's staff and supervisors within jurisdiction (industry + region,
 *   platform/auth/policies canSupervise) — they never operate (管办分离); bidders read published tenders they may
 *   take part in (open procedures: any; invitational: the invited);
 * - secrets (DOMAIN §7; 招标投标法 第二十二条): who obtained the documents and how many, and who raised an objection,
 *   stay hidden from everyone — parties, staff, supervisors, other bidders — until every lot has passed its bid
 *   deadline. A bidder sees only its own records.
 * Anyone else gets 404 for a tender id, exactly as for an id that does not exist.
 */
export interface TenderAccessView {
  status: 'draft' | 'published';
  ownerOrgId: string;
  agencyOrgId: string | null;
  industry: string;
  regionCode: string;
}

export const tenderNotFound = () => Errors.notFound('Tender', '招标项目');

export function isParty(actor: Actor | null, t: Pick<TenderAccessView, 'ownerOrgId' | 'agencyOrgId'>): boolean {
  if (!actor?.orgId) return false;
  const market = actor.roles.some((g) => g.role === 'tenderer' || g.role === 'agency');
  return market && (actor.orgId === t.ownerOrgId || actor.orgId === t.agencyOrgId);
}

export function isCenterStaff(actor: Actor | null): boolean {
  return !!actor && actor.roles.some((g) => ROLE_FAMILY[g.role] === 'center');
}

export function isBidder(actor: Actor | null): boolean {
  return !!actor?.orgId && actor.roles.some((g) => g.role === 'bidder');
}

/** Oversight readers: the center's staff and supervisors within jurisdiction, published tenders only. */
export function isOverseer(actor: Actor | null, t: TenderAccessView): boolean {
  if (t.status !== 'published') return false;
  return isCenterStaff(actor) || canSupervise(actor, { industry: t.industry, region: t.regionCode });
}

export function assertParty(actor: Actor, t: TenderAccessView): void {
  if (!isParty(actor, t)) throw tenderNotFound();
}

/**
 * The secrets of §7 open only when no lot is still before its deadline (draft or bidding — a lot whose deadline was
 * held by an open objection stays in bidding) and the server clock is past every lot's deadline.
 */
export function secretsOpen(lots: { status: LotStatus; bid_deadline: Date }[], now: Date): boolean {
  return lots.length > 0 && lots.every((l) => !BEFORE_DEADLINE.includes(l.status) && l.bid_deadline.getTime() <= now.getTime());
}

export function secretUntilDeadline(what: { zh: string; en: string }): AppError {
  return new AppError(
    'TENDER_SECRET_UNTIL_DEADLINE',
    403,
    `${what.zh}在投标截止前对任何人保密（招标投标法第二十二条）`,
    `${what.en} is secret from everyone until the bid deadline (Tendering Law art. 22)`,
  );
}
