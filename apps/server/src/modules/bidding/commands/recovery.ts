import { combineEscrowShares, decodeShare, fromBase64, isSealedBidError, toBase64, toHex, type SealedBidHeader } from '@yiwang/sdk/sealing';
import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { isCenterStaff } from '../bidding.policy';
import { anyBidIn, bumpRoom, getRoom, lotBids, parseJson, type BidRow } from '../bidding.repo';
import { openStoredBid } from '../opening.open';
import { finishOpening, recordOpening } from '../opening.room';
import { changed } from '../opening.live';
import { lotOf, recordDecryption } from './decrypt';

/**
 * 平台原因 (电子招标投标办法 第三十一条): the center's staff declare a platform incident for an opening while its
 * decryption window is open. At the window's end, bids not decrypted then go to escrow recovery instead of being
 * treated as revoked.
 */
export async function declareIncident(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, reason: string) {
  if (!isCenterStaff(actor)) throw Errors.forbidden('只有交易中心工作人员可以登记平台故障', 'Only the center’s staff may declare a platform incident');
  const { lot } = await lotOf(ctx.db, actor, tenderId, lotNo);
  const out = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const room = await getRoom(trx, lot.id, true);
    if (!room || room.status !== 'decrypting') throw Errors.conflict('BID_INCIDENT_TOO_LATE', '只能在解密期间登记平台故障', 'A platform incident can only be declared during the decryption window');
    if (room.incident_at) return { declaredAt: room.incident_at.toISOString(), reason: room.incident_reason! };
    await bumpRoom(trx, lot.id, { incident_at: now, incident_by: actor.accountId, incident_reason: reason }, now);
    await recordOpening(trx, 'bidding.platform_incident', { type: 'tender_lot', id: lot.id }, actor.accountId, { tenderId, lotId: lot.id, reason }, now);
    return { declaredAt: now.toISOString(), reason };
  });
  changed(lot.id);
  return out;
}

async function custodianOf(ctx: AppContext, actor: Actor, tenderId: string) {
  const c = await ctx.db.selectFrom('tender_custodians').select(['kind']).where('tender_id', '=', tenderId).where('account_id', '=', actor.accountId).executeTakeFirst();
  if (!c) throw Errors.forbidden('只有本项目的密钥托管人可以提交托管份额', 'Only this tender’s key custodians may hand in escrow shares');
  return c;
}

/** What a custodian needs to unwrap its shares locally (SDK unwrapEscrowShare): the headers of bids under recovery. */
export async function recoveryView(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number) {
  const { lot } = await lotOf(ctx.db, actor, tenderId, lotNo);
  await custodianOf(ctx, actor, tenderId);
  const room = await getRoom(ctx.db, lot.id);
  const bids = room?.status === 'recovery' ? (await lotBids(ctx.db, lot.id)).filter((b) => b.decryption === 'recovering') : [];
  const mine = new Set((await ctx.db.selectFrom('bid_escrow_shares').select('bid_id').where('custodian_account_id', '=', actor.accountId).execute()).map((r) => r.bid_id));
  return {
    status: room?.status ?? null,
    recoveryEndsAt: room?.recovery_ends_at?.toISOString() ?? null,
    bids: bids.map((b) => ({ bidId: b.id, bidder: b.bidder_name, header: parseJson<SealedBidHeader>(b.header), shareSubmitted: mine.has(b.id) })),
  };
}

function* subsets<T>(xs: T[], k: number, from = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = from; i < xs.length; i++) yield* subsets(xs, k, i + 1, [...acc, xs[i]!]);
}

/**
 * A custodian hands in its unwrapped share of one bid's content key (SDK unwrapEscrowShare on its own device). When
 * k shares are in, the server combines them (trying each k-subset, so one bad share does not block the others),
 * opens the bid and records it as recovered; the shares are wiped. Every step is ledgered (never the share itself).
 */
export async function submitShare(ctx: AppContext, actor: Actor, bidId: string, shareText: string) {
  const bid0 = await ctx.db.selectFrom('bids').selectAll().where('id', '=', bidId).executeTakeFirst();
  if (!bid0) throw Errors.notFound('Bid', '投标文件');
  await custodianOf(ctx, actor, bid0.tender_id);
  const share = decodeShare(shareText);
  const header = parseJson<SealedBidHeader>(bid0.header);
  const myKeys = (await ctx.db.selectFrom('signing_keys').select('fingerprint').where('account_id', '=', actor.accountId).execute()).map((k) => k.fingerprint);
  const position = header.escrow.shares.findIndex((s) => myKeys.includes(s.custodian.fingerprint));
  if (position < 0) throw Errors.forbidden('该投标文件没有托管给您的密钥份额', 'This bid holds no escrow share for your keys');

  const shares = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const room = await getRoom(trx, bid0.lot_id, true);
    const bid = await trx.selectFrom('bids').select(['decryption']).where('id', '=', bidId).forUpdate().executeTakeFirstOrThrow();
    if (!room || room.status !== 'recovery' || bid.decryption !== 'recovering' || (room.recovery_ends_at && now >= room.recovery_ends_at))
      throw Errors.conflict('BID_NOT_IN_RECOVERY', '该投标文件不在密钥托管恢复中', 'This bid is not under escrow recovery');
    const ins = await trx
      .insertInto('bid_escrow_shares')
      .values({ bid_id: bidId, custodian_account_id: actor.accountId, position, share: toBase64(share), submitted_at: now })
      .onConflict((oc) => oc.columns(['bid_id', 'custodian_account_id']).doNothing())
      .returning('bid_id')
      .executeTakeFirst();
    if (!ins) throw Errors.conflict('BID_SHARE_ALREADY_SUBMITTED', '您已提交过该投标文件的托管份额', 'You already handed in your share of this bid');
    await recordOpening(trx, 'bidding.escrow_share_submitted', { type: 'bid', id: bidId }, actor.accountId, { tenderId: bid0.tender_id, lotId: bid0.lot_id, position }, now);
    await bumpRoom(trx, bid0.lot_id, {}, now);
    return (await trx.selectFrom('bid_escrow_shares').select(['share']).where('bid_id', '=', bidId).execute()).map((r) => r.share).filter((s): s is string => !!s);
  });
  changed(bid0.lot_id);
  if (shares.length < header.escrow.threshold) return { bidId, shares: shares.length, needed: header.escrow.threshold, recovered: false };

  let key: Uint8Array | undefined;
  for (const set of subsets(shares.map((s) => fromBase64(s)), header.escrow.threshold)) {
    try {
      key = await combineEscrowShares(header, set);
      break;
    } catch (e) {
      if (!isSealedBidError(e)) throw e;
    }
  }
  if (!key) {
    await ctx.db.transaction().execute((trx) => recordOpening(trx, 'bidding.escrow_combine_failed', { type: 'bid', id: bidId }, null, { tenderId: bid0.tender_id, lotId: bid0.lot_id, shares: shares.length }, ctx.clock.now()));
    throw new AppError('BID_ESCROW_INSUFFICIENT', 422, '已提交的托管份额无法恢复解密密钥，请其他托管人提交份额', 'The shares handed in do not rebuild the key; the other custodians must hand in theirs');
  }
  const opened = await openStoredBid(ctx.files, bid0, key);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const bid = (await trx.selectFrom('bids').selectAll().where('id', '=', bidId).forUpdate().executeTakeFirstOrThrow()) as BidRow;
    if (bid.decryption !== 'recovering') return;
    await recordDecryption(trx, bid, opened, toHex(key), 'recovered', null, now);
    await trx.updateTable('bid_escrow_shares').set({ share: null }).where('bid_id', '=', bidId).execute();
    if (!(await anyBidIn(trx, bid.lot_id, 'recovering'))) await finishOpening(trx, ctx, bid.lot_id, now);
  });
  changed(bid0.lot_id);
  return { bidId, shares: shares.length, needed: header.escrow.threshold, recovered: true };
}
