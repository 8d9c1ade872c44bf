import { ROLE_FAMILY } from '@yiwang/contracts';
import { canSupervise } from '../../platform/auth/policies';
import type { Actor } from '../../platform/auth/actor';
import { Errors } from '../../platform/http/errors';
import type { ProjectStatus } from './intake.tables';

/**
 * Who may see and do what with a project.
 * - The registering parties — the tenderer organisation and, when an agency registered on its behalf, that agency —
 *   see and edit it (roles tenderer/agency, matched by organisation).
 * - Trading-center staff see every project that has been submitted (drafts are the registrant's own); only
 *   center_intake acts on it.
 * - Supervisors (regulator by industry + region; manager/auditor by region) read submitted projects within their
 *   jurisdiction (platform/auth/policies.ts canSupervise), never act (管办分离).
 * Anyone else gets 404 for a project id, exactly as for an id that does not exist, so ids reveal nothing (IDOR).
 */
export interface ProjectAccessView {
  status: ProjectStatus;
  ownerOrgId: string;
  agencyOrgId: string | null;
  industry: string;
  regionCode: string;
}

export function isParty(actor: Actor, p: Pick<ProjectAccessView, 'ownerOrgId' | 'agencyOrgId'>): boolean {
  if (!actor.orgId) return false;
  const market = actor.roles.some((g) => g.role === 'tenderer' || g.role === 'agency');
  return market && (actor.orgId === p.ownerOrgId || actor.orgId === p.agencyOrgId);
}

export function isCenterStaff(actor: Actor): boolean {
  return actor.roles.some((g) => ROLE_FAMILY[g.role] === 'center');
}

export function canRead(actor: Actor, p: ProjectAccessView): boolean {
  if (isParty(actor, p)) return true;
  if (p.status === 'draft') return false;
  if (isCenterStaff(actor)) return true;
  return canSupervise(actor, { industry: p.industry, region: p.regionCode });
}

export const projectNotFound = () => Errors.notFound('Project', '项目');

export function assertCanRead(actor: Actor, p: ProjectAccessView): void {
  if (!canRead(actor, p)) throw projectNotFound();
}

/** The registrant's own writes: not a party → 404 (as if absent). */
export function assertParty(actor: Actor, p: ProjectAccessView): void {
  if (!isParty(actor, p)) throw projectNotFound();
}
