import { addDays, endOfShanghaiDay, shanghaiDate, type WorkingCalendar } from '../../platform/calendar/index';
import { AppError } from '../../platform/http/errors';
import { engine, type Period, type ProcedurePolicy } from '../tendering/index';
import type { AwardWarning, ObjectionKind } from './award.tables';

/**
 * The deadlines after the opening, pure (the caller passes the working-day calendar and the effective policy, i.e.
 * the statute or a stricter local value). Counting follows 民法典 201–203 through the tendering engine's `periodEnd`:
 * the start day is not counted, a period ending on a rest day runs to the next working day, it ends 24:00 Beijing.
 */

const end = (cal: WorkingCalendar, from: Date, p: Pick<Period, 'n' | 'unit'>) => engine.periodEnd(cal, from, p);

/** Works publicise candidates (条例 54); government procurement awards straight from the report (采购条例 43). */
export function hasPublicity(policy: ProcedurePolicy): boolean {
  return !!policy.periods.publicityMin;
}

/**
 * 中标候选人公示: starts when published, lasts at least the policy's minimum (条例 54: 不得少于3日); a longer
 * period may be chosen. `due` is when it had to be published (条例 54: 自收到评标报告之日起3日内).
 */
export function publicityWindow(cal: WorkingCalendar, policy: ProcedurePolicy, reportAt: Date, publishAt: Date, days?: number) {
  const min = policy.periods.publicityMin!;
  const n = Math.max(days ?? min.n, min.n);
  const within = policy.periods.publicityWithinOfReport;
  return {
    startsAt: publishAt,
    endsAt: end(cal, publishAt, { n, unit: min.unit }),
    n,
    unit: min.unit,
    basis: min.basis,
    due: within ? end(cal, reportAt, within) : null,
  };
}

/**
 * 中标结果公告期限 in government procurement: 1 个工作日 (政府采购货物和服务招标投标管理办法 财政部令第87号 第六十九条; not in
 * ../shared/reference/laws — re-check). A 质疑 against the result may be raised within 7 工作日 of the day that period
 * ends (采购法 52; 采购条例 53（三）: 应知其权益受到损害之日 = 中标或者成交结果公告期限届满之日).
 */
export const GP_RESULT_ANNOUNCEMENT: Period = {
  n: 1,
  unit: 'working_day',
  basis: '政府采购货物和服务招标投标管理办法（财政部令第87号）第六十九条',
};

export interface ObjectionWindow {
  kind: ObjectionKind;
  opensAt: Date;
  closesAt: Date;
  answerWithin: Period;
  basis: string;
}

/**
 * When bidders may object to the results, or null when the procedure has no such window at this point:
 * - works (异议, 条例 54): during the candidate publicity, answered within 3 日;
 * - government procurement (质疑, 采购法 52–53): from the result announcement until 7 工作日 after its period ends,
 *   answered within 7 工作日.
 */
export function objectionWindow(
  cal: WorkingCalendar,
  policy: ProcedurePolicy,
  a: { publicity_starts_at: Date | null; publicity_ends_at: Date | null; notice_issued_at: Date | null },
): ObjectionWindow | null {
  if (hasPublicity(policy)) {
    if (!a.publicity_starts_at || !a.publicity_ends_at) return null;
    const answer = policy.periods.publicityObjectionAnswer ?? policy.objections.answerWithin;
    return {
      kind: 'objection',
      opensAt: a.publicity_starts_at,
      closesAt: a.publicity_ends_at,
      answerWithin: answer,
      basis: '招标投标法实施条例 第五十四条',
    };
  }
  if (!a.notice_issued_at) return null;
  const announcementEnds = end(cal, a.notice_issued_at, GP_RESULT_ANNOUNCEMENT);
  const window = policy.objections.windowFromObtaining ?? { n: 7, unit: 'working_day', basis: '政府采购法 第五十二条' };
  // Count from the day the announcement period ends (that day not counted): start just before its 24:00.
  const closesAt = end(cal, new Date(announcementEnds.getTime() - 1), window);
  return {
    kind: 'challenge',
    opensAt: a.notice_issued_at,
    closesAt,
    answerWithin: policy.objections.answerWithin,
    basis: '政府采购法 第五十二条、第五十三条；政府采购法实施条例 第五十三条',
  };
}

export function answerDue(cal: WorkingCalendar, w: ObjectionWindow, raisedAt: Date): Date {
  return end(cal, raisedAt, w.answerWithin);
}

/** 采购条例 43: award within 5 工作日 of the report. null: the procedure sets no such period. */
export function awardDue(cal: WorkingCalendar, policy: ProcedurePolicy, reportAt: Date): Date | null {
  return policy.periods.awardWithinOfReport ? end(cal, reportAt, policy.periods.awardWithinOfReport) : null;
}

/**
 * 法 46 / 采购法 46: the contract within 30 日 of the notice. In December the period reaches a year the calendar may
 * not know yet; for a period in 日 only the 民法典 203 rest-day extension needs that year, so the award is not
 * blocked: the unextended last day is used (never later than the legal deadline) and `estimated` says so.
 */
export function contractDue(cal: WorkingCalendar, policy: ProcedurePolicy, noticeAt: Date): { due: Date; estimated: boolean } {
  const p = policy.periods.contractWithinOfNotice;
  try {
    return { due: end(cal, noticeAt, p), estimated: false };
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'CALENDAR_YEAR_UNKNOWN' && p.unit === 'day')) throw e;
    return { due: endOfShanghaiDay(addDays(shanghaiDate(noticeAt), p.n)), estimated: true };
  }
}

/** 采购条例 50: the contract published within 2 工作日 of signing. null: no such rule (works). */
export function contractPublicationDue(cal: WorkingCalendar, policy: ProcedurePolicy, signedAt: Date): Date | null {
  return policy.periods.contractPublicationWithin ? end(cal, signedAt, policy.periods.contractPublicationWithin) : null;
}

/** A warning when `at` is after `due` (the step still happens: lateness is for supervision, not a veto). */
export function lateWarning(code: string, zh: string, en: string, due: Date | null, at: Date): AwardWarning | null {
  if (!due || at.getTime() <= due.getTime()) return null;
  return { code, zh, en, dueAt: due.toISOString(), at: at.toISOString() };
}

/**
 * When deposits are refunded and from which instant (the deposits module computes the due date):
 * - works (条例 57): everyone within 5 日 after the written contract is signed;
 * - government procurement (采购条例 33): losers within 5 工作日 of the award notice, the winner within 5 工作日 of
 *   the contract.
 * A stricter local promise arrives through the effective policy (tender_policy_overrides).
 */
export function refundPlan(policy: ProcedurePolicy): { losersAt: 'award' | 'contract'; losers: Period; winner: Period } {
  return {
    losersAt: policy.regime === 'works' ? 'contract' : 'award',
    losers: policy.periods.refundLosers,
    winner: policy.periods.refundWinner,
  };
}

export function refundPeriod(p: Period): { n: number; unit: 'calendar_day' | 'working_day' } {
  return { n: p.n, unit: p.unit === 'day' ? 'calendar_day' : 'working_day' };
}

/** 条例 53: at most 3 candidates, ranked 1..n without gaps, each a distinct bidder with a valid bid. */
export function candidateProblems(
  candidates: { rank: number; bidderOrgId: string }[],
  validBidders: Set<string>,
  max = 3,
): { field: string; zh: string; en: string; code: string } | null {
  if (candidates.length < 1 || candidates.length > max) {
    return {
      field: 'candidates',
      zh: `中标候选人应为 1 至 ${max} 名`,
      en: `There must be 1 to ${max} candidates`,
      code: 'AWARD_CANDIDATES_COUNT',
    };
  }
  const ranks = candidates.map((c) => c.rank).sort((a, b) => a - b);
  if (ranks.some((r, i) => r !== i + 1))
    return { field: 'candidates', zh: '排序须从 1 开始连续', en: 'Ranks must run 1, 2, 3 without gaps', code: 'AWARD_CANDIDATES_RANKS' };
  const seen = new Set<string>();
  for (const [i, c] of candidates.entries()) {
    if (seen.has(c.bidderOrgId))
      return {
        field: `candidates.${i}.bidderOrgId`,
        zh: '同一投标人不能重复列为候选人',
        en: 'A bidder may be listed only once',
        code: 'AWARD_CANDIDATE_DUPLICATE',
      };
    seen.add(c.bidderOrgId);
    if (!validBidders.has(c.bidderOrgId)) {
      return {
        field: `candidates.${i}.bidderOrgId`,
        zh: '候选人必须是本标段有效投标的投标人',
        en: 'A candidate must be a bidder with a valid bid on this lot',
        code: 'AWARD_CANDIDATE_NOT_BIDDER',
      };
    }
  }
  return null;
}
