/**
 * Auction rules as pure functions (no I/O, no clock: every instant is passed in). The four policies are data.
 *
 * Sources. In ../shared/reference/laws: 拍卖法 (2015) and 网络司法拍卖规定 (the court online-auction rules, used as the
 * statutory analogue for online countdowns). NOT in that folder, cited from the published texts — check before
 * relying on an article number: 招标拍卖挂牌出让国有建设用地使用权规定 (国土资源部令第39号, "39号令") and
 * 企业国有资产交易监督管理办法 (国资委 财政部令第32号, "32号令").
 */

export type PolicyCode = 'auction' | 'listing' | 'online' | 'state_equity';
export type Phase = 'listing' | 'free' | 'timed';
export type PeriodUnit = 'calendar_day' | 'working_day';

export interface AuctionPolicy {
  code: PolicyCode;
  label: { zh: string; en: string };
  /** The phase bidding opens in. */
  firstPhase: Phase;
  /** After the first phase (if not already 'timed'): go to 限时竞价 always, only with ≥2 bidders, or never. */
  timedAfterFirst: 'always' | 'two_or_more' | 'never';
  /** Minimum length of the first phase (starts → first phase end), in the statute's unit. */
  minFirstPhase: { n: number; unit: PeriodUnit; basis: string } | null;
  /** Whether a 优先购买权 holder gets a window to match the final price. */
  preemption: boolean;
  /** Deposit refund period for the others after the end. */
  refund: { n: number; unit: PeriodUnit; basis: string };
  basis: string[];
}

export const POLICIES: Record<PolicyCode, AuctionPolicy> = {
  // 拍卖: ascending English auction — the highest bid (应价) wins (拍卖法 第三条、第三十八条); a bid binds until a
  // higher one (第三十六条); the reserve is the seller's and secret (第二十八条); announcement ≥7 days before (第四十五条).
  auction: {
    code: 'auction',
    label: { zh: '拍卖', en: 'Auction (ascending)' },
    firstPhase: 'timed',
    timedAfterFirst: 'never',
    minFirstPhase: null,
    preemption: false,
    refund: { n: 5, unit: 'working_day', basis: '39号令 第二十二条（竞买保证金于活动结束后5个工作日内退还）' },
    basis: ['拍卖法 第三条', '拍卖法 第二十八条', '拍卖法 第三十六条', '拍卖法 第三十八条', '网络司法拍卖规定 第二十条'],
  },
  // 挂牌: listing of ≥10 days (39号令 第十八条); at its end, if bidders still want to bid, 现场竞价 (第十九条) — online:
  // 限时竞价 when two or more bidders quoted; otherwise one bidder ≥ reserve wins, none/below reserve fails (第十九条).
  listing: {
    code: 'listing',
    label: { zh: '挂牌', en: 'Listing' },
    firstPhase: 'listing',
    timedAfterFirst: 'two_or_more',
    minFirstPhase: { n: 10, unit: 'calendar_day', basis: '39号令 第十八条（挂牌时间不得少于10日）' },
    preemption: false,
    refund: { n: 5, unit: 'working_day', basis: '39号令 第二十二条' },
    basis: ['39号令 第十八条', '39号令 第十九条', '39号令 第二十二条'],
  },
  // 网络竞价: free bidding, then always a time-limited phase where each bid in the last N seconds extends the end
  // (analogue: 网络司法拍卖规定 第二十条 — 5 minutes from the last bid).
  online: {
    code: 'online',
    label: { zh: '网络竞价', en: 'Online bidding' },
    firstPhase: 'free',
    timedAfterFirst: 'always',
    minFirstPhase: null,
    preemption: false,
    refund: { n: 5, unit: 'working_day', basis: '39号令 第二十二条' },
    basis: ['网络司法拍卖规定 第二十条', '网络司法拍卖规定 第二十三条'],
  },
  // 国有产权转让: disclosure (listing) ≥20 working days (32号令 第十三条); with two or more qualified bidders →
  // competitive bidding; a 优先购买权 holder may match the final price (analogue: 网络司法拍卖规定 第二十一条).
  state_equity: {
    code: 'state_equity',
    label: { zh: '国有产权转让', en: 'State-owned equity transfer' },
    firstPhase: 'listing',
    timedAfterFirst: 'two_or_more',
    minFirstPhase: { n: 20, unit: 'working_day', basis: '32号令 第十三条（信息披露不少于20个工作日）' },
    preemption: true,
    refund: { n: 3, unit: 'working_day', basis: '平台承诺 3 个工作日（DOMAIN §5）' },
    basis: ['32号令 第十三条', '网络司法拍卖规定 第二十一条'],
  },
};

export function policyOf(code: string): AuctionPolicy {
  const p = POLICIES[code as PolicyCode];
  if (!p) throw new Error(`unknown auction policy ${code}`);
  return p;
}

/** The least acceptable next bid: the start price first (网络司法拍卖规定 第二十条), then current + one increment. */
export function minimumNextBid(a: { startPriceFen: number; incrementFen: number; currentPriceFen: number | null }): number {
  return a.currentPriceFen === null ? a.startPriceFen : a.currentPriceFen + a.incrementFen;
}

/** Bids climb from the start price in whole increments ("增价幅度"): (amount − start) is a multiple of the step. */
export function onIncrementGrid(a: { startPriceFen: number; incrementFen: number }, amountFen: number): boolean {
  return Number.isSafeInteger(amountFen) && amountFen >= a.startPriceFen && (amountFen - a.startPriceFen) % a.incrementFen === 0;
}

export type BidCheck =
  | { ok: true }
  | { ok: false; reason: 'below_minimum'; minimumFen: number }
  | { ok: false; reason: 'off_increment' };

export function checkBidAmount(a: { startPriceFen: number; incrementFen: number; currentPriceFen: number | null }, amountFen: number): BidCheck {
  const minimumFen = minimumNextBid(a);
  if (amountFen < minimumFen) return { ok: false, reason: 'below_minimum', minimumFen };
  if (!onIncrementGrid(a, amountFen)) return { ok: false, reason: 'off_increment' };
  return { ok: true };
}

/**
 * Countdown reset (网络司法拍卖规定 第二十条: a bid in the last five minutes moves the end to five minutes after it).
 * Only in the timed phase; the end never moves earlier, and never past the maximum-duration guard.
 */
export function endAfterBid(a: { phase: Phase; endsAt: Date; maxEndsAt: Date; countdownSeconds: number }, at: Date): Date {
  if (a.phase !== 'timed') return a.endsAt;
  const candidate = at.getTime() + a.countdownSeconds * 1000;
  const end = Math.min(Math.max(a.endsAt.getTime(), candidate), Math.max(a.maxEndsAt.getTime(), a.endsAt.getTime()));
  return new Date(end);
}

/** Is bidding open at `now`? Server time only; the phase end is exclusive. */
export function biddingOpen(a: { status: string; startsAt: Date; endsAt: Date }, now: Date): 'open' | 'not_started' | 'closed' {
  if (a.status !== 'open') return 'closed';
  if (now.getTime() < a.startsAt.getTime()) return 'not_started';
  if (now.getTime() >= a.endsAt.getTime()) return 'closed';
  return 'open';
}

export type PhaseEnd = { next: 'timed'; endsAt: Date } | { next: 'close' };

/**
 * What happens when the current phase has ended: 挂牌/国有产权 go to 限时竞价 when two or more bidders quoted in the
 * listing (39号令 第十九条), 网络竞价 always goes from free to timed bidding, and a timed phase closes.
 */
export function afterPhaseEnd(policy: AuctionPolicy, phase: Phase, distinctBidders: number, endedAt: Date, countdownSeconds: number): PhaseEnd {
  if (phase === 'timed') return { next: 'close' };
  const go = policy.timedAfterFirst === 'always' || (policy.timedAfterFirst === 'two_or_more' && distinctBidders >= 2);
  return go ? { next: 'timed', endsAt: new Date(endedAt.getTime() + countdownSeconds * 1000) } : { next: 'close' };
}

export interface Outcome {
  result: 'sold' | 'failed';
  /** Why it failed: no bids, or the highest bid below the reserve (拍卖法 第二十八条; 39号令 第十九条第三项). */
  reason?: 'no_bids' | 'below_reserve';
  winnerBidderId?: string;
  priceFen?: number;
}

/**
 * Winner: the highest bid at or above the reserve; equal bids cannot exist (each must beat the last by an increment),
 * so the earliest-on-tie rule of 39号令 第十九条 never has to decide. No reserve → any bid wins.
 */
export function decideOutcome(bids: { bidderId: string; amountFen: number; seq: number }[], reserveFen: number | null): Outcome {
  if (bids.length === 0) return { result: 'failed', reason: 'no_bids' };
  let top = bids[0]!;
  for (const b of bids) if (b.amountFen > top.amountFen || (b.amountFen === top.amountFen && b.seq < top.seq)) top = b;
  if (reserveFen !== null && top.amountFen < reserveFen) return { result: 'failed', reason: 'below_reserve' };
  return { result: 'sold', winnerBidderId: top.bidderId, priceFen: top.amountFen };
}

/** 优先购买权: after a sale, the holder (if it is not already the winner) gets a window to match the final price. */
export function preemptionWindow(policy: AuctionPolicy, o: Outcome, holderIsWinner: boolean, closedAt: Date, windowSeconds: number): Date | null {
  if (!policy.preemption || o.result !== 'sold' || holderIsWinner || windowSeconds <= 0) return null;
  return new Date(closedAt.getTime() + windowSeconds * 1000);
}

/** Set-up checks that need no database: amounts, order of instants, countdown. Returns [field, zh, en] or null. */
export function checkSetup(s: {
  startPriceFen: number;
  incrementFen: number;
  reserveFen: number | null;
  depositFen: number;
  registrationEndsAt: Date;
  startsAt: Date;
  firstPhaseEndsAt: Date;
  countdownSeconds: number;
  maxEndsAt: Date;
}): [string, string, string] | null {
  if (!Number.isSafeInteger(s.startPriceFen) || s.startPriceFen <= 0) return ['startPriceFen', '起始价须为正整数（分）', 'The start price must be a positive integer (fen)'];
  if (!Number.isSafeInteger(s.incrementFen) || s.incrementFen <= 0) return ['incrementFen', '增价幅度须为正整数（分）', 'The increment must be a positive integer (fen)'];
  if (s.reserveFen !== null && (!Number.isSafeInteger(s.reserveFen) || s.reserveFen < s.startPriceFen))
    return ['reserveFen', '保留价不得低于起始价', 'The reserve cannot be below the start price'];
  if (!Number.isSafeInteger(s.depositFen) || s.depositFen < 0) return ['depositFen', '保证金须为非负整数（分）', 'The deposit must be a non-negative integer (fen)'];
  if (s.registrationEndsAt.getTime() > s.startsAt.getTime()) return ['registrationEndsAt', '报名截止须不晚于竞价开始', 'Registration must end no later than bidding starts'];
  if (s.firstPhaseEndsAt.getTime() <= s.startsAt.getTime()) return ['firstPhaseEndsAt', '首阶段结束须晚于竞价开始', 'The first phase must end after bidding starts'];
  if (!Number.isInteger(s.countdownSeconds) || s.countdownSeconds < 30 || s.countdownSeconds > 3600)
    return ['countdownSeconds', '倒计时须在 30 至 3600 秒之间', 'The countdown must be 30 to 3600 seconds'];
  if (s.maxEndsAt.getTime() <= s.firstPhaseEndsAt.getTime()) return ['maxDurationSeconds', '最长时限须晚于首阶段结束', 'The maximum duration must reach past the first phase'];
  return null;
}
