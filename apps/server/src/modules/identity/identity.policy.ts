import { STAFF_ROLES } from '@yiwang/contracts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor';
import { requireActor, requireRole } from '../../platform/auth/actor';
import { AppError } from '../../platform/http/errors';

/**
 * An organisation's accounts are managed by that organisation's own admin account and nobody else's.
 * Another organisation's id answers 404, not 403, so ids cannot be probed for existence.
 */
export function requireOrgAdmin(req: FastifyRequest, orgId: string): Actor {
  const actor = requireActor(req);
  if (actor.via !== 'session' || actor.orgId !== orgId) throw new AppError('NOT_FOUND', 404, '单位不存在', 'Organisation not found');
  if (!actor.isOrgAdmin)
    throw new AppError(
      'FORBIDDEN_ORG_ADMIN',
      403,
      '只有本单位管理员账号可以管理本单位账号',
      "Only the organisation's admin account may manage its accounts",
    );
  return actor;
}

/** Members of an organisation may read its account list; others get 404. */
export function requireOrgMember(req: FastifyRequest, orgId: string): Actor {
  const actor = requireActor(req);
  if (actor.orgId !== orgId) throw new AppError('NOT_FOUND', 404, '单位不存在', 'Organisation not found');
  return actor;
}

export function requireStaff(req: FastifyRequest): Actor {
  return requireRole(req, ...STAFF_ROLES);
}

export function requireAdmin(req: FastifyRequest): Actor {
  return requireRole(req, 'admin');
}
