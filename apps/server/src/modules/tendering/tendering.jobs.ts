import { registerJobHandler, scheduleJob } from '../../platform/chronograph/jobs';
import { recordLedger } from '../../platform/ledger/append';
import { emitEvent } from '../../platform/outbox/emit';
import { notify } from '../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../platform/notify/recipients';
import { BID_DEADLINE_JOB, OBJECTION_OVERDUE_JOB, record } from './commands/shared';
import { effectivePolicy, getLotById, getObjection, getTender, openObjectionCount } from './tendering.repo';
import { assertLotTransition } from './tendering.machine';
import { isTenderingProcedure } from './policies/engine';

/**
 * Timed transitions (platform/chronograph). Handlers decide from the current rows (a job may run late or twice):
 * - bid deadline → the lot goes to `opening` and `tender.lot_opening` is emitted for the opening room — unless an
 *   objection is open (条例 22 pause): then the lot stays in bidding with `deadline_held_at` set, and answering the
 *   last objection reschedules it (commands/objections.ts);
 * - an objection's answer period ends unanswered → flagged overdue (ledger, event for supervision, the parties told).
 */
registerJobHandler(BID_DEADLINE_JOB, async (job, trx, { now }) => {
  // Lock order as in the commands (tender, then its lots), so a clarification or an answer racing this job cannot
  // deadlock with it.
  const peek = await getLotById(trx, job.subjectId);
  if (!peek) return;
  const tender = (await getTender(trx, peek.tender_id, true))!;
  const lot = (await getLotById(trx, job.subjectId, true))!;
  if (lot.status !== 'bidding') return;
  if (now.getTime() < lot.bid_deadline.getTime()) {
    // The deadline moved after this run was claimed: keep the job at the new time.
    await scheduleJob(trx, { kind: BID_DEADLINE_JOB, subjectId: lot.id, dueAt: lot.bid_deadline, payload: job.payload }, now);
    return;
  }
  if ((await openObjectionCount(trx, lot.tender_id)) > 0) {
    if (lot.deadline_held_at) return;
    await trx.updateTable('tender_lots').set({ deadline_held_at: now }).where('id', '=', lot.id).execute();
    await record(
      trx,
      null,
      tender,
      'tender.lot_deadline_held',
      { lotId: lot.id, lotNo: lot.lot_no, bidDeadline: lot.bid_deadline.toISOString() },
      now,
    );
    return;
  }
  const to = assertLotTransition(lot.status, 'deadline', lot.lot_no);
  await trx
    .updateTable('tender_lots')
    .set({ status: to, status_changed_at: now, deadline_held_at: null })
    .where('id', '=', lot.id)
    .execute();
  const policy = isTenderingProcedure(tender.procedure_type) ? await effectivePolicy(trx, tender.procedure_type) : null;
  await record(
    trx,
    null,
    tender,
    'tender.lot_opening',
    {
      lotId: lot.id,
      lotNo: lot.lot_no,
      bidDeadline: lot.bid_deadline.toISOString(),
      openingAt: lot.opening_at.toISOString(),
      decryptionWindowMinutes: policy?.periods.decryptionWindowMinutes.value ?? 30,
    },
    now,
  );
});

registerJobHandler(OBJECTION_OVERDUE_JOB, async (job, trx, { now }) => {
  const o = await getObjection(trx, job.subjectId, true);
  if (!o || o.status !== 'open' || o.overdue_flagged_at || now.getTime() < o.answer_due_at.getTime()) return;
  await trx.updateTable('tender_objections').set({ overdue_flagged_at: now }).where('id', '=', o.id).execute();
  const tender = (await getTender(trx, o.tender_id))!;
  const payload = {
    tenderId: o.tender_id,
    projectId: tender.project_id,
    objectionId: o.id,
    answerDueAt: o.answer_due_at.toISOString(),
    industry: tender.industry,
    regionCode: tender.region_code,
  };
  await recordLedger(
    trx,
    { type: 'tender.objection_overdue', subjectType: 'tender_objection', subjectId: o.id, actorId: null, payload },
    now,
  );
  await emitEvent(trx, { type: 'tender.objection_overdue', payload }, now);
  await notify(
    trx,
    {
      accountIds: await activeAccountsOfOrgs(trx, [tender.owner_org_id, tender.agency_org_id]),
      kind: 'tender.objection_overdue',
      title: { zh: `异议答复已逾期：${tender.title}`, en: `Objection answer overdue: ${tender.title}` },
      body: { zh: '答复期限已过，招标投标活动仍处于暂停状态。', en: 'The answer period has passed; the procedure remains paused.' },
      link: `/workbench/tenders/${tender.id}`,
    },
    now,
  );
});
