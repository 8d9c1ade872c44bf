import { Type } from 'typebox';
import type { AuctionRow } from './auctions.tables';
import { policyOf } from './auctions.rules';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const AuctionSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  policy: Type.String(),
  policyLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
  status: Type.String(),
  phase: Type.String(),
  startPriceFen: Type.Integer(),
  incrementFen: Type.Integer(),
  depositFen: Type.Integer(),
  hasReserve: Type.Boolean(),
  reserveFen: Nullable(Type.Integer({ description: 'Only after the end (DOMAIN §7)' })),
  registrationEndsAt: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  maxEndsAt: Type.String(),
  countdownSeconds: Type.Integer(),
  currentPriceFen: Nullable(Type.Integer()),
  leaderNo: Nullable(Type.Integer()),
  bidCount: Type.Integer(),
  lastSeq: Type.Integer(),
  serverTime: Type.String(),
  result: Nullable(Type.Object({ outcome: Type.String(), reason: Nullable(Type.String()), winnerNo: Nullable(Type.Integer()), finalPriceFen: Nullable(Type.Integer()), closedAt: Nullable(Type.String()), preemptionEndsAt: Nullable(Type.String()) })),
  me: Nullable(Type.Object({ applicationId: Type.String(), status: Type.String(), biddingNo: Nullable(Type.Integer()) })),
  /** 出让/挂牌公告 and 成交公示/流拍公告 on the public portal (/api/portal/announcements/:id). */
  notices: Type.Object({ listing: Nullable(Type.String()), result: Nullable(Type.String()) }),
  /** The verifiable draw of the bidding numbers (GET /api/lottery/draws/:id/record); its seed is revealed at the end. */
  numbers: Type.Object({ drawId: Nullable(Type.String()), drawAt: Type.String(), drawnAt: Nullable(Type.String()) }),
  hasConfirmation: Type.Boolean(),
});

const ENDED = new Set(['sold', 'failed']);

/**
 * The one view of an auction for everyone: bidders appear only as 竞买人 N (numbers), never by name, and the reserve
 * appears only once the auction has ended (拍卖法 第二十八条; DOMAIN §7) — for the organiser too, so no response
 * before the end can carry it.
 */
export function presentAuction(a: AuctionRow, now: Date, me: { id: string; status: string; bidding_no: number | null } | null, winnerNo: number | null) {
  const ended = ENDED.has(a.status);
  return {
    id: a.id,
    title: a.title,
    policy: a.policy,
    policyLabel: policyOf(a.policy).label,
    status: a.status,
    phase: a.phase,
    startPriceFen: a.start_price_fen,
    incrementFen: a.increment_fen,
    depositFen: a.deposit_fen,
    hasReserve: a.reserve_fen !== null,
    reserveFen: ended ? a.reserve_fen : null,
    registrationEndsAt: a.registration_ends_at.toISOString(),
    startsAt: a.starts_at.toISOString(),
    endsAt: a.ends_at.toISOString(),
    maxEndsAt: a.max_ends_at.toISOString(),
    countdownSeconds: a.countdown_seconds,
    currentPriceFen: a.current_price_fen,
    leaderNo: a.leader_no,
    bidCount: a.bid_count,
    lastSeq: a.event_seq,
    serverTime: now.toISOString(),
    result:
      a.status === 'open'
        ? null
        : {
            outcome: a.status,
            reason: a.failed_reason,
            winnerNo,
            finalPriceFen: a.final_price_fen ?? (a.status === 'preemption' ? a.current_price_fen : null),
            closedAt: a.closed_at?.toISOString() ?? null,
            preemptionEndsAt: a.preemption_ends_at?.toISOString() ?? null,
          },
    me: me ? { applicationId: me.id, status: me.status, biddingNo: me.bidding_no } : null,
    notices: { listing: a.notice_id, result: a.result_notice_id },
    numbers: { drawId: a.numbers_draw_id, drawAt: a.registration_ends_at.toISOString(), drawnAt: a.numbers_drawn_at?.toISOString() ?? null },
    hasConfirmation: a.confirmation_file_id !== null,
  };
}

export const EventSchema = Type.Object({
  seq: Type.Integer(),
  price: Nullable(Type.Integer()),
  leaderNo: Nullable(Type.Integer()),
  endsAt: Type.String(),
  at: Type.String(),
  event: Type.Object({ kind: Type.String() }, { additionalProperties: true }),
});

export function presentEvent(e: { seq: number; kind: string; price_fen: number | null; leader_no: number | null; ends_at: Date; payload: unknown; at: Date }) {
  return { seq: e.seq, price: e.price_fen, leaderNo: e.leader_no, endsAt: e.ends_at.toISOString(), at: e.at.toISOString(), event: { kind: e.kind, ...(e.payload as Record<string, unknown>) } };
}
