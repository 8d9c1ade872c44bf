import type { FastifyRequest } from 'fastify';
import type { ActorView, Role, RoleGrant } from '@yiwang/contracts';
import { AppError, Errors } from '../http/errors';

/** Who is making the request, resolved once per request by the auth hook. */
export interface Actor extends ActorView {
  via: 'session' | 'token';
  sessionIdHash?: string;
  /** Token scopes for system accounts (undefined for sessions). */
  scopes?: string[];
  /** Sessions: the account has confirmed TOTP enrolment. */
  totpEnabled?: boolean;
  /** Sessions: this session has passed the TOTP check (or enrolled in it). */
  secondFactorOk?: boolean;
  /** Sessions: the account may manage its own organisation's accounts. */
  isOrgAdmin?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw Errors.unauthenticated();
  return req.actor;
}

export function hasRole(actor: Actor | null, ...roles: Role[]): boolean {
  return !!actor && actor.roles.some((g) => roles.includes(g.role));
}

export function grantOf(actor: Actor, role: Role): RoleGrant | undefined {
  return actor.roles.find((g) => g.role === role);
}

/** 401 when signed out, 403 FORBIDDEN_ROLE when signed in without any of `roles`. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Actor {
  const actor = requireActor(req);
  if (!hasRole(actor, ...roles)) {
    throw new AppError(
      'FORBIDDEN_ROLE',
      403,
      `此操作需要以下角色之一：${roles.join('、')}`,
      `This action needs one of the roles: ${roles.join(', ')}`,
      undefined,
      { required: roles },
    );
  }
  return actor;
}

/**
 * Scoped API tokens: a token actor must hold `scope` ('announcements:read', 'projects:write', …); 403
 * TOKEN_SCOPE_MISSING otherwise. Session actors pass — their access is decided by roles, so pair this with a
 * role check (e.g. `requireRole(req, 'tenderer', 'system')`). Returns the actor.
 */
export function requireScope(req: FastifyRequest, scope: string): Actor {
  const actor = requireActor(req);
  if (actor.via === 'token' && !(actor.scopes ?? []).includes(scope)) {
    throw new AppError('TOKEN_SCOPE_MISSING', 403, `令牌缺少权限范围 ${scope}`, `The API token lacks the scope ${scope}`, undefined, { required: scope });
  }
  return actor;
}
