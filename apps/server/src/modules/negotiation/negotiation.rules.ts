/**
 * The statute's rules for the negotiation stage, as pure functions (unit-tested in negotiation.rules.test.ts).
 *
 * Sources: 政府采购法 第三十八条 (竞争性谈判) and 第三十九条 (单一来源) in ../shared/reference/laws; 政府采购非招标采购方式管理办法
 * (财政部令第74号) and 政府采购竞争性磋商采购方式管理暂行办法 (财库〔2014〕214号), whose texts are NOT in
 * ../shared/reference/laws — their article numbers are cited from the published texts and must be re-checked there
 * (ADR 0017, "What to re-check").
 */
import type { MinimumException, NegotiationKind, ParticipantStatus } from './negotiation.tables';

export function kindOf(procedure: string): NegotiationKind | null {
  if (procedure === 'competitive_negotiation') return 'negotiation';
  if (procedure === 'competitive_consultation') return 'consultation';
  if (procedure === 'single_source') return 'single_source';
  return null;
}

export interface Rule<T> {
  value: T;
  basis: string;
}

/**
 * Suppliers that must submit a final offer (最后报价):
 * - 竞争性谈判: 74号令 第三十三条 "提交最后报价的供应商不得少于3家"; 第三十七条（三） ends the procurement when fewer remain;
 * - 竞争性磋商: 214号文 第二十一条 "提交最后报价的供应商不得少于3家"; 第三十四条（三）;
 * - 单一来源: the one supplier (采购法 第三十一条、第三十九条).
 */
export const MIN_FINAL_OFFERS: Record<NegotiationKind, Rule<number>> = {
  negotiation: { value: 3, basis: '政府采购非招标采购方式管理办法（财政部令第74号）第三十三条、第三十七条' },
  consultation: { value: 3, basis: '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第二十一条、第三十四条' },
  single_source: { value: 1, basis: '政府采购法 第三十一条、第三十九条' },
};

/**
 * Declared exceptions that let 2 suppliers go on to the final offer:
 * - 竞争性谈判 after a public tender with only two (responsive) suppliers, approved by the finance department
 *   (74号令 第二十七条第二款: "本办法第三十三条、第三十五条中规定的供应商最低数量可以为两家");
 * - 竞争性磋商 for 市场竞争不充分的科研项目 / 需要扶持的科技成果转化项目 (214号文 第三条第四项, 第二十一条第三款);
 * - 竞争性磋商 for 政府购买服务项目 (含政府和社会资本合作项目) (财库〔2015〕124号).
 */
export const MINIMUM_EXCEPTIONS: Record<MinimumException, { kinds: NegotiationKind[]; value: number; zh: string; basis: string }> = {
  gp_two_suppliers_approved: {
    kinds: ['negotiation'],
    value: 2,
    zh: '公开招标中只有两家供应商（实质性响应），经财政部门批准转为竞争性谈判',
    basis: '政府采购非招标采购方式管理办法（财政部令第74号）第二十七条第二款',
  },
  research_project: {
    kinds: ['consultation'],
    value: 2,
    zh: '市场竞争不充分的科研项目，以及需要扶持的科技成果转化项目',
    basis: '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第三条第四项、第二十一条第三款',
  },
  government_services: {
    kinds: ['consultation'],
    value: 2,
    zh: '政府购买服务项目（含政府和社会资本合作项目）',
    basis: '财政部关于政府采购竞争性磋商采购方式管理暂行办法有关问题的补充通知（财库〔2015〕124号）',
  },
};

/** The minimum for this kind, lowered by a declared exception where the statute allows it (else null: refused). */
export function minimumFor(kind: NegotiationKind, exception: MinimumException | null): Rule<number> | null {
  if (!exception) return MIN_FINAL_OFFERS[kind];
  const e = MINIMUM_EXCEPTIONS[exception];
  if (!e.kinds.includes(kind)) return null;
  return { value: e.value, basis: e.basis };
}

/**
 * 磋商 价格分值 (综合评分法, 214号文 第二十四条): goods 30 %–60 %, services 10 %–30 % of the total score. Works procured by
 * 磋商 (政府采购工程) are not given a range there; the platform accepts 10 %–60 % and says so.
 */
export function priceWeightRange(subject: string | null): Rule<{ min: number; max: number }> {
  if (subject === 'goods') return { value: { min: 30, max: 60 }, basis: '财库〔2014〕214号 第二十四条（货物项目 30%至60%）' };
  if (subject === 'services') return { value: { min: 10, max: 30 }, basis: '财库〔2014〕214号 第二十四条（服务项目 10%至30%）' };
  return { value: { min: 10, max: 60 }, basis: '平台规则（214号文 第二十四条未规定工程项目的价格分值）' };
}

/**
 * 价格分 by the 低价优先法 (214号文 第二十四条): the lowest valid final price is the benchmark (磋商基准价) and scores the
 * full weight; every other: 基准价 / 最后报价 × 价格权值 × 100 — here the weight is already in points (percent of 100),
 * rounded to 2 decimals.
 */
export function priceScores(offers: { orgId: string; priceFen: number }[], weightPoints: number): Map<string, number> {
  const out = new Map<string, number>();
  if (!offers.length) return out;
  const benchmark = Math.min(...offers.map((o) => o.priceFen));
  for (const o of offers) {
    const score = o.priceFen === 0 ? weightPoints : (benchmark / o.priceFen) * weightPoints;
    out.set(o.orgId, Math.round(score * 100) / 100);
  }
  return out;
}

/**
 * 竞争性谈判: candidates in ascending order of final price (74号令 第三十五条 "按照最后报价由低到高的顺序"); equal prices share
 * a rank (the statute gives no tie-break; the panel decides).
 */
export function rankByPrice<T extends { priceFen: number }>(offers: T[]): (T & { rank: number })[] {
  const sorted = [...offers].sort((a, b) => a.priceFen - b.priceFen);
  return sorted.map((o) => ({ ...o, rank: 1 + sorted.filter((x) => x.priceFen < o.priceFen).length }));
}

/**
 * 平等的谈判机会 (74号令 第三十一条; 214号文 第十九条): the panel negotiates with every supplier still in, in every round it
 * holds. Before the final offers are called, each active supplier must have minutes for each round 1..max. Returns
 * what is missing (empty: equal).
 */
export function missingRounds(active: string[], rounds: { roundNo: number; orgId: string }[]): { orgId: string; rounds: number[] }[] {
  const max = rounds.reduce((m, r) => Math.max(m, r.roundNo), 0);
  const out: { orgId: string; rounds: number[] }[] = [];
  for (const org of active) {
    const held = new Set(rounds.filter((r) => r.orgId === org).map((r) => r.roundNo));
    const miss: number[] = [];
    for (let n = 1; n <= max; n++) if (!held.has(n)) miss.push(n);
    if (miss.length) out.push({ orgId: org, rounds: miss });
  }
  return out;
}

/** A new round's number: 1 … (highest so far + 1), so rounds have no gaps. */
export function roundNoProblem(roundNo: number, highest: number): string | null {
  if (!Number.isInteger(roundNo) || roundNo < 1) return 'round number must be a positive integer';
  if (roundNo > highest + 1) return `round ${roundNo} skips round ${highest + 1}`;
  return null;
}

/** Statuses of a supplier still taking part, and of one out of the procedure. */
export const STILL_IN: readonly ParticipantStatus[] = ['active', 'final', 'agreed'];
export const PRICED: readonly ParticipantStatus[] = ['final', 'agreed'];

/** Platform rule: a final-offer deadline at least this far ahead, so suppliers can seal after being told. */
export const MIN_FINAL_OFFER_LEAD_MINUTES = 10;
export const MAX_FINAL_OFFER_LEAD_DAYS = 30;

export function finalDeadlineProblem(now: Date, deadline: Date): string | null {
  const lead = deadline.getTime() - now.getTime();
  if (lead < MIN_FINAL_OFFER_LEAD_MINUTES * 60_000) return 'too_soon';
  if (lead > MAX_FINAL_OFFER_LEAD_DAYS * 86_400_000) return 'too_late';
  return null;
}

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
