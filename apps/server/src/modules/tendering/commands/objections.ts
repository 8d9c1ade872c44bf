import type { Actor } from '../../../platform/auth/actor';
import { cancelJob, scheduleJob } from '../../../platform/chronograph/jobs';
import type { Db } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { appendLedger } from '../../../platform/ledger/append';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { deadlineAfterPause, objectionAnswerDue, objectionClosesAt } from '../policies/engine';
import { getObjection, getObjections, getObtain, openObjectionCount } from '../tendering.repo';
import { assertParty } from '../tendering.policy';
import { assertBidderMayTakePart } from './obtain';
import { access, assertBiddingLive, beijing, loadTender, moveDeadlines, OBJECTION_OVERDUE_JOB, record } from './shared';

/**
 * An objection to the documents (异议 条例 22; 质疑 采购法 52) by a bidder that obtained them, within the policy's
 * window; later → TENDER_OBJECTION_TOO_LATE and nothing changes. The tenderer must answer within the policy's days
 * (a chronograph job flags it overdue); while any objection is open the procedure is paused: no lot passes its
 * deadline into the opening (jobs.ts). The objector's identity is a §7 secret until the deadline (it would tell the
 * tenderer who obtained the documents); the ledger subject is the objection, not the tender.
 */
export async function raiseObjection(
  db: Db,
  actor: Actor,
  id: string,
  input: { text: string; lotNo?: number },
  now: Date,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { tender, lots, policy, cal } = await loadTender(trx, id);
    await assertBidderMayTakePart(trx, actor, tender, policy);
    const obtained = await getObtain(trx, id, actor.orgId!);
    if (!obtained)
      throw new AppError(
        'TENDER_NOT_OBTAINED',
        403,
        '只有获取招标文件的投标人可以对招标文件提出异议',
        'Only bidders who obtained the documents may object to them',
      );
    const live = assertBiddingLive(lots, now, { zh: '提出异议', en: 'object' });
    const concerned = input.lotNo === undefined ? live : live.filter((l) => l.lot_no === input.lotNo);
    if (!concerned.length)
      throw Errors.validation(
        'lotNo',
        `标段 ${input.lotNo} 不在投标阶段`,
        `Lot ${input.lotNo} is not open for bidding`,
        'TENDER_LOT_UNKNOWN',
      );
    // The earliest deadline concerned decides: the documents are common to the lots.
    const deadline = concerned.reduce((m, l) => (l.bid_deadline < m ? l.bid_deadline : m), concerned[0]!.bid_deadline);
    const closes = objectionClosesAt(cal, policy, deadline, obtained.obtained_at);
    if (now.getTime() > closes.getTime()) {
      const rule = policy.objections.leadBeforeDeadline ?? policy.objections.windowFromObtaining!;
      throw new AppError(
        'TENDER_OBJECTION_TOO_LATE',
        409,
        `对招标文件的异议须在 ${beijing(closes)}（北京时间）前提出（${rule.basis}）`,
        `Objections to the documents had to be raised by ${closes.toISOString()} (${rule.basis})`,
        'text',
        { closedAt: closes.toISOString(), basis: rule.basis },
      );
    }
    const due = objectionAnswerDue(cal, policy, now);
    const o = await trx
      .insertInto('tender_objections')
      .values({
        tender_id: id,
        lot_no: input.lotNo ?? null,
        objector_org_id: actor.orgId!,
        objector_account_id: actor.accountId,
        body_text: input.text.trim(),
        raised_at: now,
        answer_due_at: due,
        status: 'open',
        answer_text: null,
        answered_at: null,
        answered_by: null,
        overdue_flagged_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await scheduleJob(trx, { kind: OBJECTION_OVERDUE_JOB, subjectId: o.id, dueAt: due, payload: { tenderId: id } }, now);
    const entry = await appendLedger(
      trx,
      {
        type: 'tender.objection_raised',
        subjectType: 'tender_objection',
        subjectId: o.id,
        actorId: actor.accountId,
        payload: { tenderId: id, lotNo: input.lotNo ?? null, text: input.text.trim(), answerDueAt: due.toISOString() },
      },
      now,
    );
    await record(
      trx,
      null,
      tender,
      'tender.paused',
      { objectionId: o.id, answerDueAt: due.toISOString(), objectionLedgerSeq: entry.seq, basis: policy.objections.pausesProcess.basis },
      now,
    );
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [tender.owner_org_id, tender.agency_org_id]),
        kind: 'tender.objection',
        title: { zh: `对招标文件的异议：${tender.title}`, en: `Objection to the documents: ${tender.title}` },
        body: {
          zh: `请于 ${beijing(due)} 前答复；答复前暂停招标投标活动（${policy.objections.pausesProcess.basis}）。`,
          en: `Answer by ${due.toISOString()}; the procedure is paused until then.`,
        },
        link: `/workbench/tenders/${id}`,
      },
      now,
    );
    return o.id;
  });
}

/**
 * The tenderer (or agency) answers. The answer goes to the objector. When the last open objection is answered the
 * pause ends; a lot whose deadline passed during the pause gets back the calendar days that remained when the pause
 * began (engine deadlineAfterPause), with a 变更公告. A change of the documents is a clarification (条例 21), published
 * separately.
 */
export async function answerObjection(db: Db, actor: Actor, objectionId: string, text: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const pre = await getObjection(trx, objectionId);
    if (!pre) throw Errors.notFound('Objection', '异议');
    const { tender, lots, policy, cal } = await loadTender(trx, pre.tender_id);
    assertParty(actor, access(tender));
    const o = (await getObjection(trx, objectionId, true))!;
    if (o.status !== 'open')
      throw Errors.conflict('TENDER_OBJECTION_ANSWERED', '该异议已答复', 'The objection has already been answered', 'status');
    await trx
      .updateTable('tender_objections')
      .set({ status: 'answered', answer_text: text.trim(), answered_at: now, answered_by: actor.accountId })
      .where('id', '=', o.id)
      .execute();
    await cancelJob(trx, OBJECTION_OVERDUE_JOB, o.id, now);
    const late = now.getTime() > o.answer_due_at.getTime();
    await appendLedger(
      trx,
      {
        type: 'tender.objection_answered',
        subjectType: 'tender_objection',
        subjectId: o.id,
        actorId: actor.accountId,
        payload: { tenderId: tender.id, text: text.trim(), late },
      },
      now,
    );
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [o.objector_org_id]),
        kind: 'tender.objection_answered',
        title: { zh: `异议答复：${tender.title}`, en: `Objection answered: ${tender.title}` },
        body: { zh: text.trim().slice(0, 500), en: text.trim().slice(0, 500) },
        link: `/workbench/tenders/${tender.id}`,
      },
      now,
    );
    let changes: { lotId: string; lotNo: number; from: string; to: string }[] = [];
    if ((await openObjectionCount(trx, tender.id)) === 0) {
      const all = await getObjections(trx, tender.id);
      changes = lots.flatMap((l) => {
        if (l.status !== 'bidding' || l.bid_deadline.getTime() > now.getTime()) return [];
        // The pause that held this deadline began when the first objection still open at the deadline was raised.
        const holding = all.filter((x) => x.raised_at <= l.bid_deadline && (!x.answered_at || x.answered_at >= l.bid_deadline));
        const pausedAt = holding.reduce((m, x) => (x.raised_at < m ? x.raised_at : m), o.raised_at);
        const to = deadlineAfterPause(cal, pausedAt, now, l.bid_deadline);
        return to ? [{ lotId: l.id, lotNo: l.lot_no, from: l.bid_deadline.toISOString(), to: to.toISOString() }] : [];
      });
      await moveDeadlines(
        trx,
        tender,
        policy,
        changes,
        { zh: `异议答复前暂停招标投标活动（${policy.objections.pausesProcess.basis}），暂停跨过投标截止时间，截止时间相应顺延。` },
        actor.accountId,
        now,
      );
      if (changes.length)
        await trx
          .updateTable('tender_objections')
          .set({ deadline_changes: JSON.stringify(changes.map(({ lotNo, from, to }) => ({ lotNo, from, to }))) })
          .where('id', '=', o.id)
          .execute();
    }
    const stillOpen = await openObjectionCount(trx, tender.id);
    await record(
      trx,
      null,
      tender,
      stillOpen ? 'tender.objection_closed' : 'tender.resumed',
      { objectionId: o.id, late, stillOpen, deadlineChanges: changes.map(({ lotNo, from, to }) => ({ lotNo, from, to })) },
      now,
    );
  });
}
