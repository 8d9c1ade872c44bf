import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { getExpert } from '../experts.repo';
import { expertNotFound } from '../experts.policy';
import { loadForSanction, record, tellExpert } from './shared';

/**
 * Blacklist (黑名单): barred from every draw from `startsAt` (default now) until `endsAt`, or indefinitely when
 * `endsAt` is null — 条例 第七十一条 "禁止其在一定期限内参加…评标；…取消其担任评标委员会成员的资格"; 采购条例
 * 第七十五条 "禁止其参加政府采购评审活动". The record keeps its status: the bar is a period, and the draw checks it.
 */
export async function blacklist(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { reason: string; basis?: string | null; startsAt?: Date; endsAt?: Date | null },
): Promise<string> {
  const now = ctx.clock.now();
  const startsAt = input.startsAt ?? now;
  const endsAt = input.endsAt ?? null;
  if (endsAt && endsAt.getTime() <= startsAt.getTime())
    throw new AppError('EXPERT_BLACKLIST_RANGE', 400, '禁入期限的结束须晚于开始', 'The end of the bar must be after its start', 'endsAt');
  if (endsAt && endsAt.getTime() <= now.getTime())
    throw new AppError('EXPERT_BLACKLIST_RANGE', 400, '禁入期限已经过去', 'The bar would already be over', 'endsAt');
  return ctx.db.transaction().execute(async (trx) => {
    const e = await loadForSanction(trx, actor, id);
    if (e.status === 'removed' || e.status === 'rejected')
      throw Errors.conflict('EXPERT_INVALID_TRANSITION', `专家当前状态为 ${e.status}，无需列入黑名单`, `The expert is ${e.status}; a bar is pointless`, 'status');
    const row = await trx
      .insertInto('expert_blacklist')
      .values({ expert_id: id, reason: input.reason.trim(), basis: input.basis?.trim() || null, starts_at: startsAt, ends_at: endsAt, recorded_by: actor.accountId, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(
      trx,
      actor.accountId,
      id,
      'expert.blacklisted',
      { entryId: row.id, reason: input.reason.trim(), basis: input.basis ?? null, startsAt: startsAt.toISOString(), endsAt: endsAt?.toISOString() ?? null },
      now,
    );
    await tellExpert(
      trx,
      e,
      'expert.blacklisted',
      { zh: '您已被列入评标专家黑名单', en: 'You have been placed on the expert blacklist' },
      { zh: input.reason, en: input.reason },
      now,
    );
    return row.id;
  });
}

/** Lift a bar early (e.g. the decision was overturned on review), with a reason. */
export async function liftBlacklist(ctx: AppContext, actor: Actor, id: string, entryId: string, reason: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await loadForSanction(trx, actor, id);
    const b = await trx.selectFrom('expert_blacklist').selectAll().where('id', '=', entryId).where('expert_id', '=', id).forUpdate().executeTakeFirst();
    if (!b) throw Errors.notFound('Blacklist entry', '黑名单记录');
    if (b.lifted_at || (b.ends_at && b.ends_at.getTime() <= now.getTime()))
      throw Errors.conflict('EXPERT_BLACKLIST_OVER', '该黑名单记录已解除或已到期', 'This bar is already lifted or over', 'entryId');
    await trx.updateTable('expert_blacklist').set({ lifted_at: now, lifted_by: actor.accountId, lift_reason: reason.trim() }).where('id', '=', b.id).execute();
    await record(trx, actor.accountId, id, 'expert.blacklist_lifted', { entryId: b.id, reason: reason.trim() }, now);
  });
}

/** Incentive or penalty points (激励/惩戒) with a reason, by a supervising department. */
export async function addIncentive(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { kind: 'incentive' | 'penalty'; points: number; reason: string },
): Promise<string> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await loadForSanction(trx, actor, id);
    const row = await trx
      .insertInto('expert_incentives')
      .values({ expert_id: id, kind: input.kind, points: input.points, reason: input.reason.trim(), recorded_by: actor.accountId, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(trx, actor.accountId, id, `expert.${input.kind}`, { entryId: row.id, points: input.points, reason: input.reason.trim() }, now);
    return row.id;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Performance (履职评价)

export interface RatingInput {
  expertId: string;
  /** The evaluation the rating is about (the evaluation part's committee or lot id). */
  evaluationRef: string;
  rating: number;
  comment?: string | null;
}

/**
 * Who may rate an expert for an evaluation. The committee's membership is secret until the result (DOMAIN §7) and
 * lives with the evaluation part, which registers a guard answering "was this expert on that evaluation, and is
 * this actor its tenderer / agency / center staff?". Until one is registered, only the center's witness and intake
 * staff — who run the evaluation rooms — may rate; a tenderer's rating needs the evaluation part's confirmation.
 */
export type RatingGuard = (db: DbOrTx, args: { actor: Actor; expertId: string; evaluationRef: string }) => Promise<boolean>;
let ratingGuard: RatingGuard | null = null;

export function registerRatingGuard(guard: RatingGuard | null): void {
  ratingGuard = guard;
}

async function mayRate(db: DbOrTx, actor: Actor, expertId: string, evaluationRef: string): Promise<boolean> {
  if (ratingGuard) return ratingGuard(db, { actor, expertId, evaluationRef });
  return actor.roles.some((g) => g.role === 'center_witness' || g.role === 'center_intake');
}

/**
 * Record one performance rating in the caller's transaction (the evaluation part calls this when an evaluation
 * closes; the HTTP route wraps it). One rating per expert, evaluation and rater: 409 EXPERT_ALREADY_RATED.
 */
export async function recordPerformance(trx: DbOrTx, rater: { accountId: string; orgId: string | null }, input: RatingInput, now: Date): Promise<string> {
  const e = await getExpert(trx, input.expertId);
  if (!e || !['active', 'suspended', 'exited', 'removed'].includes(e.status) || !e.activated_at) throw expertNotFound();
  const dup = await trx
    .selectFrom('expert_performance')
    .select('id')
    .where('expert_id', '=', input.expertId)
    .where('evaluation_ref', '=', input.evaluationRef)
    .where('rater_id', '=', rater.accountId)
    .executeTakeFirst();
  if (dup) throw Errors.conflict('EXPERT_ALREADY_RATED', '您已评价过该专家在本次评审中的表现', 'You have already rated this expert for this evaluation', 'evaluationRef');
  const row = await trx
    .insertInto('expert_performance')
    .values({
      expert_id: input.expertId,
      evaluation_ref: input.evaluationRef,
      rating: input.rating,
      comment: input.comment?.trim() || null,
      rater_id: rater.accountId,
      rater_org_id: rater.orgId,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await record(trx, rater.accountId, input.expertId, 'expert.rated', { ratingId: row.id, evaluationRef: input.evaluationRef, rating: input.rating }, now);
  return row.id;
}

/** HTTP entry: the guard, then recordPerformance in its own transaction. */
export async function ratePerformance(ctx: AppContext, actor: Actor, input: RatingInput): Promise<string> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await mayRate(trx, actor, input.expertId, input.evaluationRef)))
      throw new AppError(
        'EXPERT_RATING_NOT_ALLOWED',
        403,
        '只有该次评审的招标人、代理机构或交易中心工作人员可以评价专家',
        'Only the tenderer, agency or center staff of that evaluation may rate the expert',
      );
    return recordPerformance(trx, { accountId: actor.accountId, orgId: actor.orgId }, input, now);
  });
}
