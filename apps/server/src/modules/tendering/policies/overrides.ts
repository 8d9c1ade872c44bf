import type { Period, PeriodUnit, ProcedurePolicy } from './types';

/**
 * Local values stricter than the statute (e.g. a city that promises refunds within 3 工作日, or more time to bid).
 * Each overridable value has a direction: what "stricter" means for it. A looser value is refused, and so is one
 * that cannot be shown stricter on every calendar (e.g. 3 工作日 against 5 日: over a long holiday it is longer).
 * Objection lead times are deliberately not overridable: a longer lead takes a right away from bidders.
 */
type PeriodPath =
  | 'minBidPeriod'
  | 'documentsOnSale'
  | 'clarificationLead'
  | 'publicityMin'
  | 'publicityWithinOfReport'
  | 'publicityObjectionAnswer'
  | 'awardWithinOfReport'
  | 'awardNoticeWithin'
  | 'contractWithinOfNotice'
  | 'contractPublicationWithin'
  | 'refundLosers'
  | 'refundWinner';

const PERIOD_DIRECTION: Record<PeriodPath, 'longer' | 'shorter'> = {
  minBidPeriod: 'longer',
  documentsOnSale: 'longer',
  clarificationLead: 'longer',
  publicityMin: 'longer',
  publicityWithinOfReport: 'shorter',
  publicityObjectionAnswer: 'shorter',
  awardWithinOfReport: 'shorter',
  awardNoticeWithin: 'shorter',
  contractWithinOfNotice: 'shorter',
  contractPublicationWithin: 'shorter',
  refundLosers: 'shorter',
  refundWinner: 'shorter',
};

export const OVERRIDE_KEYS = [
  ...Object.keys(PERIOD_DIRECTION).map((k) => `periods.${k}`),
  'objections.answerWithin',
  'objections.windowFromObtaining',
  'periods.decryptionWindowMinutes',
  'minBidders',
  'committee.minSize',
  'deposit.capPercent',
  'deposit.cashAllowed',
] as const;
export type OverrideKey = string;

export interface PolicyOverride {
  key: OverrideKey;
  /** Periods: length and unit. Numbers: the value. */
  n?: number;
  unit?: PeriodUnit;
  /** deposit.cashAllowed only. */
  flag?: boolean;
  /** The local rule that sets it (shown beside the value). */
  basis: string;
}

/** [zh, en] when the override is refused; null when it is stricter (or equal) and may apply. */
export function overrideProblem(policy: ProcedurePolicy, o: PolicyOverride): [string, string] | null {
  const unknown: [string, string] = [`${o.key} 不能在本地调整`, `${o.key} cannot be set locally`];
  if (!(OVERRIDE_KEYS as readonly string[]).includes(o.key)) return unknown;
  const looser: [string, string] = [`${o.key}：本地值不得宽于法定值`, `${o.key}: a local value may not be looser than the statute`];
  const period = periodOf(policy, o.key);
  if (period !== undefined) {
    if (period === null) return [`${o.key}：该交易方式没有此期限`, `${o.key}: this procedure has no such period`];
    if (!o.n || !Number.isInteger(o.n) || o.n < 1 || !o.unit)
      return [`${o.key}：需要正整数天数和单位`, `${o.key}: needs a positive whole number of days and a unit`];
    const direction =
      o.key === 'objections.windowFromObtaining'
        ? 'longer'
        : o.key === 'objections.answerWithin'
          ? 'shorter'
          : PERIOD_DIRECTION[o.key.slice('periods.'.length) as PeriodPath];
    return periodStricter(period, { n: o.n, unit: o.unit }, direction) ? null : looser;
  }
  switch (o.key) {
    case 'periods.decryptionWindowMinutes':
      return isInt(o.n) && o.n! >= policy.periods.decryptionWindowMinutes.value && o.n! <= 240 ? null : looser;
    case 'minBidders':
      return isInt(o.n) && o.n! >= policy.minBidders.value ? null : looser;
    case 'committee.minSize':
      if (!policy.committee) return [`${o.key}：该交易方式不设评审委员会`, `${o.key}: this procedure has no committee`];
      return isInt(o.n) && o.n! >= policy.committee.minSize ? null : looser;
    case 'deposit.capPercent':
      return typeof o.n === 'number' && o.n >= 0 && o.n <= policy.deposit.capPercent ? null : looser;
    case 'deposit.cashAllowed':
      return o.flag === false || (o.flag === true && policy.deposit.cashAllowed) ? null : looser;
  }
  return unknown;
}

const isInt = (n: number | undefined) => n !== undefined && Number.isInteger(n);

/** undefined: not a period key; null: a period key this procedure does not have. */
function periodOf(policy: ProcedurePolicy, key: string): Period | null | undefined {
  if (key === 'objections.answerWithin') return policy.objections.answerWithin;
  if (key === 'objections.windowFromObtaining') return policy.objections.windowFromObtaining;
  if (!key.startsWith('periods.') || key === 'periods.decryptionWindowMinutes') return undefined;
  return (policy.periods as unknown as Record<string, Period | null>)[key.slice('periods.'.length)] ?? null;
}

/**
 * Provably at least as strict on every calendar. Same unit: compare n. n 工作日 always last at least as long as n 日
 * (the n-th working day is never before the day n days on, nor before the working day a 日 period is moved to), so a
 * "longer" rule may switch 日 → 工作日 with n ≥ base, and a "shorter" one 工作日 → 日 with n ≤ base. Nothing else.
 */
export function periodStricter(
  base: Pick<Period, 'n' | 'unit'>,
  local: Pick<Period, 'n' | 'unit'>,
  direction: 'longer' | 'shorter',
): boolean {
  if (direction === 'longer') return local.n >= base.n && (local.unit === base.unit || local.unit === 'working_day');
  return local.n <= base.n && (local.unit === base.unit || local.unit === 'day');
}

/** The policy with the (already checked) overrides applied; each applied value's basis names the local rule too. */
export function applyOverrides(policy: ProcedurePolicy, overrides: PolicyOverride[]): ProcedurePolicy {
  const out: ProcedurePolicy = structuredClone(policy);
  for (const o of overrides) {
    if (overrideProblem(policy, o)) continue; // refused when stored; a statute change may have made it looser since
    const basis = `${o.basis}（本地规定，严于：${basisOf(policy, o.key)}）`;
    if (periodOf(policy, o.key)) {
      const value: Period = { n: o.n!, unit: o.unit!, basis };
      if (o.key === 'objections.answerWithin') out.objections.answerWithin = value;
      else if (o.key === 'objections.windowFromObtaining') out.objections.windowFromObtaining = value;
      else (out.periods as unknown as Record<string, Period>)[o.key.slice('periods.'.length)] = value;
      continue;
    }
    if (o.key === 'periods.decryptionWindowMinutes') out.periods.decryptionWindowMinutes = { value: o.n!, basis };
    else if (o.key === 'minBidders') out.minBidders = { value: o.n!, basis };
    else if (o.key === 'committee.minSize' && out.committee) out.committee = { ...out.committee, minSize: o.n!, basis };
    else if (o.key === 'deposit.capPercent') out.deposit = { ...out.deposit, capPercent: o.n!, basis };
    else if (o.key === 'deposit.cashAllowed') out.deposit = { ...out.deposit, cashAllowed: o.flag!, basis };
  }
  return out;
}

function basisOf(policy: ProcedurePolicy, key: string): string {
  const period = periodOf(policy, key);
  if (period) return period.basis;
  if (key === 'periods.decryptionWindowMinutes') return policy.periods.decryptionWindowMinutes.basis;
  if (key === 'minBidders') return policy.minBidders.basis;
  if (key === 'committee.minSize') return policy.committee?.basis ?? '';
  return policy.deposit.basis;
}
