import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { shanghaiDate } from '../../../platform/calendar/index';
import { assertTransition, avoidUntil, checkConflict, checkLeave, conflictActiveOn, type ConflictInput } from '../experts.rules';
import { getExpertByAccount, getLeaves, insertConflicts, type ExpertRow } from '../experts.repo';
import { record } from './shared';

/** The actor's own record, locked; 404 EXPERT_NOT_APPLIED when the account has none. */
export async function ownRecord(trx: DbOrTx, actor: Actor): Promise<ExpertRow> {
  const e = await getExpertByAccount(trx, actor.accountId, true);
  if (!e) throw new AppError('EXPERT_NOT_APPLIED', 404, '您还没有申请成为评标专家', 'You have not applied to the expert pool');
  return e;
}

function assertInPool(e: ExpertRow) {
  if (e.status !== 'active' && e.status !== 'suspended')
    throw Errors.conflict('EXPERT_NOT_IN_POOL', '只有库内专家可以登记请假', 'Only experts in the pool declare leave', 'status');
}

/**
 * Declare a leave (请假): the expert is not drawn for evaluations overlapping [startsAt, endsAt). Leaves of one
 * expert never overlap, so each instant has at most one explanation.
 */
export async function declareLeave(ctx: AppContext, actor: Actor, input: { startsAt: Date; endsAt: Date; reason: string }): Promise<string> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const e = await ownRecord(trx, actor);
    assertInPool(e);
    const existing = (await getLeaves(trx, e.id, { activeOnly: true })).map((l) => ({ id: l.id, startsAt: l.starts_at, endsAt: l.ends_at }));
    checkLeave(input, now, existing);
    const row = await trx
      .insertInto('expert_leaves')
      .values({ expert_id: e.id, starts_at: input.startsAt, ends_at: input.endsAt, reason: input.reason.trim(), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(trx, actor.accountId, e.id, 'expert.leave_declared', { leaveId: row.id, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString() }, now);
    return row.id;
  });
}

/**
 * Withdraw a leave: one that has not begun is cancelled; one under way ends now (the expert is back early). A leave
 * already over stays as it was (it is history).
 */
export async function withdrawLeave(ctx: AppContext, actor: Actor, leaveId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const e = await ownRecord(trx, actor);
    const l = await trx.selectFrom('expert_leaves').selectAll().where('id', '=', leaveId).where('expert_id', '=', e.id).forUpdate().executeTakeFirst();
    if (!l || l.cancelled_at) throw Errors.notFound('Leave', '请假记录');
    if (l.ends_at.getTime() <= now.getTime()) throw Errors.conflict('EXPERT_LEAVE_OVER', '该请假已结束', 'This leave is already over', 'leaveId');
    const started = l.starts_at.getTime() <= now.getTime();
    if (started) await trx.updateTable('expert_leaves').set({ ends_at: now }).where('id', '=', l.id).execute();
    else await trx.updateTable('expert_leaves').set({ cancelled_at: now }).where('id', '=', l.id).execute();
    await record(trx, actor.accountId, e.id, started ? 'expert.leave_ended' : 'expert.leave_cancelled', { leaveId: l.id }, now);
  });
}

/**
 * Declare a further conflict (an employer, directorship, shareholding or a relative's company) at any time while
 * the record exists. Declarations are never deleted: a relation that ends is given its end date, and an ended
 * employment still counts for the 3-year window.
 */
export async function declareConflict(ctx: AppContext, actor: Actor, input: ConflictInput): Promise<string> {
  const now = ctx.clock.now();
  const c = checkConflict(input, shanghaiDate(now), 'conflict');
  return ctx.db.transaction().execute(async (trx) => {
    const e = await ownRecord(trx, actor);
    if (e.status === 'removed') throw Errors.conflict('EXPERT_REMOVED', '专家资格已取消', 'The expert qualification was revoked', 'status');
    const [row] = await insertConflicts(
      trx,
      e.id,
      [{ kind: c.kind, orgUscc: c.orgUscc, orgName: c.orgName, relation: c.relation ?? null, startedOn: c.startedOn ?? null, endedOn: c.endedOn ?? null, avoidUntil: c.avoidUntil }],
      now,
    );
    await record(trx, actor.accountId, e.id, 'expert.conflict_declared', { conflictId: row!.id, kind: c.kind, orgUscc: c.orgUscc, avoidUntil: c.avoidUntil }, now);
    return row!.id;
  });
}

/** Record that a declared relation ended on `endedOn` (once); the avoidance window runs from that day. */
export async function endConflict(ctx: AppContext, actor: Actor, conflictId: string, endedOn: string): Promise<void> {
  const now = ctx.clock.now();
  const today = shanghaiDate(now);
  await ctx.db.transaction().execute(async (trx) => {
    const e = await ownRecord(trx, actor);
    const c = await trx.selectFrom('expert_conflicts').selectAll().where('id', '=', conflictId).where('expert_id', '=', e.id).forUpdate().executeTakeFirst();
    if (!c) throw Errors.notFound('Conflict', '回避关系');
    if (c.ended_on) throw Errors.conflict('EXPERT_CONFLICT_ENDED', `该关系已登记于 ${c.ended_on} 结束`, `This relation was already recorded as ended on ${c.ended_on}`, 'endedOn');
    if (endedOn > today) throw new AppError('EXPERT_CONFLICT_DATE_FUTURE', 400, '日期不能晚于今天', 'The date cannot be after today', 'endedOn');
    if (c.started_on && endedOn < c.started_on) throw new AppError('EXPERT_CONFLICT_DATES', 400, '结束日期早于起始日期', 'The end date is before the start date', 'endedOn');
    const avoid = avoidUntil({ kind: c.kind, endedOn });
    await trx.updateTable('expert_conflicts').set({ ended_on: endedOn, avoid_until: avoid }).where('id', '=', c.id).execute();
    await record(trx, actor.accountId, e.id, 'expert.conflict_ended', { conflictId: c.id, endedOn, avoidUntil: avoid, stillAvoided: conflictActiveOn(avoid, today) }, now);
  });
}

/** Voluntary exit (退出): from the pool, or withdrawal of an application under review or returned. */
export async function exitPool(ctx: AppContext, actor: Actor, reason: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const e = await ownRecord(trx, actor);
    const to = assertTransition(e.status, 'exit');
    await trx.updateTable('experts').set({ status: to, ended_at: now, end_reason: reason.trim(), updated_at: now }).where('id', '=', e.id).execute();
    await record(trx, actor.accountId, e.id, 'expert.exited', { reason: reason.trim(), previousStatus: e.status }, now);
  });
}
