import type { Actor } from '../../../platform/auth/actor';
import { cancelJob, registerJobHandler, scheduleJob } from '../../../platform/chronograph/jobs';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { getObjection } from '../award.repo';
import { answerDue, objectionWindow } from '../award.rules';
import { assertBidderOf, assertOperates, lotNotFound } from '../award.policy';
import { validBidsOf } from '../award.seams';
import { beijing, loadLot, record } from './shared';

export const OBJECTION_OVERDUE_JOB = 'award.objection_overdue';

const KIND_ZH = { objection: '异议', challenge: '质疑' } as const;

/**
 * A bidder objects to the results: works 异议 only during the candidate publicity (条例 54), answered within 3 日,
 * the award paused until then; government procurement 质疑 within 7 工作日 of the end of the result announcement
 * period (采购法 52; 采购条例 53（三）), answered within 7 工作日 (采购法 53), contract signing paused meanwhile
 * (采购条例 54). Outside the window: 409 AWARD_OBJECTION_CLOSED and nothing changes.
 */
export async function raiseResultObjection(ctx: AppContext, actor: Actor, lotId: string, body: { text: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { tender, lot, policy, cal, award } = await loadLot(trx, lotId);
    const { bids } = await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no });
    assertBidderOf(
      actor,
      tender,
      bids.map((b) => b.bidderOrgId),
    );
    const w = award && objectionWindow(cal, policy, award);
    if (!w || !['publicity', 'awarded', 'contracted'].includes(lot.status)) {
      throw Errors.conflict(
        'AWARD_OBJECTION_NOT_OPEN',
        '评标结果尚未公示或公告，暂不能对结果提出异议/质疑',
        'The result has not been published yet: no objection to it is possible now',
        'lotId',
      );
    }
    if (now < w.opensAt || now >= w.closesAt) {
      throw new AppError(
        'AWARD_OBJECTION_CLOSED',
        409,
        `${KIND_ZH[w.kind]}期限已于 ${beijing(w.closesAt)}（北京时间）届满（${w.basis}）`,
        `The period for this ${w.kind} ended at ${w.closesAt.toISOString()} (${w.basis})`,
        'lotId',
        { closesAt: w.closesAt.toISOString(), basis: w.basis },
      );
    }
    const due = answerDue(cal, w, now);
    const o = await trx
      .insertInto('award_objections')
      .values({
        lot_id: lot.id,
        tender_id: tender.id,
        kind: w.kind,
        objector_org_id: actor.orgId!,
        objector_account_id: actor.accountId,
        body_text: body.text,
        raised_at: now,
        answer_due_at: due,
        status: 'open',
        answer_text: null,
        answered_at: null,
        answered_by: null,
        overdue_flagged_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await scheduleJob(trx, { kind: OBJECTION_OVERDUE_JOB, subjectId: o.id, dueAt: due }, now);
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [tender.owner_org_id, tender.agency_org_id]),
        kind: 'award.objection_raised',
        title: {
          zh: `收到对评标结果的${KIND_ZH[w.kind]}：${tender.title} 标段${lot.lot_no}`,
          en: `A ${w.kind} against the result: ${tender.title} lot ${lot.lot_no}`,
        },
        body: {
          zh: `请于 ${beijing(due)} 前答复（${w.answerWithin.basis}）；答复前暂停${w.kind === 'objection' ? '定标' : '签订合同'}。`,
          en: `Answer by ${due.toISOString()}; the ${w.kind === 'objection' ? 'award' : 'contract'} is paused until then.`,
        },
        link: `/workbench/tenders/${tender.id}`,
      },
      now,
    );
    await record(
      trx,
      actor.accountId,
      tender,
      lot,
      'award.objection_raised',
      { objectionId: o.id, kind: w.kind, objectorOrgId: o.objector_org_id, answerDueAt: due.toISOString() },
      now,
    );
    return o;
  });
}

/** The tenderer/agency answers; the objector is told (质疑: and the lot's other bidders, 采购法 53). */
export async function answerResultObjection(ctx: AppContext, actor: Actor, objectionId: string, body: { text: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const peek = await getObjection(trx, objectionId);
    if (!peek) throw Errors.notFound('Objection', '异议');
    const { tender, lot } = await loadLot(trx, peek.lot_id);
    const { bids } = await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no });
    try {
      assertOperates(
        actor,
        tender,
        bids.map((b) => b.bidderOrgId),
      );
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') throw lotNotFound();
      throw e;
    }
    const o = (await getObjection(trx, objectionId, true))!;
    if (o.status !== 'open') throw Errors.conflict('AWARD_OBJECTION_ANSWERED', '该异议已答复', 'This objection has already been answered');
    const answered = await trx
      .updateTable('award_objections')
      .set({ status: 'answered', answer_text: body.text, answered_at: now, answered_by: actor.accountId })
      .where('id', '=', o.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await cancelJob(trx, OBJECTION_OVERDUE_JOB, o.id, now);
    const late = now > o.answer_due_at;
    const told = o.kind === 'challenge' ? bids.map((b) => b.bidderOrgId) : [o.objector_org_id];
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, told),
        kind: 'award.objection_answered',
        title: {
          zh: `${KIND_ZH[o.kind]}已答复：${tender.title} 标段${lot.lot_no}`,
          en: `${o.kind} answered: ${tender.title} lot ${lot.lot_no}`,
        },
        body: { zh: body.text.slice(0, 500), en: body.text.slice(0, 500) },
        link: `/workbench/tenders/${tender.id}`,
      },
      now,
    );
    await record(trx, actor.accountId, tender, lot, 'award.objection_answered', { objectionId: o.id, kind: o.kind, late }, now);
    return { ...answered, late };
  });
}

// Overdue: an objection still open at its answer deadline is flagged (ledger, event, the parties are reminded).
registerJobHandler(OBJECTION_OVERDUE_JOB, async (job, trx, ctx) => {
  const peek = await getObjection(trx, job.subjectId);
  if (!peek) return;
  const { tender, lot } = await loadLot(trx, peek.lot_id);
  const o = (await getObjection(trx, job.subjectId, true))!;
  if (o.status !== 'open' || o.overdue_flagged_at || ctx.now < o.answer_due_at) return;
  await trx.updateTable('award_objections').set({ overdue_flagged_at: ctx.now }).where('id', '=', o.id).execute();
  await notify(
    trx,
    {
      accountIds: await activeAccountsOfOrgs(trx, [tender.owner_org_id, tender.agency_org_id]),
      kind: 'award.objection_overdue',
      title: {
        zh: `${KIND_ZH[o.kind]}答复已逾期：${tender.title} 标段${lot.lot_no}`,
        en: `Overdue ${o.kind} answer: ${tender.title} lot ${lot.lot_no}`,
      },
      body: { zh: `答复期限 ${beijing(o.answer_due_at)} 已过。`, en: `The answer was due ${o.answer_due_at.toISOString()}.` },
      link: `/workbench/tenders/${tender.id}`,
    },
    ctx.now,
  );
  await record(
    trx,
    null,
    tender,
    lot,
    'award.objection_overdue',
    { objectionId: o.id, kind: o.kind, answerDueAt: o.answer_due_at.toISOString() },
    ctx.now,
  );
});
