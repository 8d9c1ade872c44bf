import { decodeContentKey, isSealedBidError } from '@yiwang/sdk/sealing';
import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { fromSealing } from '../bidding.errors';
import { requireBidderOrg, viewerOf } from '../bidding.policy';
import { anyBidIn, bumpRoom, currentBid, getRoom, type BidRow } from '../bidding.repo';
import { openStoredBid } from '../opening.open';
import { finishOpening, recordOpening } from '../opening.room';
import { changed } from '../opening.live';

/** The lot of a tender by number, for a reader that may see the tender (else the tender's 404). */
export async function lotOf(db: DbOrTx, actor: Actor, tenderId: string, lotNo: number) {
  const { tender, viewer } = await viewerOf(db, actor, tenderId);
  const lot = await db.selectFrom('tender_lots').selectAll().where('tender_id', '=', tenderId).where('lot_no', '=', lotNo).executeTakeFirst();
  if (!lot) throw new AppError('TENDER_LOT_UNKNOWN', 404, `没有标段 ${lotNo}`, `No lot ${lotNo}`, 'lotNo');
  return { tender, lot, viewer };
}

const windowClosed = () => new AppError('BID_DECRYPTION_CLOSED', 409, '不在解密时间内（以服务器时间为准）', 'Not within the decryption window (server time decides)');

/** The room must be decrypting and the window still open (server clock). */
function assertDecrypting(room: Awaited<ReturnType<typeof getRoom>>, now: Date) {
  if (!room || room.status !== 'decrypting' || now.getTime() >= room.window_ends_at.getTime()) throw windowClosed();
}

export interface DecryptResult {
  bidId: string;
  decryption: 'decrypted';
  priceFen: number;
  durationDays: number | null;
  quality: string | null;
}

/**
 * 投标人远程解密 (不见面开标): the bidder's client unwrapped the content key locally and sends it; the server opens the
 * envelope (every chunk authenticated, digest and signature checked again) and records the price sheet. A key that
 * does not open the bid is refused with BID_WRONG_CONTENT_KEY and counted (failed_attempts, ledgered).
 */
export async function decryptOwnBid(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, contentKeyText: string): Promise<DecryptResult> {
  const orgId = requireBidderOrg(actor);
  const { lot } = await lotOf(ctx.db, actor, tenderId, lotNo);
  const bid = await currentBid(ctx.db, lot.id, orgId);
  assertDecrypting(await getRoom(ctx.db, lot.id), ctx.clock.now());
  if (!bid) throw new AppError('BID_NOT_FOUND', 404, '本单位在该标段没有投标文件', 'Your organisation has no bid for this lot');
  if (bid.decryption !== 'pending') throw Errors.conflict('BID_ALREADY_DECRYPTED', '该投标文件已解密', 'This bid is already decrypted');
  let opened;
  try {
    opened = await openStoredBid(ctx.files, bid, decodeContentKey(contentKeyText));
  } catch (e) {
    if (!isSealedBidError(e)) throw e;
    await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.clock.now();
      await trx.updateTable('bids').set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) })).where('id', '=', bid.id).execute();
      await recordOpening(trx, 'bidding.decryption_failed', { type: 'bid', id: bid.id }, actor.accountId, { tenderId, lotId: lot.id, code: e.code }, now);
      await bumpRoom(trx, lot.id, {}, now);
    });
    changed(lot.id);
    throw fromSealing(e);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const room = await getRoom(trx, lot.id, true);
    assertDecrypting(room, now); // the window may have closed while the envelope was read
    const fresh = (await trx.selectFrom('bids').selectAll().where('id', '=', bid.id).forUpdate().executeTakeFirstOrThrow()) as BidRow;
    if (fresh.decryption !== 'pending') throw Errors.conflict('BID_ALREADY_DECRYPTED', '该投标文件已解密', 'This bid is already decrypted');
    await recordDecryption(trx, fresh, opened, contentKeyText.trim().toLowerCase(), 'decrypted', actor.accountId, now);
    if (!(await anyBidIn(trx, lot.id, 'pending'))) await finishOpening(trx, ctx, lot.id, now); // everyone is done: no need to wait
  });
  changed(lot.id);
  return { bidId: bid.id, decryption: 'decrypted', priceFen: opened.priceFen, durationDays: opened.durationDays, quality: opened.quality };
}

export async function recordDecryption(
  trx: DbOrTx,
  bid: BidRow,
  opened: Awaited<ReturnType<typeof openStoredBid>>,
  contentKeyHex: string,
  result: 'decrypted' | 'recovered',
  actorId: string | null,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('bids')
    .set({ decryption: result, decrypted_at: now, price_fen: opened.priceFen, duration_days: opened.durationDays, quality: opened.quality, price_sheet: JSON.stringify(opened.sheet), content_key: contentKeyHex })
    .where('id', '=', bid.id)
    .execute();
  await recordOpening(trx, result === 'decrypted' ? 'bidding.bid_decrypted' : 'bidding.bid_recovered', { type: 'bid', id: bid.id }, actorId, { tenderId: bid.tender_id, lotId: bid.lot_id, bidderOrgId: bid.bidder_org_id, sha256: bid.sha256, priceFen: opened.priceFen, durationDays: opened.durationDays, quality: opened.quality }, now);
  await bumpRoom(trx, bid.lot_id, {}, now);
}
