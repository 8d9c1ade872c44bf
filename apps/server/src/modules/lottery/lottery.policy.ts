import { ROLE_FAMILY } from '@yiwang/contracts';
import type { Actor } from '../../platform/auth/actor';
import { assertOperator } from '../../platform/auth/policies';
import { AppError, Errors } from '../../platform/http/errors';

/**
 * Who may do what with draws through this module's routes (the lottery service itself has no opinion: business
 * modules decide for their own draws).
 * - commit / execute / reveal a draw through the API: trading-center staff and administrators, for the purposes the
 *   center runs by hand (seats, remote secondary venues, tie-breaks). Supervisors never operate (管办分离). Only
 *   the draws these routes committed (subject `center:…`) can be executed or revealed here; business modules' draws
 *   (experts, evaluation seats and tie-breaks) are theirs alone.
 * - custodians (DOMAIN §7: names on a committee are secret to everyone but the draw record's custodians): the
 *   supervising roles, administrators and the account that requested the draw. They see names and exclusion details
 *   before the reveal; nobody sees the seed before it.
 * - everyone: the public record and verification.
 */
export const CENTER_PURPOSES = ['seat_assignment', 'venue_selection', 'tie_break'] as const;
export type CenterPurpose = (typeof CENTER_PURPOSES)[number];

export function isCenterOperator(actor: Actor | null): boolean {
  return !!actor && actor.roles.some((g) => ROLE_FAMILY[g.role] === 'center' || g.role === 'admin');
}

/** 401 signed out; 403 SUPERVISOR_CANNOT_OPERATE for supervisors; 403 LOTTERY_NOT_OPERATOR for everyone else. */
export function assertCenterOperator(actor: Actor | null): Actor {
  if (!actor) throw Errors.unauthenticated();
  assertOperator(actor);
  if (!isCenterOperator(actor))
    throw new AppError('LOTTERY_NOT_OPERATOR', 403, '只有交易中心工作人员或平台管理员可以组织抽取', 'Only trading-center staff or administrators may run draws');
  return actor;
}

/** Subjects of the draws these routes run: their own namespace, apart from the business modules' draws. */
export const CENTER_SUBJECT_PREFIX = 'center:';

/**
 * The routes execute and reveal only the draws they committed (subject `center:…`, a center purpose). A business
 * module's draw — an expert draw, or the evaluation module's seats and tie-breaks, whose names stay secret until its
 * report — is run and revealed by that module alone: not here, whatever its purpose.
 */
export function assertCenterDraw(d: { purpose: string; subject: string }): void {
  if (!(CENTER_PURPOSES as readonly string[]).includes(d.purpose) || !d.subject.startsWith(CENTER_SUBJECT_PREFIX))
    throw new AppError(
      'LOTTERY_PURPOSE_NOT_HERE',
      403,
      '该抽取由相应业务办理（如专家抽取由专家库、评标工位与同分抽签由评标业务办理），不能在此执行或揭示',
      'This draw is run by its own module (expert draws by the expert registry, evaluation seats and tie-breaks by the evaluation), not here',
      'purpose',
    );
}

export function isCustodian(actor: Actor | null, requestedBy: string | null): boolean {
  if (!actor) return false;
  if (requestedBy && actor.accountId === requestedBy) return true;
  return actor.roles.some((g) => g.role === 'admin' || ROLE_FAMILY[g.role] === 'supervision');
}
