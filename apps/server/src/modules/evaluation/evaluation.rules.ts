/**
 * Evaluation arithmetic (pure). Design: docs/adr/0020-evaluation.md.
 *
 * Number representation: every score is an integer number of HUNDREDTHS of a point ("centi", 12.50 分 = 1250) and
 * every price an integer number of 分. The API speaks decimal strings with at most two decimals ("12.5", "12.50");
 * parseCenti/formatCenti convert. Divisions (price formula, means) are done on BigInt numerators and denominators
 * and rounded ONCE, half up, to the hundredth — no binary floating point anywhere, so the same bids give the same
 * scores on every machine and a report can be recomputed from the ledgered inputs.
 */

export type Category = 'technical' | 'commercial';

export interface ScoreItem {
  code: string;
  name: string;
  category: Category;
  /** Allowed range for one expert's score on this item, in hundredths. */
  minCenti: number;
  maxCenti: number;
}

/**
 * Price score (价格分), objective: computed by the platform, never entered by an expert.
 * - lowest: 价格分 = 评标基准价 / 投标报价 × 价格分值, the benchmark being the lowest qualified price
 *   (87号令 第五十五条 for government procurement: 低价优先法).
 * - average: 基准价 = 有效投标报价算术平均值 × 下浮系数 (coefficient in ten-thousandths: 9500 = 0.95); for each 1 %
 *   above the benchmark `aboveCenti` is deducted, for each 1 % below `belowCenti`, never under 0 (common works
 *   template; the tender documents state the numbers).
 */
export type PriceRule =
  | { benchmark: 'lowest'; maxCenti: number }
  | { benchmark: 'average'; maxCenti: number; coefficientBp: number; aboveCenti: number; belowCenti: number };

export type Template =
  | {
      method: 'comprehensive'; // 综合评分法
      items: ScoreItem[];
      price: PriceRule;
      /** Drop one highest and one lowest member total before the mean (only with ≥ 5 members). */
      trimmed: boolean;
      /** A member's item score further than this share (basis points of the committee mean) is flagged. */
      deviationBp: number;
    }
  | { method: 'lowest_price' }; // 经评审的最低投标价法

// ---- Decimal strings ------------------------------------------------------------------------------------------

const DECIMAL = /^(0|[1-9][0-9]{0,6})(\.[0-9]{1,2})?$/;

/** "12.5" → 1250; null when not a non-negative decimal with ≤ 2 decimals (and < 10,000,000). */
export function parseCenti(s: string): number | null {
  if (!DECIMAL.test(s)) return null;
  const [i, f = ''] = s.split('.');
  return Number(i) * 100 + Number(f.padEnd(2, '0'));
}

export function formatCenti(c: number): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** num/den rounded half up (both ≥ 0, den > 0). */
export function roundDiv(num: bigint, den: bigint): bigint {
  return (num * 2n + den) / (den * 2n);
}

// ---- Template validation --------------------------------------------------------------------------------------

export interface Problem {
  field: string;
  zh: string;
  en: string;
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/;

export function templateProblem(t: Template): Problem | null {
  if (t.method === 'lowest_price') return null;
  if (!t.items.length) return { field: 'items', zh: '综合评分法至少需要一个评分项', en: 'The comprehensive method needs at least one item' };
  const seen = new Set<string>();
  for (const [k, i] of t.items.entries()) {
    if (!CODE.test(i.code) || i.code === 'price') return { field: `items.${k}.code`, zh: '评分项代码无效', en: 'Invalid item code' };
    if (seen.has(i.code)) return { field: `items.${k}.code`, zh: '评分项代码重复', en: 'Duplicate item code' };
    seen.add(i.code);
    if (i.minCenti > i.maxCenti || i.maxCenti <= 0) return { field: `items.${k}`, zh: '评分项分值范围无效', en: 'Invalid item range' };
  }
  if (t.price.maxCenti <= 0) return { field: 'price.max', zh: '价格分值须大于0', en: 'The price weight must be positive' };
  if (t.price.benchmark === 'average' && (t.price.coefficientBp < 5000 || t.price.coefficientBp > 15000))
    return { field: 'price.coefficient', zh: '基准价系数须在0.5至1.5之间', en: 'The coefficient must be between 0.5 and 1.5' };
  const total = t.items.reduce((a, i) => a + i.maxCenti, 0) + t.price.maxCenti;
  if (total !== 10000) return { field: 'items', zh: `各评分项满分与价格分之和须为100分（现为${formatCenti(total)}）`, en: `Item maxima plus the price weight must total 100 (now ${formatCenti(total)})` };
  if (t.deviationBp < 100 || t.deviationBp > 10000) return { field: 'deviation', zh: '偏离比例须在1%至100%之间', en: 'The deviation share must be 1–100 %' };
  return null;
}

// ---- Price score --------------------------------------------------------------------------------------------

/** Price scores (hundredths) of the qualified bids, keyed by bid id. */
export function priceScores(rule: PriceRule, bids: { bidId: string; priceFen: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!bids.length) return out;
  const max = BigInt(rule.maxCenti);
  if (rule.benchmark === 'lowest') {
    const low = BigInt(Math.min(...bids.map((b) => b.priceFen)));
    for (const b of bids) out.set(b.bidId, Number(roundDiv(max * low, BigInt(b.priceFen))));
    return out;
  }
  // B = sum × k / (n × 10000); |p − B| / B = |p·n·10000 − sum·k| / (sum·k); deduction = that × 100 × perPercent.
  const n = BigInt(bids.length);
  const sumK = bids.reduce((a, b) => a + BigInt(b.priceFen), 0n) * BigInt(rule.coefficientBp);
  for (const b of bids) {
    const diff = BigInt(b.priceFen) * n * 10000n - sumK;
    const per = BigInt(diff > 0n ? rule.aboveCenti : rule.belowCenti);
    const abs = diff < 0n ? -diff : diff;
    const deduction = roundDiv(abs * 100n * per, sumK);
    out.set(b.bidId, Number(deduction >= max ? 0n : max - deduction));
  }
  return out;
}

/** The benchmark price in 分 (rounded half up), for the report. */
export function benchmarkFen(rule: PriceRule, prices: number[]): number | null {
  if (!prices.length) return null;
  if (rule.benchmark === 'lowest') return Math.min(...prices);
  const sum = prices.reduce((a, p) => a + BigInt(p), 0n);
  return Number(roundDiv(sum * BigInt(rule.coefficientBp), BigInt(prices.length) * 10000n));
}

// ---- Qualification ----------------------------------------------------------------------------------------------

/** A bid passes the review when more than half the members pass it (少数服从多数). */
export function qualifies(votes: boolean[]): boolean {
  return votes.filter(Boolean).length * 2 > votes.length;
}

// ---- Deviation flags --------------------------------------------------------------------------------------------

/** Members' scores on one item of one bid → the members whose score deviates more than `bp` of the mean. */
export function deviating(scores: { member: string; centi: number }[], bp: number): string[] {
  const n = BigInt(scores.length);
  const sum = scores.reduce((a, s) => a + BigInt(s.centi), 0n);
  if (n < 2n || sum === 0n) return [];
  // |s − sum/n| > bp/10000 × sum/n  ⇔  |s·n − sum| · 10000 > bp · sum
  return scores
    .filter((s) => {
      const d = BigInt(s.centi) * n - sum;
      return (d < 0n ? -d : d) * 10000n > BigInt(bp) * sum;
    })
    .map((s) => s.member);
}

// ---- Aggregation ------------------------------------------------------------------------------------------------

export interface MemberSheet {
  member: string;
  seat: number;
  /** item code → hundredths */
  scores: Record<string, number>;
}

export interface Aggregate {
  technicalCenti: number;
  commercialCenti: number;
  subjectiveCenti: number;
  /** Members whose totals were dropped by the trimmed mean. */
  dropped: string[];
}

/**
 * One bid's subjective score: each member's total over the items, then the mean over the members — or, trimmed,
 * over the members left after dropping the one with the highest and the one with the lowest total (equal totals:
 * the higher seat is dropped first, so the choice is fixed). Technical and commercial parts are means over the same
 * members, so parts add up to the total up to the rounding of each.
 */
export function aggregateBid(items: ScoreItem[], sheets: MemberSheet[], trimmed: boolean): Aggregate {
  const total = (s: MemberSheet, cat?: Category) => items.filter((i) => !cat || i.category === cat).reduce((a, i) => a + (s.scores[i.code] ?? 0), 0);
  let kept = [...sheets];
  const dropped: string[] = [];
  if (trimmed && sheets.length >= 5) {
    const sorted = [...sheets].sort((a, b) => total(a) - total(b) || b.seat - a.seat);
    dropped.push(sorted[0]!.member, sorted[sorted.length - 1]!.member);
    kept = sorted.slice(1, -1);
  }
  const n = BigInt(kept.length);
  const mean = (cat?: Category) => Number(roundDiv(kept.reduce((a, s) => a + BigInt(total(s, cat)), 0n), n));
  return { technicalCenti: mean('technical'), commercialCenti: mean('commercial'), subjectiveCenti: mean(), dropped };
}

// ---- Ranking ----------------------------------------------------------------------------------------------------

export interface Ranked {
  bidId: string;
  priceFen: number;
  totalCenti: number;
  technicalCenti: number;
}

/**
 * Order qualified bids into groups that the rules cannot separate. 综合评分法: total score high first; equal totals →
 * lower price first (87号令 第五十五条：评审得分相同的，按照投标报价由低到高顺序排列); then higher technical score.
 * 经评审的最低投标价法: lower price first (87号令 第五十六条; 招标投标法 第四十一条（二）). A group of more than one bid is still tied: the caller breaks it with a lottery draw.
 */
export function rankGroups(method: Template['method'], bids: Ranked[]): string[][] {
  const cmp = (a: Ranked, b: Ranked) =>
    method === 'lowest_price' ? a.priceFen - b.priceFen : b.totalCenti - a.totalCenti || a.priceFen - b.priceFen || b.technicalCenti - a.technicalCenti;
  const sorted = [...bids].sort((a, b) => cmp(a, b) || (a.bidId < b.bidId ? -1 : 1));
  const groups: string[][] = [];
  let prev: Ranked | null = null;
  for (const b of sorted) {
    if (prev && cmp(prev, b) === 0) groups[groups.length - 1]!.push(b.bidId);
    else groups.push([b.bidId]);
    prev = b;
  }
  return groups;
}

// ---- Fees -------------------------------------------------------------------------------------------------------

export interface FeeRules {
  /** Up to this many minutes: the half-day rate. */
  halfDayMinutes: number;
  halfDayFen: number;
  /** Up to this many minutes: the full-day rate; beyond it, each started hour adds `overtimeHourFen`. */
  fullDayMinutes: number;
  fullDayFen: number;
  overtimeHourFen: number;
}

export function feeFen(rules: FeeRules, minutes: number): number {
  if (minutes <= rules.halfDayMinutes) return rules.halfDayFen;
  if (minutes <= rules.fullDayMinutes) return rules.fullDayFen;
  return rules.fullDayFen + Math.ceil((minutes - rules.fullDayMinutes) / 60) * rules.overtimeHourFen;
}

// ---- Committee ----------------------------------------------------------------------------------------------------

/** Seat labels for the lottery (ID_PATTERN): seat-01 … seat-NN. */
export const seatLabel = (n: number) => `seat-${String(n).padStart(2, '0')}`;
export const seatOf = (label: string) => Number(label.slice(5));
