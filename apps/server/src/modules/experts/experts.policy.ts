import { canSupervise, assertJurisdiction, isSupervisor, type GrantHolder } from '../../platform/auth/policies';
import type { Actor } from '../../platform/auth/actor';
import { AppError, Errors } from '../../platform/http/errors';

/**
 * Who may see and decide what in the expert registry.
 *
 * - The expert (the applicant's own account) reads its record and manages its availability, conflicts and exit.
 * - Supervisors read records whose home region lies in their regions and whose supervising industries meet theirs
 *   (regulator: industry + region; manager and auditor: region; platform/auth/policies canSupervise).
 * - Decisions that admit to or end membership of the pool (approve, return, reject, annual review, removal) belong
 *   to a regulator or the comprehensive manager covering EVERY industry of the record: one department does not admit
 *   an expert into another department's field. Sanctions (blacklist, incentive/penalty points) may come from any
 *   covering department: 条例 第七十一条 lets "有关行政监督部门" bar an expert, and the bar holds everywhere.
 * - Nobody decides on their own record (a regulator may also be an expert): 403 EXPERT_SELF_REVIEW.
 * Everyone else gets 404 for an expert id, as for an id that does not exist.
 */
export interface ExpertAccessView {
  accountId: string;
  homeRegion: string;
  industries: string[];
}

export const expertNotFound = () => Errors.notFound('Expert', '专家');

/** Only regulators and managers decide; auditors read. */
function deciders(actor: GrantHolder): GrantHolder {
  return { roles: actor.roles.filter((g) => g.role === 'regulator' || g.role === 'manager') };
}

export function isSelf(actor: Actor, e: Pick<ExpertAccessView, 'accountId'>): boolean {
  return actor.accountId === e.accountId;
}

export function supervisesAny(actor: GrantHolder, e: ExpertAccessView): boolean {
  return e.industries.some((industry) => canSupervise(actor, { industry, region: e.homeRegion }));
}

export function canRead(actor: Actor, e: ExpertAccessView): boolean {
  return isSelf(actor, e) || supervisesAny(actor, e);
}

export function assertCanRead(actor: Actor, e: ExpertAccessView): void {
  if (canRead(actor, e)) return;
  if (isSupervisor(actor)) assertJurisdiction(actor, { industry: e.industries[0] ?? '', region: e.homeRegion });
  throw expertNotFound();
}

const selfReview = () =>
  new AppError('EXPERT_SELF_REVIEW', 403, '不得审核或处理本人的专家信息', 'You may not decide on your own expert record');

function assertNotSelf(actor: Actor, e: ExpertAccessView) {
  if (isSelf(actor, e)) throw selfReview();
}

const notDecider = () =>
  new AppError('FORBIDDEN_ROLE', 403, '此操作需要以下角色之一：regulator、manager', 'This action needs one of the roles: regulator, manager', undefined, {
    required: ['regulator', 'manager'],
  });

/** Approve / return / reject / annual review / removal: a decider covering every industry of the record. */
export function assertCanDecide(actor: Actor, e: ExpertAccessView): void {
  assertNotSelf(actor, e);
  const d = deciders(actor);
  if (!d.roles.length) {
    if (!canRead(actor, e)) throw expertNotFound();
    throw notDecider();
  }
  for (const industry of e.industries) assertJurisdiction(d, { industry, region: e.homeRegion });
}

/** Blacklist, lift, incentive and penalty points: a decider covering at least one industry of the record. */
export function assertCanSanction(actor: Actor, e: ExpertAccessView): void {
  assertNotSelf(actor, e);
  const d = deciders(actor);
  if (!d.roles.length) {
    if (!canRead(actor, e)) throw expertNotFound();
    throw notDecider();
  }
  if (!supervisesAny(d, e)) assertJurisdiction(d, { industry: e.industries[0] ?? '', region: e.homeRegion });
}

/** The supervising grants of an actor, as list filters (repo.listForSupervisors). */
export function jurisdictionsOf(actor: Actor) {
  return actor.roles
    .filter((g) => g.role === 'regulator' || g.role === 'manager' || g.role === 'auditor')
    .map((g) => ({ industries: g.industries, regions: g.regions, anyIndustry: g.role !== 'regulator' || g.industries.includes('*') }));
}
