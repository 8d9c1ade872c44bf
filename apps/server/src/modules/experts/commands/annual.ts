import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { cancelJob, scheduleJob } from '../../../platform/chronograph/jobs';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { notify } from '../../../platform/notify/notify';
import { shanghaiDate } from '../../../platform/calendar/index';
import '../../../platform/chronograph/chronograph.tables';
import { assertTransition, nextReviewDeadline, reviewApplies, startOfShanghaiYear } from '../experts.rules';
import { getSettings } from '../experts.repo';
import { loadForDecision, record, tellExpert } from './shared';

/** Chronograph job kind: one job per reviewed year (subject = the year), due at that year's review deadline. */
export const ANNUAL_REVIEW_JOB = 'experts.annual_review_due';

/**
 * Make sure the sweep of the next review deadline is scheduled, without reviving a sweep that already ran (the
 * chronograph's scheduleJob would). Called when an expert enters the pool and after each sweep.
 */
export async function ensureAnnualSweepScheduled(trx: DbOrTx, now: Date): Promise<{ year: number; dueAt: Date }> {
  const { annual_review_due } = await getSettings(trx);
  const next = nextReviewDeadline(now, annual_review_due);
  const have = await trx.selectFrom('scheduled_jobs').select('status').where('kind', '=', ANNUAL_REVIEW_JOB).where('subject_id', '=', String(next.year)).executeTakeFirst();
  if (!have) await scheduleJob(trx, { kind: ANNUAL_REVIEW_JOB, subjectId: String(next.year), dueAt: next.dueAt, payload: { year: next.year } }, now);
  return next;
}

/** The deadline setting changed: move a pending sweep to the new deadline (none pending → nothing to move). */
export async function rescheduleAnnualSweep(trx: DbOrTx, now: Date): Promise<void> {
  const pending = await trx.selectFrom('scheduled_jobs').select('subject_id').where('kind', '=', ANNUAL_REVIEW_JOB).where('status', '=', 'pending').execute();
  if (!pending.length) return;
  for (const p of pending) await cancelJob(trx, ANNUAL_REVIEW_JOB, p.subject_id, now);
  const { annual_review_due } = await getSettings(trx);
  const next = nextReviewDeadline(now, annual_review_due);
  await scheduleJob(trx, { kind: ANNUAL_REVIEW_JOB, subjectId: String(next.year), dueAt: next.dueAt, payload: { year: next.year } }, now);
}

/**
 * 年度考核 (《政府采购法实施条例》第六十二条 dynamic management of the pool; the periodic appraisal and exit
 * mechanism the Changzhou plan asks for, ../reference/policy/001). One result per expert and year. A fail suspends an
 * active expert at once; a pass reinstates an expert suspended for the annual review.
 */
export async function recordAnnualReview(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { year: number; result: 'pass' | 'fail'; comment?: string | null },
): Promise<void> {
  const now = ctx.clock.now();
  const thisYear = Number(shanghaiDate(now).slice(0, 4));
  await ctx.db.transaction().execute(async (trx) => {
    const e = await loadForDecision(trx, actor, id);
    if (!['active', 'suspended'].includes(e.status))
      throw Errors.conflict('EXPERT_INVALID_TRANSITION', `专家当前状态为 ${e.status}，不能进行年度考核`, `The expert is ${e.status}; no annual review is possible`, 'status');
    if (input.year > thisYear || !reviewApplies(e.activated_at, input.year))
      throw new AppError(
        'EXPERT_REVIEW_YEAR',
        400,
        `${input.year} 年不在该专家可考核的年度内（入库当年至今年）`,
        `${input.year} is not a year this expert can be reviewed for (from the year of admission to this year)`,
        'year',
      );
    const dup = await trx.selectFrom('expert_annual_reviews').select('year').where('expert_id', '=', id).where('year', '=', input.year).executeTakeFirst();
    if (dup) throw Errors.conflict('EXPERT_ANNUAL_REVIEW_EXISTS', `${input.year} 年度考核结果已登记`, `The ${input.year} review is already recorded`, 'year');
    await trx
      .insertInto('expert_annual_reviews')
      .values({ expert_id: id, year: input.year, result: input.result, comment: input.comment ?? null, reviewer_id: actor.accountId, decided_at: now })
      .execute();
    let statusChange: string | null = null;
    if (input.result === 'fail' && e.status === 'active') {
      const to = assertTransition(e.status, 'suspend');
      await trx.updateTable('experts').set({ status: to, suspended_reason: 'annual_review_failed', updated_at: now }).where('id', '=', id).execute();
      statusChange = to;
    } else if (input.result === 'pass' && e.status === 'suspended' && e.suspended_reason?.startsWith('annual_review')) {
      const to = assertTransition(e.status, 'reinstate');
      await trx.updateTable('experts').set({ status: to, suspended_reason: null, updated_at: now }).where('id', '=', id).execute();
      statusChange = to;
    }
    await record(trx, actor.accountId, id, 'expert.annual_review', { year: input.year, result: input.result, comment: input.comment ?? null, statusChange }, now);
    if (statusChange)
      await tellExpert(
        trx,
        e,
        `expert.${statusChange === 'suspended' ? 'suspended' : 'reinstated'}`,
        statusChange === 'suspended'
          ? { zh: `${input.year} 年度考核不合格，暂停抽取`, en: `Failed the ${input.year} annual review: suspended from draws` }
          : { zh: `${input.year} 年度考核合格，恢复抽取`, en: `Passed the ${input.year} annual review: back in the draws` },
        { zh: input.comment ?? '', en: input.comment ?? '' },
        now,
      );
  });
}

/**
 * The deadline of year Y's review passed: suspend every active expert admitted before Y ended who has no result for
 * Y. One transaction, one ledger entry listing the records (an aggregate change), one notice each; then schedule
 * the next year's sweep. Idempotent: a second run finds nobody left to suspend.
 */
export async function sweepOverdueReviews(trx: DbOrTx, year: number, now: Date): Promise<string[]> {
  const rows = await trx
    .updateTable('experts')
    .set({ status: 'suspended', suspended_reason: 'annual_review_overdue', updated_at: now })
    .where('status', '=', 'active')
    .where('activated_at', '<', startOfShanghaiYear(year + 1))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('expert_annual_reviews').select('year').whereRef('expert_annual_reviews.expert_id', '=', 'experts.id').where('year', '=', year))),
    )
    .returning(['id', 'account_id'])
    .execute();
  if (rows.length) {
    const ids = rows.map((r) => r.id).sort();
    const payload = { year, suspended: ids, reason: 'annual_review_overdue' };
    await recordLedger(trx, { type: 'expert.annual_review_overdue', subjectType: 'expert_annual_review', subjectId: String(year), actorId: null, payload }, now);
    await emitEvent(trx, { type: 'expert.annual_review_overdue', payload }, now);
    await notify(
      trx,
      {
        accountIds: rows.map((r) => r.account_id),
        kind: 'expert.suspended',
        title: { zh: `未按期完成 ${year} 年度考核，暂停抽取`, en: `No ${year} annual review by the deadline: suspended from draws` },
        body: { zh: '年度考核合格后恢复。', en: 'You return to the draws once the review is passed.' },
        link: '/workbench/expert',
        channels: ['mail', 'sms'],
      },
      now,
    );
  }
  await ensureAnnualSweepScheduled(trx, now);
  return rows.map((r) => r.id);
}
