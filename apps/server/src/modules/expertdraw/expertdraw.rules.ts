import { addDays, shanghaiDate } from '../../platform/calendar/index';
import type { Quota } from './expertdraw.tables';

/**
 * The expert draw's pure rules (docs/adr/0019-expert-draw.md). No database, no clock: the commands pass facts in.
 */

/** Exclusion reason codes published (hashed, with the reason in clear) in the lottery record — ADR 0015 §8. */
export const REASONS = {
  /** Current employer, or a declared relation (employment, directorship, control within 3 years; a relative's
   * company) with a bidder of the lot — 招标投标法 第三十七条; 政府采购法实施条例 第九条. */
  bidder: 'bidder_conflict',
  /** The same with the tenderer or its agency (利害关系 with the party that forms the committee). */
  tenderer: 'tenderer_conflict',
  /** Staff of the supervising department — 招标投标法实施条例 第四十六条第四款. */
  supervisor: 'supervising_staff',
  /** Drawn for the same tenderer too often in the period (local policy value, expert_draw_settings). */
  frequency: 'frequency_limit',
  onLeave: 'on_leave',
  blacklisted: 'blacklisted',
  /** A replacement (补抽) never draws anyone already drawn for this committee. */
  alreadyDrawn: 'already_drawn',
} as const;
export type ReasonCode = (typeof REASONS)[keyof typeof REASONS];

/** What custodians read in an exclusion's opening: the category in words, never the other party's name or code. */
export const REASON_DETAIL: Record<ReasonCode, string> = {
  bidder_conflict: '与本标段投标人存在任职或申报的利害关系（回避期内）',
  tenderer_conflict: '与招标人或其代理机构存在任职或申报的利害关系（回避期内）',
  supervising_staff: '本项目行政监督部门工作人员',
  frequency_limit: '统计期内被同一招标人抽中次数已达上限',
  on_leave: '评标期间请假',
  blacklisted: '处于禁入（黑名单）期',
  already_drawn: '本次评标已被抽中',
};

/**
 * The earliest instant the draw may run: 00:00 Beijing of the day `daysBefore` calendar days before the evaluation
 * day. Default 1 (the evaluation day or the day before, as issue 4 asks; stricter local rules such as 赤峰's "评标当天
 * 抽取" — policy 004 item 4 — set 0).
 */
export function earliestDrawAt(evaluationAt: Date, daysBefore: number): Date {
  const day = addDays(shanghaiDate(evaluationAt), -daysBefore);
  return new Date(`${day}T00:00:00+08:00`);
}

export interface Candidate {
  expertId: string;
  accountId: string;
  groups: string[];
  /** 统一社会信用代码 the expert must avoid now: current employer and declared relations inside their window. */
  avoidOrgCodes: string[];
}

export interface AvoidanceFacts {
  /** Bidders of the lot (before the bid deadline: every organisation that obtained the documents). Server-only. */
  bidderCodes: ReadonlySet<string>;
  /** The tenderer and its agency. */
  tendererCodes: ReadonlySet<string>;
  /** Organisations of the supervising department's staff (regulators covering the tender's industry and region). */
  supervisorCodes: ReadonlySet<string>;
  /** Accounts that are themselves supervising this tender (a regulator may also be an expert). */
  supervisorAccounts: ReadonlySet<string>;
  /** Experts drawn for this tenderer `max` times in the period already. */
  frequent: ReadonlySet<string>;
}

export interface Exclusion {
  id: string;
  reason: ReasonCode;
  detail: string;
}

/**
 * Split the eligible experts into the pool and the avoided. One reason per avoided expert, the first that applies
 * in the order bidder → tenderer → supervising staff → frequency (the most serious first: the record's counts per
 * reason then say how many were kept out because of the bidders).
 */
export function applyAvoidance(candidates: readonly Candidate[], facts: AvoidanceFacts): { pool: Candidate[]; excluded: Exclusion[] } {
  const pool: Candidate[] = [];
  const excluded: Exclusion[] = [];
  // Severity of each code's hit: 3 bidder, 2 tenderer, 1 supervising staff (one pass over the codes, no copies:
  // this runs for every one of 10^4 candidates of a large draw).
  const rank = (code: string) => {
    const x = code.trim().toUpperCase();
    return facts.bidderCodes.has(x) ? 3 : facts.tendererCodes.has(x) ? 2 : facts.supervisorCodes.has(x) ? 1 : 0;
  };
  for (const c of candidates) {
    let worst = 0;
    for (const code of c.avoidOrgCodes) worst = Math.max(worst, rank(code));
    let reason: ReasonCode | null = null;
    if (worst === 3) reason = REASONS.bidder;
    else if (worst === 2) reason = REASONS.tenderer;
    else if (worst === 1 || facts.supervisorAccounts.has(c.accountId)) reason = REASONS.supervisor;
    else if (facts.frequent.has(c.expertId)) reason = REASONS.frequency;
    if (reason) excluded.push({ id: c.expertId, reason, detail: REASON_DETAIL[reason] });
    else pool.push(c);
  }
  return { pool, excluded };
}

export interface Shortage {
  specialty: string;
  needed: number;
  available: number;
}

/**
 * Too few experts: per specialty, the pool members in its group fewer than asked; and, when specialties overlap,
 * the whole pool fewer than the total asked (reported as specialty '*'). Empty when the draw can proceed.
 */
export function shortages(pool: readonly { groups: string[] }[], quotas: readonly Quota[]): Shortage[] {
  const out: Shortage[] = [];
  for (const q of quotas) {
    const available = pool.reduce((n, c) => n + (c.groups.includes(q.code) ? 1 : 0), 0);
    if (available < q.count) out.push({ specialty: q.code, needed: q.count, available });
  }
  const needed = quotas.reduce((n, q) => n + q.count, 0);
  const codes = new Set(quotas.map((q) => q.code));
  const available = pool.filter((c) => c.groups.some((g) => codes.has(g))).length;
  if (!out.length && available < needed) out.push({ specialty: '*', needed, available });
  return out;
}

/** Normalise quotas: codes unique and sorted (the lottery sorts strata the same way), counts ≥ 1. */
export function normaliseQuotas(quotas: readonly Quota[]): Quota[] {
  const m = new Map<string, number>();
  for (const q of quotas) m.set(q.code, (m.get(q.code) ?? 0) + q.count);
  return [...m].map(([code, count]) => ({ code, count })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Seats still to fill per specialty: asked minus those invited or confirmed. */
export function vacancies(quotas: readonly Quota[], members: readonly { specialty: string; status: string }[]): Quota[] {
  return quotas
    .map((q) => ({
      code: q.code,
      count: q.count - members.filter((m) => m.specialty === q.code && (m.status === 'invited' || m.status === 'confirmed')).length,
    }))
    .filter((q) => q.count > 0);
}

/** Every seat confirmed. */
export function isComplete(quotas: readonly Quota[], members: readonly { specialty: string; status: string }[]): boolean {
  return quotas.every((q) => members.filter((m) => m.specialty === q.code && m.status === 'confirmed').length >= q.count);
}

/** When a drawn expert must answer: the request's confirm window from now, never later than the evaluation start. */
export function respondBy(now: Date, confirmMinutes: number, evaluationAt: Date): Date {
  return new Date(Math.min(now.getTime() + confirmMinutes * 60_000, evaluationAt.getTime()));
}
