import type { AnnouncementType } from '@yiwang/contracts';

/**
 * A procedure policy is data: one engine (policies/engine.ts) reads it. Every statutory value carries the article it
 * comes from (`basis`), so the UI, the API (GET /api/tendering/policies) and a reviewer see why a number is what it is.
 */

/** 日 (calendar days) or 工作日 (working days): the statute decides which (DOMAIN §3). */
export type PeriodUnit = 'day' | 'working_day';

export interface Period {
  n: number;
  unit: PeriodUnit;
  basis: string;
}

export interface Valued<T> {
  value: T;
  basis: string;
}

/** The tendering procedures (catalog codes, modules/catalog/catalog.rules.ts). Auctions are another engine. */
export const TENDERING_PROCEDURES = [
  'works_open_tender',
  'works_invited_tender',
  'gp_open_tender',
  'gp_invited_tender',
  'competitive_negotiation',
  'competitive_consultation',
  'inquiry',
  'single_source',
] as const;
export type TenderingProcedure = (typeof TENDERING_PROCEDURES)[number];

/** Stages that publish an announcement (ANNOUNCEMENT_TYPES of @yiwang/contracts); null = no public announcement. */
export interface StageAnnouncements {
  publish: AnnouncementType | null;
  change: AnnouncementType | null;
  opening: AnnouncementType | null;
  publicity: AnnouncementType | null;
  award: AnnouncementType | null;
  contract: AnnouncementType | null;
  failure: AnnouncementType | null;
  termination: AnnouncementType | null;
}

/** Objections to the documents (异议/质疑). Exactly one of `leadBeforeDeadline` / `windowFromObtaining` is set. */
export interface ObjectionRules {
  /** Works (条例 22): must be raised at least this long before the bid deadline. */
  leadBeforeDeadline: Period | null;
  /** Government procurement (采购法 52, 采购条例 53): within this period of receiving the documents. */
  windowFromObtaining: Period | null;
  answerWithin: Period;
  /** While an objection is open the procedure does not advance past the bid deadline. */
  pausesProcess: Valued<boolean>;
}

export interface CommitteeRules {
  minSize: number;
  odd: boolean;
  /** Experts at least num/den of the members. */
  expertShare: { num: number; den: number };
  basis: string;
}

export interface DepositRules {
  /** Cap as a percentage of the lot's estimate (works: 估算价) or budget (government procurement: 预算). */
  capPercent: number;
  base: 'estimate' | 'budget';
  /** Physical cash (现金) in the statute's sense; transfers from a bank account and guarantees are non-cash. */
  cashAllowed: boolean;
  basis: string;
}

export interface ProcedurePolicy {
  code: TenderingProcedure;
  nameZh: string;
  nameEn: string;
  regime: 'works' | 'government_procurement';
  /** Only invited organisations may obtain the documents (and later bid). */
  invitational: boolean;
  /** How many organisations must be invited (invitational procedures), e.g. 邀请招标 ≥ 3. */
  minInvited: Valued<number> | null;
  periods: {
    /** From the documents' issue to the bid (first response) deadline. */
    minBidPeriod: Period;
    /** Documents on sale at least this long (the deadline is never before its end). */
    documentsOnSale: Period | null;
    /** A clarification must come at least this long before the deadline, else the deadline moves. null: no rule. */
    clarificationLead: Period | null;
    /** Bidders decrypt their own bids within this window after the opening starts (minutes). */
    decryptionWindowMinutes: Valued<number>;
    publicityMin: Period | null;
    publicityWithinOfReport: Period | null;
    publicityObjectionAnswer: Period | null;
    awardWithinOfReport: Period | null;
    awardNoticeWithin: Period | null;
    contractWithinOfNotice: Period;
    contractPublicationWithin: Period | null;
    refundLosers: Period;
    refundWinner: Period;
  };
  objections: ObjectionRules;
  minBidders: Valued<number>;
  committee: CommitteeRules | null;
  deposit: DepositRules;
  announcements: StageAnnouncements;
  negotiationRounds: Valued<boolean>;
}
