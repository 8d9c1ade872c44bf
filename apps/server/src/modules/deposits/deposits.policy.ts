import type { Actor } from '../../platform/auth/actor';
import { assertOperator, canSupervise } from '../../platform/auth/policies';
import { AppError, Errors } from '../../platform/http/errors';
import type { RequirementRow } from './deposits.repo';

/**
 * Who may see and do what with deposits (DOMAIN §5, §7).
 *
 * A deposit record says who intends to bid, and who bids is secret until the bid deadline (招标投标法 第二十二条;
 * DOMAIN §7 "from everyone"). So until the lot's `reveal_after` only the bidder itself sees its own records — not
 * the tenderer, the agency, center staff or supervisors — and no listing of a lot exists for anyone. The bank and
 * the issuer are the other side of the adapters and authenticate as such, never as users.
 *
 * After the deadline:
 * - the tenderer and its agency (by organisation) see each bidder's deposit status (it is in the opening record);
 * - center finance staff (center_finance) see everything and operate refunds; supervisors never operate (管办分离);
 * - supervisors read lots in their jurisdiction (regulator: industry + region; manager/auditor: region), including
 *   payer accounts and the 条例 40 signals.
 */
export type LotViewer = 'party' | 'finance' | 'supervisor';

export const lotUnknown = () =>
  new AppError('DEPOSIT_LOT_UNKNOWN', 404, '该标段未登记保证金要求', 'No deposit requirement is registered for this lot');

export const sealed = (revealAfter: Date) =>
  new AppError(
    'DEPOSITS_SEALED',
    403,
    `投标截止（${revealAfter.toISOString()}）前，除投标人本人外任何人不得查看保证金信息`,
    `Until the bid deadline (${revealAfter.toISOString()}) nobody but the bidder itself may see deposit records`,
    undefined,
    { revealAfter: revealAfter.toISOString() },
  );

export function isFinance(actor: Actor): boolean {
  return actor.roles.some((g) => g.role === 'center_finance');
}

/** The lot id under which the auctions module registers an auction's deposit (tenderId = the auction's id). */
export const AUCTION_LOT_ID = 'auction';

/**
 * The bidder acting for its own organisation (operating role; supervisors never do this). On an auction's deposit
 * (lot id `auction`) a 竞买人 (`auction_bidder`) acts as the bidder too: it pays 竞买保证金, not 投标保证金.
 */
export function assertBidder(actor: Actor, lot?: { lotId: string }): string {
  assertOperator(actor);
  const roles = lot?.lotId === AUCTION_LOT_ID ? ['bidder', 'auction_bidder'] : ['bidder'];
  if (!actor.orgId || !actor.roles.some((g) => roles.includes(g.role))) {
    throw new AppError('FORBIDDEN_ROLE', 403, '此操作需要投标人角色', 'This action needs the bidder role', undefined, {
      required: ['bidder'],
    });
  }
  return actor.orgId;
}

/** Who is reading a lot's deposits, or throw: DEPOSITS_SEALED before the deadline (for everyone), 403 otherwise. */
export function assertLotReader(actor: Actor, req: RequirementRow, now: Date): LotViewer {
  if (now.getTime() < req.reveal_after.getTime()) throw sealed(req.reveal_after);
  if (isFinance(actor)) return 'finance';
  if (canSupervise(actor, { industry: req.industry, region: req.region_code })) return 'supervisor';
  const market = actor.roles.some((g) => g.role === 'tenderer' || g.role === 'agency');
  if (market && actor.orgId && (actor.orgId === req.tenderer_org_id || actor.orgId === req.agency_org_id)) return 'party';
  throw Errors.forbidden('您无权查看该标段的保证金信息', 'You may not see the deposits of this lot');
}

export function assertFinance(actor: Actor): void {
  assertOperator(actor);
  if (!isFinance(actor)) {
    throw new AppError('FORBIDDEN_ROLE', 403, '此操作需要交易中心财务角色', 'This action needs the center finance role', undefined, {
      required: ['center_finance'],
    });
  }
}
