import { ROLE_FAMILY } from '@yiwang/contracts';
import type { Actor } from '../../platform/auth/actor';
import { assertOperator, canSupervise } from '../../platform/auth/policies';
import { AppError, Errors } from '../../platform/http/errors';

/**
 * Who sees and does what (docs/adr/0019-expert-draw.md; DOMAIN §7):
 * - custodians of the draw — the trading center's staff who run it, administrators, and the supervisors with
 *   jurisdiction over the tender (ADR 0015's custodian notion) — see the names at once;
 * - the tenderer and its agency see counts, seats and statuses, and the names only once published (the award);
 * - the drawn expert sees its own invitation; everyone else, bidders included, gets 404.
 */
export type Viewer = 'custodian' | 'party' | null;

export function isCenterOperator(actor: Actor | null): boolean {
  return !!actor && actor.roles.some((g) => ROLE_FAMILY[g.role] === 'center' || g.role === 'admin');
}

export function viewerOf(actor: Actor | null, t: { owner_org_id: string; agency_org_id: string | null; industry: string; region_code: string }): Viewer {
  if (!actor) return null;
  if (isCenterOperator(actor) || canSupervise(actor, { industry: t.industry, region: t.region_code })) return 'custodian';
  if (actor.orgId && (actor.orgId === t.owner_org_id || actor.orgId === t.agency_org_id) && actor.roles.some((g) => g.role === 'tenderer' || g.role === 'agency'))
    return 'party';
  return null;
}

/** Running the draw: center staff or administrators; supervisors never operate (管办分离). */
export function assertCenterOperator(actor: Actor | null): Actor {
  if (!actor) throw Errors.unauthenticated();
  assertOperator(actor);
  if (!isCenterOperator(actor)) throw new AppError('EXPERTDRAW_NOT_OPERATOR', 403, '只有交易中心工作人员可以组织专家抽取', 'Only trading-center staff may run expert draws');
  return actor;
}

export function assertRequester(actor: Actor | null): Actor {
  if (!actor) throw Errors.unauthenticated();
  if (!actor.roles.some((g) => g.role === 'tenderer' || g.role === 'agency'))
    throw new AppError('FORBIDDEN_ROLE', 403, '只有招标人或招标代理机构可以申请抽取专家', 'Only the tenderer or its agency may request experts');
  return actor;
}

export function assertExpert(actor: Actor | null): Actor {
  if (!actor) throw Errors.unauthenticated();
  if (!actor.roles.some((g) => g.role === 'expert')) throw new AppError('FORBIDDEN_ROLE', 403, '仅限评标专家', 'Experts only');
  return actor;
}
