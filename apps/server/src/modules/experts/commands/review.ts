import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { assertTransition, expertCode } from '../experts.rules';
import { accountHasRole } from '../experts.repo';
import { ensureAnnualSweepScheduled } from './annual';
import { loadForDecision, record, tellExpert } from './shared';

/** Fields a return may point at (the applicant's form shows the note beside each). */
export const RETURN_FIELDS = [
  'name',
  'idNumber',
  'phone',
  'titleLevel',
  'titleName',
  'equivalentLevel',
  'experienceYears',
  'employer',
  'homeRegion',
  'specialties',
  'regions',
  'kinds',
  'conflicts',
  'materials',
  'other',
] as const;
export type ReturnReason = { field: (typeof RETURN_FIELDS)[number]; note: string };

async function nextRound(trx: DbOrTx, expertId: string): Promise<number> {
  const r = await trx.selectFrom('expert_reviews').select((eb) => eb.fn.max('round').as('r')).where('expert_id', '=', expertId).executeTakeFirst();
  return Number(r?.r ?? 0) + 1;
}

/**
 * Approve: the expert enters the pool (status active). The account receives the expert role if it had none (a
 * natural person who applied from a self-registered account), so the expert's workbench opens; the annual review
 * of the current period is scheduled.
 */
export async function approve(ctx: AppContext, actor: Actor, id: string, comment: string | null): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const e = await loadForDecision(trx, actor, id);
    const to = assertTransition(e.status, 'approve');
    const round = await nextRound(trx, id);
    await trx.insertInto('expert_reviews').values({ expert_id: id, round, decision: 'approve', reasons: JSON.stringify([]), comment, reviewer_id: actor.accountId, decided_at: now }).execute();
    await trx
      .updateTable('experts')
      .set({ status: to, decided_at: now, decided_by: actor.accountId, activated_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
    const roleGranted = !(await accountHasRole(trx, e.account_id, 'expert'));
    if (roleGranted) await trx.insertInto('account_roles').values({ account_id: e.account_id, role: 'expert', industries: [], regions: [], granted_at: now }).execute();
    const sweep = await ensureAnnualSweepScheduled(trx, now);
    await record(trx, actor.accountId, id, 'expert.approved', { round, comment, roleGranted, annualReviewYear: sweep.year }, now);
    await tellExpert(
      trx,
      e,
      'expert.approved',
      { zh: '专家入库申请已通过', en: 'Your expert application is approved' },
      { zh: `您已进入评标专家库，专家编号 ${expertCode(e.serial_no)}。`, en: `You are in the expert pool as ${expertCode(e.serial_no)}.` },
      now,
    );
  });
}

/** Return with reasons (退回补正): the applicant corrects the named fields and applies again. */
export async function returnApplication(ctx: AppContext, actor: Actor, id: string, reasons: ReturnReason[]): Promise<void> {
  if (!reasons.length) throw new AppError('FIELD_REQUIRED', 400, '退回须写明理由', 'A return needs its reasons', 'reasons');
  const seen = new Set<string>();
  reasons.forEach((r, i) => {
    if (seen.has(r.field)) throw Errors.validation(`reasons.${i}.field`, `退回事项 ${r.field} 重复`, `Item ${r.field} is listed twice`, 'DUPLICATE_REASON');
    seen.add(r.field);
  });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const e = await loadForDecision(trx, actor, id);
    const to = assertTransition(e.status, 'return');
    const round = await nextRound(trx, id);
    await trx.insertInto('expert_reviews').values({ expert_id: id, round, decision: 'return', reasons: JSON.stringify(reasons), comment: null, reviewer_id: actor.accountId, decided_at: now }).execute();
    await trx.updateTable('experts').set({ status: to, decided_at: now, decided_by: actor.accountId, updated_at: now }).where('id', '=', id).execute();
    await record(trx, actor.accountId, id, 'expert.returned', { round, reasons }, now);
    await tellExpert(
      trx,
      e,
      'expert.returned',
      { zh: '专家入库申请被退回补正', en: 'Your expert application was returned for correction' },
      { zh: `请按退回理由修改后重新提交（共 ${reasons.length} 项）。`, en: `Correct the ${reasons.length} item(s) named and apply again.` },
      now,
    );
  });
}

/** Reject (不予入库) with a reason. The person may apply again later with a new application. */
export async function reject(ctx: AppContext, actor: Actor, id: string, reason: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const e = await loadForDecision(trx, actor, id);
    const to = assertTransition(e.status, 'reject');
    const round = await nextRound(trx, id);
    await trx
      .insertInto('expert_reviews')
      .values({ expert_id: id, round, decision: 'reject', reasons: JSON.stringify([{ field: 'other', note: reason }]), comment: reason, reviewer_id: actor.accountId, decided_at: now })
      .execute();
    await trx.updateTable('experts').set({ status: to, decided_at: now, decided_by: actor.accountId, updated_at: now }).where('id', '=', id).execute();
    await record(trx, actor.accountId, id, 'expert.rejected', { round, reason }, now);
    await tellExpert(trx, e, 'expert.rejected', { zh: '专家入库申请未通过', en: 'Your expert application was rejected' }, { zh: reason, en: reason }, now);
  });
}

/** Removal (取消资格) by the regulator: the record leaves the pool for good. */
export async function removeExpert(ctx: AppContext, actor: Actor, id: string, reason: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const e = await loadForDecision(trx, actor, id);
    const to = assertTransition(e.status, 'remove');
    await trx.updateTable('experts').set({ status: to, ended_at: now, end_reason: reason, updated_at: now }).where('id', '=', id).execute();
    await record(trx, actor.accountId, id, 'expert.removed', { reason, previousStatus: e.status }, now);
    await tellExpert(trx, e, 'expert.removed', { zh: '您的评标专家资格已被取消', en: 'Your expert qualification was revoked' }, { zh: reason, en: reason }, now);
  });
}
