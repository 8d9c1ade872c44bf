import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { Errors } from '../../../platform/http/errors';
import { evalErrors, lotBids } from '../evaluation.repo';
import { assertStage, record, workspace } from './shared';

/**
 * The chair asks a bidder to clarify (条例 第五十二条; 87号令 第五十一条: in writing, not changing the substance of the
 * bid). The bidder sees the question and the lot — never who on the committee asked.
 */
export async function askClarification(ctx: AppContext, actor: Actor, lotId: string, b: { bidderOrgId: string; question: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    if (!w.me.chair) throw evalErrors.notChair();
    assertStage(w, ['review', 'scoring', 'flags'], { zh: '发出澄清', en: 'ask for a clarification' });
    if (!(await lotBids(trx, w)).some((x) => x.bidderOrgId === b.bidderOrgId))
      throw Errors.validation('bidderOrgId', '该单位不是本标段的有效投标人', 'Not a bidder with a valid bid on this lot', 'EVAL_BID_UNKNOWN');
    const row = await trx
      .insertInto('eval_clarifications')
      .values({ committee_id: w.committee.id, bidder_org_id: b.bidderOrgId, question: b.question.trim(), asked_by: actor.accountId, asked_at: now, answer: null, answered_by: null, answered_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(trx, actor.accountId, w.committee, 'evaluation.clarification_asked', { clarificationId: row.id, bidderOrgId: b.bidderOrgId }, now);
    return row.id;
  });
}

/** The bidder's own view: questions to its organisation, with the tender and lot, no committee names. */
export async function clarificationsForBidder(db: DbOrTx, actor: Actor) {
  if (!actor.orgId || !actor.roles.some((g) => g.role === 'bidder')) return [];
  return db
    .selectFrom('eval_clarifications as q')
    .innerJoin('eval_committees as c', 'c.id', 'q.committee_id')
    .select(['q.id', 'c.tender_id', 'c.lot_id', 'q.question', 'q.asked_at', 'q.answer', 'q.answered_at'])
    .where('q.bidder_org_id', '=', actor.orgId)
    .orderBy('q.asked_at')
    .execute();
}

export async function answerClarification(ctx: AppContext, actor: Actor, id: string, answer: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const q = await trx.selectFrom('eval_clarifications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!q || q.bidder_org_id !== actor.orgId || !actor.roles.some((g) => g.role === 'bidder')) throw Errors.notFound('Clarification', '澄清要求');
    if (q.answered_at) throw Errors.conflict('EVAL_ALREADY_ANSWERED', '该澄清已答复', 'Already answered');
    const c = await trx.selectFrom('eval_committees').selectAll().where('id', '=', q.committee_id).executeTakeFirstOrThrow();
    if (!['review', 'scoring', 'flags'].includes(c.stage)) throw evalErrors.stage(c.stage, '答复澄清', 'answer');
    await trx.updateTable('eval_clarifications').set({ answer: answer.trim(), answered_by: actor.accountId, answered_at: now }).where('id', '=', id).execute();
    await record(trx, actor.accountId, c, 'evaluation.clarification_answered', { clarificationId: id, bidderOrgId: q.bidder_org_id }, now);
  });
}
