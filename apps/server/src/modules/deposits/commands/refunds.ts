import type { Actor } from '../../../platform/auth/actor';
import { calendarDayDeadline, workingDayDeadline } from '../../../platform/calendar/index';
import { registerJobHandler, scheduleJob, cancelJob } from '../../../platform/chronograph/jobs';
import type { Db, DbOrTx, Tx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import type { RefundNotification } from '../adapters/bank';
import { creditsOf, getRefund, guaranteesOf, type CreditRow, type LotKey, type RefundRow } from '../deposits.repo';
import { assertFinance } from '../deposits.policy';
import { takenCredits } from './apply';
import type { RefundUnit } from '../deposits.tables';

export const OVERDUE_JOB = 'deposits.refund_overdue';

export interface RefundPeriod {
  n: number;
  unit: RefundUnit;
}

/**
 * When a refund is due: `n` calendar or working days after `basisAt` (the award or the contract), the start day not
 * counted, ending 24:00 Asia/Shanghai; a calendar-day period ending on a rest day moves to the next working day
 * (民法典 201–203). The statutes: 工程 within 5 days of the contract (条例 57); 政府采购 within 5 working days of the
 * award for the others and of the contract for the winner (采购条例 33); a stricter local promise (e.g. 3 working
 * days) is just another period. Refuses (CALENDAR_YEAR_UNKNOWN) when the calendar has no data for the year.
 */
export async function refundDueAt(db: DbOrTx, basisAt: Date, p: RefundPeriod): Promise<Date> {
  if (!Number.isInteger(p.n) || p.n < 0 || p.n > 366)
    throw Errors.validation(
      'period.n',
      '退还期限须为 0–366 的整数',
      'The refund period must be an integer from 0 to 366',
      'DEPOSIT_PERIOD_INVALID',
    );
  return p.unit === 'working_day' ? workingDayDeadline(db, basisAt, p.n) : calendarDayDeadline(db, basisAt, p.n);
}

export interface StartRefundsInput extends LotKey {
  /** Which bidders to refund: the losers after award, the winner after the contract, or everyone when a lot fails. */
  bidders: { only?: string[]; except?: string[] };
  /** Why, for the record: 'award_losers', 'contract_winner', 'lot_failed', 'withdrawn', … */
  reason: string;
  /** The instant the period starts from (award notice, contract signature, …). */
  basisAt: Date;
  period: RefundPeriod;
  actorId?: string | null;
}

export interface StartRefundsResult {
  refunds: { id: string; bidderOrgId: string; amountFen: number; dueAt: Date }[];
  releasedGuarantees: { id: string; bidderOrgId: string }[];
}

/**
 * Start the refunds of a lot, inside the caller's transaction (the tendering module's award or contract command):
 * one refund task per cash credit of each chosen bidder (money goes back the way it came: to the paying account,
 * 原路退回), due per `refundDueAt`, with a chronograph job that flags it overdue; verified guarantees are released
 * (a guarantee is not money held: releasing it ends the issuer's liability). Idempotent: a credit that already has a
 * task, or a guarantee already released, is skipped.
 */
export async function startRefunds(trx: Tx, input: StartRefundsInput, now: Date): Promise<StartRefundsResult> {
  const dueAt = await refundDueAt(trx, input.basisAt, input.period);
  const chosen = (org: string) => (!input.bidders.only || input.bidders.only.includes(org)) && !(input.bidders.except ?? []).includes(org);
  const credits = (await creditsOf(trx, input)).filter((c) => chosen(c.bidder_org_id));
  // A credit with a refund task already, or applied to the price (转为价款), is not refunded again.
  const tasked = await takenCredits(trx, credits.map((c) => c.id));
  const result: StartRefundsResult = { refunds: [], releasedGuarantees: [] };
  for (const c of credits) {
    if (tasked.has(c.id)) continue;
    const id = await createTask(
      trx,
      c,
      { reason: input.reason, basisAt: input.basisAt, period: input.period, dueAt, actorId: input.actorId ?? null },
      now,
    );
    result.refunds.push({ id, bidderOrgId: c.bidder_org_id, amountFen: c.amount_fen, dueAt });
  }
  for (const g of (await guaranteesOf(trx, input)).filter((x) => x.status === 'verified' && chosen(x.bidder_org_id))) {
    await trx.updateTable('deposit_guarantees').set({ status: 'released', released_at: now }).where('id', '=', g.id).execute();
    const payload = {
      ...lotOf(input),
      bidderOrgId: g.bidder_org_id,
      issuerCode: g.issuer_code,
      guaranteeNo: g.guarantee_no,
      reason: input.reason,
    };
    await recordLedger(
      trx,
      { type: 'deposit.guarantee_released', subjectType: 'deposit_guarantee', subjectId: g.id, actorId: input.actorId ?? null, payload },
      now,
    );
    await emitEvent(trx, { type: 'deposit.guarantee_released', payload: { guaranteeId: g.id, ...payload } }, now);
    result.releasedGuarantees.push({ id: g.id, bidderOrgId: g.bidder_org_id });
  }
  return result;
}

const lotOf = (k: LotKey) => ({ tenderId: k.tenderId, lotId: k.lotId });

type TaskBasis = { reason: string; basisAt: Date; period: RefundPeriod; dueAt: Date; actorId: string | null };

/** One refund task for one credit, its overdue job, ledger entry and event. */
async function createTask(trx: Tx, c: CreditRow, b: TaskBasis, now: Date): Promise<string> {
  const r = await trx
    .insertInto('deposit_refunds')
    .values({
      tender_id: c.tender_id,
      lot_id: c.lot_id,
      bidder_org_id: c.bidder_org_id,
      credit_id: c.id,
      amount_fen: c.amount_fen,
      reason: b.reason,
      basis_at: b.basisAt,
      period_n: b.period.n,
      period_unit: b.period.unit,
      due_at: b.dueAt,
      status: 'open',
      overdue_at: null,
      done_at: null,
      done_by: null,
      confirmed_via: null,
      bank_ref: null,
      interest_fen: null,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await scheduleJob(trx, { kind: OVERDUE_JOB, subjectId: r.id, dueAt: b.dueAt }, now);
  const payload = {
    tenderId: c.tender_id,
    lotId: c.lot_id,
    bidderOrgId: c.bidder_org_id,
    creditId: c.id,
    amountFen: c.amount_fen,
    payerAccountNo: c.payer_account_no,
    reason: b.reason,
    basisAt: b.basisAt.toISOString(),
    period: b.period,
    dueAt: b.dueAt.toISOString(),
  };
  await recordLedger(
    trx,
    { type: 'deposit.refund_due', subjectType: 'deposit_refund', subjectId: r.id, actorId: b.actorId, payload },
    now,
  );
  await emitEvent(trx, { type: 'deposit.refund_due', payload: { refundId: r.id, ...payload } }, now);
  return r.id;
}

/**
 * Money that arrives for a bidder whose refunds have already started (a late or repeated transfer) goes back too:
 * a task with the same reason and period as the bidder's latest one, the period counted from the arrival (the
 * platform could not refund money it did not yet hold). Called by the credit command in its transaction.
 */
export async function refundLateCredit(trx: Tx, c: CreditRow, now: Date): Promise<string | null> {
  const prior = await trx
    .selectFrom('deposit_refunds')
    .select(['reason', 'period_n', 'period_unit'])
    .where('tender_id', '=', c.tender_id)
    .where('lot_id', '=', c.lot_id)
    .where('bidder_org_id', '=', c.bidder_org_id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!prior) return null;
  const period = { n: prior.period_n, unit: prior.period_unit };
  const dueAt = await refundDueAt(trx, now, period);
  return createTask(trx, c, { reason: `${prior.reason}+late_credit`, basisAt: now, period, dueAt, actorId: null }, now);
}

async function markDone(
  trx: Tx,
  r: RefundRow,
  d: { via: 'staff' | 'bank'; bankRef: string; interestFen: number | null; doneAt: Date; actorId: string | null },
  now: Date,
): Promise<void> {
  await trx
    .updateTable('deposit_refunds')
    .set({ status: 'done', done_at: d.doneAt, done_by: d.actorId, confirmed_via: d.via, bank_ref: d.bankRef, interest_fen: d.interestFen })
    .where('id', '=', r.id)
    .execute();
  await cancelJob(trx, OVERDUE_JOB, r.id, now);
  const late = d.doneAt.getTime() > r.due_at.getTime();
  const payload = {
    ...lotOf({ tenderId: r.tender_id, lotId: r.lot_id }),
    bidderOrgId: r.bidder_org_id,
    amountFen: r.amount_fen,
    interestFen: d.interestFen,
    bankRef: d.bankRef,
    via: d.via,
    doneAt: d.doneAt.toISOString(),
    dueAt: r.due_at.toISOString(),
    late,
  };
  await recordLedger(
    trx,
    { type: 'deposit.refund_done', subjectType: 'deposit_refund', subjectId: r.id, actorId: d.actorId, payload },
    now,
  );
  await emitEvent(trx, { type: 'deposit.refund_done', payload: { refundId: r.id, ...payload } }, now);
}

const refundNotFound = () => Errors.notFound('Refund', '退还任务');

/** Center finance marks a refund paid, with the bank's reference (and interest in 分 if the bank paid any). */
export async function completeRefund(
  db: Db,
  actor: Actor,
  id: string,
  input: { bankRef: string; interestFen?: number },
  now: Date,
): Promise<void> {
  assertFinance(actor);
  await db.transaction().execute(async (trx) => {
    const r = await getRefund(trx, id, { forUpdate: true });
    if (!r) throw refundNotFound();
    if (r.status === 'done') throw Errors.conflict('DEPOSIT_REFUND_DONE', '该笔保证金已退还', 'This refund is already done');
    await markDone(
      trx,
      r,
      { via: 'staff', bankRef: input.bankRef, interestFen: input.interestFen ?? null, doneAt: now, actorId: actor.accountId },
      now,
    );
  });
}

/** The bank confirms a refund it executed (inside the notification's transaction; see commands/cash.ts). */
export async function confirmRefundByBank(
  trx: Tx,
  bankCode: string,
  n: RefundNotification,
  now: Date,
): Promise<{ result: 'recorded' | 'duplicate'; id: string }> {
  const r = await getRefund(trx, n.refundId, { forUpdate: true });
  const credit = r?.credit_id
    ? await trx.selectFrom('deposit_credits').select('bank_code').where('id', '=', r.credit_id).executeTakeFirst()
    : undefined;
  if (!r || credit?.bank_code !== bankCode)
    throw new AppError('DEPOSIT_REFUND_UNKNOWN', 404, '退还任务不存在', 'No such refund', 'refundId');
  if (r.status === 'done') {
    if (r.bank_ref === n.bankRef) return { result: 'duplicate', id: r.id };
    throw new AppError(
      'BANK_REF_CONFLICT',
      409,
      '该笔保证金已按另一银行流水号退还',
      'This refund was already confirmed with another bank reference',
      'bankRef',
    );
  }
  if (n.amountFen !== r.amount_fen) {
    throw new AppError(
      'DEPOSIT_REFUND_AMOUNT',
      422,
      `退还金额 ${n.amountFen} 分与应退 ${r.amount_fen} 分不符`,
      `Refunded ${n.amountFen} fen, but ${r.amount_fen} fen are due`,
      'amountFen',
    );
  }
  const doneAt = new Date(n.completedAt);
  await markDone(
    trx,
    r,
    {
      via: 'bank',
      bankRef: n.bankRef,
      interestFen: n.interestFen ?? null,
      doneAt: doneAt.getTime() > now.getTime() ? now : doneAt,
      actorId: null,
    },
    now,
  );
  return { result: 'recorded', id: r.id };
}

// Overdue flag: at the due instant, a refund still open is flagged (ledgered, event for notifications/supervision).
registerJobHandler(OVERDUE_JOB, async (job, trx, ctx) => {
  const r = await getRefund(trx, job.subjectId, { forUpdate: true });
  if (!r || r.status !== 'open' || r.overdue_at || ctx.now.getTime() < r.due_at.getTime()) return;
  await trx.updateTable('deposit_refunds').set({ overdue_at: ctx.now }).where('id', '=', r.id).execute();
  const payload = {
    tenderId: r.tender_id,
    lotId: r.lot_id,
    bidderOrgId: r.bidder_org_id,
    amountFen: r.amount_fen,
    dueAt: r.due_at.toISOString(),
  };
  await recordLedger(
    trx,
    { type: 'deposit.refund_overdue', subjectType: 'deposit_refund', subjectId: r.id, actorId: null, payload },
    ctx.now,
  );
  await emitEvent(trx, { type: 'deposit.refund_overdue', payload: { refundId: r.id, ...payload } }, ctx.now);
});
