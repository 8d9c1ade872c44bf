import { ROLE_FAMILY, type Role, type RoleGrant } from '@yiwang/contracts';
import { AppError } from '../http/errors';

/**
 * Reusable authorisation policies (ARCHITECTURE §2 "authz"): jurisdiction and 管办分离.
 *
 * 管办分离 — the trading center operates the venue, supervisors supervise, and neither does the other's job
 * (国务院办公厅《整合建立统一的公共资源交易平台工作方案》国办发〔2015〕63号 二(四); 《公共资源交易平台管理暂行办法》
 * 第五条、第六条). Administrative supervision follows industry and region (《招标投标法实施条例》第四条).
 */

/** The bits of an actor these policies look at, so callers can pass a full Actor or a plain test object. */
export interface GrantHolder {
  roles: Pick<RoleGrant, 'role' | 'industries' | 'regions'>[];
}

export interface Jurisdiction {
  /** Industry code of the transaction (e.g. 'construction', 'government_procurement'). */
  industry: string;
  /** GB/T 2260 region code of the transaction, e.g. '350203'. */
  region: string;
}

const SUPERVISION_ROLES: readonly Role[] = ['regulator', 'manager', 'auditor'];

/**
 * A granted region is a GB/T 2260 prefix. Grants written as full six-digit codes mean the whole area they name:
 * '350000' (福建省) → '35', '350200' (厦门市) → '3502'; trailing "00" pairs are dropped.
 */
export function regionPrefix(code: string): string {
  let p = code.trim();
  while (p.length > 2 && p.endsWith('00')) p = p.slice(0, -2);
  return p;
}

export function regionCovers(granted: string[], region: string): boolean {
  return granted.some((g) => {
    const p = regionPrefix(g);
    return p.length > 0 && region.startsWith(p);
  });
}

/**
 * May this actor supervise a transaction in this industry and region?
 * - regulator (行业行政监督部门): its grant lists the industry (or '*') AND a region covering the transaction;
 * - manager (综合管理部门) and auditor: by region alone, across industries;
 * - trading-center staff and market roles: never.
 */
export function canSupervise(actor: GrantHolder | null | undefined, subject: Jurisdiction): boolean {
  if (!actor) return false;
  return actor.roles.some((g) => {
    if (g.role === 'regulator')
      return (g.industries.includes(subject.industry) || g.industries.includes('*')) && regionCovers(g.regions, subject.region);
    if (g.role === 'manager' || g.role === 'auditor') return regionCovers(g.regions, subject.region);
    return false;
  });
}

/** Throw 403 OUT_OF_JURISDICTION unless `canSupervise`. */
export function assertJurisdiction(actor: GrantHolder | null | undefined, subject: Jurisdiction): void {
  if (!canSupervise(actor, subject)) {
    throw new AppError(
      'OUT_OF_JURISDICTION',
      403,
      `该事项（行业 ${subject.industry}，区域 ${subject.region}）不在您的监管范围内`,
      `This matter (industry ${subject.industry}, region ${subject.region}) is outside your jurisdiction`,
      undefined,
      { industry: subject.industry, region: subject.region },
    );
  }
}

export function isSupervisor(actor: GrantHolder | null | undefined): boolean {
  return !!actor && actor.roles.some((g) => SUPERVISION_ROLES.includes(g.role));
}

/**
 * Supervisors never operate a transaction (no registering, witnessing, booking venues, bidding…): call this in
 * every operating command. 403 SUPERVISOR_CANNOT_OPERATE.
 */
export function assertOperator(actor: GrantHolder | null | undefined): void {
  if (isSupervisor(actor)) {
    throw new AppError(
      'SUPERVISOR_CANNOT_OPERATE',
      403,
      '监管角色不得办理交易业务（管办分离）',
      'Supervising roles may not operate transactions (separation of management and operation)',
    );
  }
}

/**
 * The role families one account may not combine, and why. Returns the offending pair or undefined.
 * - center + supervision: 管办分离;
 * - market + center/supervision: a party to trades may not run or supervise them (《招标投标法实施条例》第十三条,
 *   conflict of interest);
 * - system: API-token accounts carry nothing else.
 */
export function roleSeparationConflict(roles: readonly Role[]): { a: Role; b: Role } | undefined {
  const forbidden: [string, string][] = [
    ['center', 'supervision'],
    ['market', 'center'],
    ['market', 'supervision'],
  ];
  for (const a of roles) {
    for (const b of roles) {
      if (a === b) continue;
      if (a === 'system' || b === 'system') return { a, b };
      const fa = ROLE_FAMILY[a];
      const fb = ROLE_FAMILY[b];
      if (forbidden.some(([x, y]) => fa === x && fb === y)) return { a, b };
    }
  }
  return undefined;
}

export function assertRoleSeparation(roles: readonly Role[]): void {
  const c = roleSeparationConflict(roles);
  if (c) {
    throw new AppError(
      'ROLE_SEPARATION',
      409,
      `同一账号不得同时拥有 ${c.a} 与 ${c.b} 角色（管办分离）`,
      `One account may not hold both ${c.a} and ${c.b} (separation of duties)`,
      'roles',
      { conflict: [c.a, c.b] },
    );
  }
}
