import {
  addDays,
  endOfShanghaiDay,
  shanghaiDate,
  SHANGHAI_OFFSET_MS,
  type CalendarDate,
  type WorkingCalendar,
} from '../../../platform/calendar/index';
import { POLICIES } from './catalog';
import { TENDERING_PROCEDURES, type Period, type PeriodUnit, type ProcedurePolicy, type TenderingProcedure } from './types';

/**
 * The one engine every tendering procedure runs on: deadline arithmetic over the working-day calendar and the
 * local-override check. Pure: the caller passes a WorkingCalendar (platform/calendar loadCalendar(trx)), which refuses
 * dates in years without holiday data (CALENDAR_YEAR_UNKNOWN) instead of guessing.
 *
 * Counting (民法典 第二百零一条至第二百零三条, as platform/calendar implements them): the start day is not counted; a
 * period whose last day is a rest day ends on the next working day; it ends at 24:00 Asia/Shanghai.
 */

export function isTenderingProcedure(code: string): code is TenderingProcedure {
  return (TENDERING_PROCEDURES as readonly string[]).includes(code);
}

export function basePolicy(code: TenderingProcedure): ProcedurePolicy {
  return POLICIES[code];
}

const DAY_MS = 86_400_000;

/** The last day of a period counted forward from an instant. */
export function periodLastDay(cal: WorkingCalendar, start: Date, p: Pick<Period, 'n' | 'unit'>): CalendarDate {
  // The period ends at 24:00, which is already the next day's 00:00: the last day is the one just before.
  return shanghaiDate(new Date(periodEnd(cal, start, p).getTime() - 1));
}

/** The instant a period counted forward from `start` ends (24:00 of its last day). */
export function periodEnd(cal: WorkingCalendar, start: Date, p: Pick<Period, 'n' | 'unit'>): Date {
  return p.unit === 'day' ? cal.calendarDayDeadline(start, p.n) : cal.workingDayDeadline(start, p.n);
}

/**
 * The last day on which an act that must come "at least n before the deadline" may happen (条例 21, 22). Counted
 * backwards from the deadline's day; the 民法典 203 extension is not applied backwards, since moving this day
 * earlier would shorten the acting party's time.
 */
export function latestDayBefore(cal: WorkingCalendar, deadline: Date, p: Pick<Period, 'n' | 'unit'>): CalendarDate {
  const d = shanghaiDate(deadline);
  cal.assertKnown(d);
  return p.unit === 'day' ? addDays(d, -p.n) : cal.addWorkingDays(d, -p.n);
}

/** `day` at the Beijing time of day of `like` (a moved deadline keeps its hour: 09:30 stays 09:30). */
export function atTimeOfDay(day: CalendarDate, like: Date): Date {
  const tod = (((like.getTime() + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return new Date(endOfShanghaiDay(day).getTime() - DAY_MS + tod);
}

/**
 * The earliest day a bid deadline may fall on when the documents are issued at `issueAt`: the end of the minimum
 * bidding period and of the documents' sale period, whichever is later (5 工作日 of sale can outlast 10 日 over a
 * long holiday).
 */
export function earliestBidDeadlineDay(cal: WorkingCalendar, policy: ProcedurePolicy, issueAt: Date): CalendarDate {
  const days = [periodLastDay(cal, issueAt, policy.periods.minBidPeriod)];
  if (policy.periods.documentsOnSale) days.push(periodLastDay(cal, issueAt, policy.periods.documentsOnSale));
  return days.sort().at(-1)!;
}

/** null when the deadline is allowed; otherwise the earliest allowed day. */
export function bidDeadlineProblem(
  cal: WorkingCalendar,
  policy: ProcedurePolicy,
  issueAt: Date,
  deadline: Date,
): { earliest: CalendarDate } | null {
  const earliest = earliestBidDeadlineDay(cal, policy, issueAt);
  return shanghaiDate(deadline) < earliest ? { earliest } : null;
}

/**
 * A clarification later than the policy's lead time moves the deadline (条例 21; 采购条例 31; 74号令 29/46; 214号文 10):
 * to the end day of the lead period counted from the clarification, at the deadline's time of day. null: on time.
 */
export function deadlineAfterClarification(cal: WorkingCalendar, policy: ProcedurePolicy, at: Date, deadline: Date): Date | null {
  const lead = policy.periods.clarificationLead;
  if (!lead) return null;
  if (shanghaiDate(at) <= latestDayBefore(cal, deadline, lead)) return null;
  return atTimeOfDay(periodLastDay(cal, at, lead), deadline);
}

/**
 * Until when an objection to the documents may be raised: works — 24:00 of the last day at least the lead before the
 * deadline (条例 22); government procurement — the 质疑 window from receiving the documents (采购法 52, 采购条例 53),
 * never beyond the bid deadline (after it the documents objection becomes one against the process).
 */
export function objectionClosesAt(cal: WorkingCalendar, policy: ProcedurePolicy, deadline: Date, obtainedAt: Date): Date {
  const o = policy.objections;
  if (o.leadBeforeDeadline) return endOfShanghaiDay(latestDayBefore(cal, deadline, o.leadBeforeDeadline));
  const end = periodEnd(cal, obtainedAt, o.windowFromObtaining!);
  return end < deadline ? end : deadline;
}

export function objectionAnswerDue(cal: WorkingCalendar, policy: ProcedurePolicy, raisedAt: Date): Date {
  return periodEnd(cal, raisedAt, policy.objections.answerWithin);
}

/**
 * 条例 22 "作出答复前，应当暂停招标投标活动": the bidding clock stops while an objection is open. When the answer comes
 * after the deadline (the pause ran over it), bidders get back the whole calendar days that remained when the pause
 * began: new deadline = answer day + those days, moved to a working day, same time of day. An answer before the
 * deadline changes nothing here (a change to the documents is a clarification and follows 条例 21). null: no move.
 */
export function deadlineAfterPause(cal: WorkingCalendar, pausedAt: Date, answeredAt: Date, deadline: Date): Date | null {
  if (answeredAt < deadline) return null;
  const remaining = Math.max(1, Math.round((Date.parse(shanghaiDate(deadline)) - Date.parse(shanghaiDate(pausedAt))) / DAY_MS));
  return atTimeOfDay(cal.nextWorkingDayFrom(addDays(shanghaiDate(answeredAt), remaining)), deadline);
}

/** Largest deposit (分) the policy allows for a lot of this estimate/budget, rounded down. */
export function depositCapFen(policy: ProcedurePolicy, lotEstimateFen: number): number {
  return Math.floor((lotEstimateFen * policy.deposit.capPercent) / 100);
}

/** Does a committee of `size` with `experts` experts meet the rules? [] when it does; else the broken rules. */
export function committeeProblems(policy: ProcedurePolicy, size: number, experts: number): ('size' | 'odd' | 'experts')[] {
  const c = policy.committee;
  if (!c) return [];
  const out: ('size' | 'odd' | 'experts')[] = [];
  if (size < c.minSize) out.push('size');
  if (c.odd && size % 2 === 0) out.push('odd');
  if (experts * c.expertShare.den < size * c.expertShare.num) out.push('experts');
  return out;
}

export type { Period, PeriodUnit };
