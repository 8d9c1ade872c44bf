import { Type, type Static } from 'typebox';
import type { Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { AppError } from '../../platform/http/errors';
import { effectivePolicy, engine, getTender, type LotRow } from '../tendering/index';
import { assertPastDeadline, type Viewer } from './bidding.policy';
import { bidHistory, getRoom, lotBids, parseJson, roomObjections, type BidRow } from './bidding.repo';

export const ReceiptSchema = Type.Object({
  format: Type.Literal('yiwang-bid-receipt/1'),
  bidId: Type.String(),
  tenderId: Type.String(),
  lotId: Type.String(),
  bidderOrgId: Type.String(),
  envelopeSha256: Type.String(),
  envelopeSize: Type.Integer(),
  sealedDigest: Type.String(),
  receivedAt: Type.String(),
  supersedes: Type.Union([Type.String(), Type.Null()]),
  ledger: Type.Object({ seq: Type.Integer(), entryHash: Type.String() }),
  keyId: Type.String(),
  signature: Type.String(),
});

const MyBid = Type.Object({
  bidId: Type.String(),
  status: Type.String(),
  receivedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  sha256: Type.String(),
  size: Type.Integer(),
  deposit: Type.Object({ kind: Type.Union([Type.String(), Type.Null()]), ref: Type.Union([Type.String(), Type.Null()]) }),
  decryption: Type.String(),
  receipt: ReceiptSchema,
});
export const MyBidsSchema = Type.Object({ current: Type.Union([MyBid, Type.Null()]), history: Type.Array(MyBid) });

function presentMine(b: BidRow): Static<typeof MyBid> {
  return {
    bidId: b.id,
    status: b.status,
    receivedAt: b.received_at.toISOString(),
    endedAt: b.ended_at?.toISOString() ?? null,
    sha256: b.sha256,
    size: b.size,
    deposit: { kind: b.deposit_kind, ref: b.deposit_ref },
    decryption: b.decryption,
    receipt: parseJson(b.receipt),
  };
}

/** A bidder's own bids on a lot — the only view of bids that exists before the deadline. */
export async function myBids(db: DbOrTx, lotId: string, orgId: string): Promise<Static<typeof MyBidsSchema>> {
  const rows = await bidHistory(db, lotId, orgId);
  const current = rows.find((r) => r.status === 'submitted');
  return { current: current ? presentMine(current) : null, history: rows.map(presentMine) };
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const RoomSchema = Type.Object({
  tenderId: Type.String(),
  lotId: Type.String(),
  lotNo: Type.Integer(),
  lotName: Type.String(),
  lotStatus: Type.String(),
  status: Type.String({ description: 'waiting (deadline passed, room not yet open) | decrypting | recovery | objections | closed | failed' }),
  version: Type.Integer(),
  openedAt: Nullable(Type.String()),
  windowEndsAt: Nullable(Type.String()),
  recoveryEndsAt: Nullable(Type.String()),
  minBidders: Nullable(Type.Integer()),
  incident: Nullable(Type.Object({ at: Type.String(), reason: Type.String() })),
  bids: Type.Array(
    Type.Object({
      bidId: Type.String(),
      bidder: Type.Object({ orgId: Type.String(), name: Type.String() }),
      receivedAt: Type.String(),
      sha256: Type.String(),
      size: Type.Integer(),
      mine: Type.Boolean(),
      decryption: Type.String(),
      failedAttempts: Type.Integer(),
      priceFen: Nullable(Type.Integer()),
      durationDays: Nullable(Type.Integer()),
      quality: Nullable(Type.String()),
    }),
  ),
  record: Nullable(Type.Unknown()),
  recordAnnouncementId: Nullable(Type.String()),
  objectionsUntil: Nullable(Type.String()),
  failedReason: Nullable(Type.String()),
  objections: Type.Array(
    Type.Object({ id: Type.String(), mine: Type.Boolean(), objector: Type.String(), text: Type.String(), raisedAt: Type.String(), answer: Nullable(Type.String()), answeredAt: Nullable(Type.String()) }),
  ),
});
export type RoomView = Static<typeof RoomSchema>;

/**
 * The opening room as one reader may see it. Refuses (BIDS_SECRET_UNTIL_DEADLINE) before the deadline. Prices appear
 * once the opening record is drawn up; before that a bidder sees only its own price (after decrypting it).
 */
export async function presentRoom(db: DbOrTx, actor: Actor, viewer: Viewer, lot: LotRow, now: Date): Promise<RoomView> {
  assertPastDeadline(lot, now);
  const [room, bids, objections] = await Promise.all([getRoom(db, lot.id), lotBids(db, lot.id), roomObjections(db, lot.id)]);
  if (viewer === 'bidder' && !bids.some((b) => b.bidder_org_id === actor.orgId)) {
    throw new AppError('BID_ROOM_BIDDERS_ONLY', 403, '开标室仅对本标段投标人开放', 'The opening room is open to this lot’s bidders only');
  }
  const pricesOut = !!room?.record_published_at;
  // Negotiation procedures: a bidder sees its own response only — not the others' names, prices or objections
  // (采购法 第三十八条（四）; opening.room.ts publishes no record for them either).
  const tender = await getTender(db, lot.tender_id);
  const discreet = viewer === 'bidder' && !!tender && engine.isTenderingProcedure(tender.procedure_type) && (await effectivePolicy(db, tender.procedure_type)).negotiationRounds.value;
  const shown = discreet ? bids.filter((b) => b.bidder_org_id === actor.orgId) : bids;
  const record = room?.record ? parseJson<{ bids?: { bidder: { orgId: string } }[] }>(room.record) : null;
  if (discreet && record?.bids) record.bids = record.bids.filter((r) => r.bidder.orgId === actor.orgId);
  return {
    tenderId: lot.tender_id,
    lotId: lot.id,
    lotNo: lot.lot_no,
    lotName: lot.name,
    lotStatus: lot.status,
    status: room?.status ?? 'waiting',
    version: room?.version ?? 0,
    openedAt: room?.opened_at.toISOString() ?? null,
    windowEndsAt: room?.window_ends_at.toISOString() ?? null,
    recoveryEndsAt: room?.recovery_ends_at?.toISOString() ?? null,
    minBidders: room?.min_bidders ?? null,
    incident: room?.incident_at ? { at: room.incident_at.toISOString(), reason: room.incident_reason ?? '' } : null,
    bids: shown.map((b) => {
      const mine = b.bidder_org_id === actor.orgId;
      const show = pricesOut || mine;
      return {
        bidId: b.id,
        bidder: { orgId: b.bidder_org_id, name: b.bidder_name },
        receivedAt: b.received_at.toISOString(),
        sha256: b.sha256,
        size: b.size,
        mine,
        decryption: b.decryption,
        failedAttempts: b.failed_attempts,
        priceFen: show ? b.price_fen : null,
        durationDays: show ? b.duration_days : null,
        quality: show ? b.quality : null,
      };
    }),
    record,
    recordAnnouncementId: room?.record_announcement_id ?? null,
    objectionsUntil: room?.objections_until?.toISOString() ?? null,
    failedReason: room?.failed_reason ?? null,
    objections: (discreet ? objections.filter((o) => o.objector_org_id === actor.orgId) : objections).map((o) => ({
      id: o.id,
      mine: o.objector_org_id === actor.orgId,
      objector: bids.find((b) => b.bidder_org_id === o.objector_org_id)?.bidder_name ?? '',
      text: o.body_text,
      raisedAt: o.raised_at.toISOString(),
      answer: o.answer_text,
      answeredAt: o.answered_at?.toISOString() ?? null,
    })),
  };
}
