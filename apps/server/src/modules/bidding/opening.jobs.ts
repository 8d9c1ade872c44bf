import { registerJobHandler, scheduleJob } from '../../platform/chronograph/jobs';
import { registerOutboxProcessor } from '../../platform/outbox/processors';
import { getRoom, bumpRoom, lotBids } from './bidding.repo';
import { closeIfDone, ensureRoom, finishOpening, recordOpening, OBJECTIONS_END_JOB, RECOVERY_END_JOB, RECOVERY_MINUTES, WINDOW_END_JOB } from './opening.room';
import { changed } from './opening.live';

/**
 * Time in the opening (platform/chronograph; handlers decide from current rows, a job may run late or twice):
 * - tender.lot_opening (tendering, at the bid deadline) → the room opens (outbox processor);
 * - the decryption window ends → bids not decrypted: the bidder's fault → 视为撤销 (revoked); after a platform
 *   incident declared for this opening → escrow recovery (电子招标投标办法 第三十一条);
 * - the recovery period ends → bids still not opened → 视为撤回 (withdrawn), the record is drawn up;
 * - the objection window ends → the opening closes (if every objection is answered).
 */
registerOutboxProcessor({
  name: 'bidding.opening_room',
  types: ['tender.lot_opening'],
  async handle(events, trx, ctx) {
    for (const e of events) await ensureRoom(trx, ctx, String(e.payload.lotId), ctx.clock.now());
  },
});

registerJobHandler(WINDOW_END_JOB, async (job, trx, ctx) => {
  const { now } = ctx;
  const room = await getRoom(trx, job.subjectId, true);
  if (!room || room.status !== 'decrypting') return;
  if (now.getTime() < room.window_ends_at.getTime()) {
    await scheduleJob(trx, { kind: WINDOW_END_JOB, subjectId: room.lot_id, dueAt: room.window_ends_at }, now);
    return;
  }
  const pending = (await lotBids(trx, room.lot_id, true)).filter((b) => b.decryption === 'pending');
  if (room.incident_at && pending.length) {
    const until = new Date(now.getTime() + RECOVERY_MINUTES * 60_000);
    await trx.updateTable('bids').set({ decryption: 'recovering' }).where('id', 'in', pending.map((b) => b.id)).execute();
    await bumpRoom(trx, room.lot_id, { status: 'recovery', recovery_ends_at: until }, now);
    await recordOpening(trx, 'bidding.recovery_started', { type: 'tender_lot', id: room.lot_id }, null, { tenderId: room.tender_id, bidIds: pending.map((b) => b.id), recoveryEndsAt: until.toISOString(), basis: '电子招标投标办法 第三十一条' }, now);
    await scheduleJob(trx, { kind: RECOVERY_END_JOB, subjectId: room.lot_id, dueAt: until }, now);
    changed(room.lot_id);
    return;
  }
  for (const b of pending) {
    await trx.updateTable('bids').set({ decryption: 'revoked' }).where('id', '=', b.id).execute();
    await recordOpening(trx, 'bidding.bid_revoked', { type: 'bid', id: b.id }, null, { tenderId: b.tender_id, lotId: b.lot_id, bidderOrgId: b.bidder_org_id, basis: '电子招标投标办法 第三十一条：因投标人原因造成投标文件未解密的，视为撤销其投标文件' }, now);
  }
  await finishOpening(trx, ctx, room.lot_id, now);
});

registerJobHandler(RECOVERY_END_JOB, async (job, trx, ctx) => {
  const { now } = ctx;
  const room = await getRoom(trx, job.subjectId, true);
  if (!room || room.status !== 'recovery' || !room.recovery_ends_at) return;
  if (now.getTime() < room.recovery_ends_at.getTime()) return;
  await giveUpRecovery(trx, room.lot_id, now);
  await finishOpening(trx, ctx, room.lot_id, now);
});

/** Bids the escrow could not open: the platform's fault → 视为撤回 (电子招标投标办法 第三十一条). Shares are wiped. */
export async function giveUpRecovery(trx: Parameters<typeof lotBids>[0], lotId: string, now: Date): Promise<void> {
  for (const b of (await lotBids(trx, lotId, true)).filter((x) => x.decryption === 'recovering')) {
    await trx.updateTable('bids').set({ decryption: 'withdrawn' }).where('id', '=', b.id).execute();
    await trx.updateTable('bid_escrow_shares').set({ share: null }).where('bid_id', '=', b.id).execute();
    await recordOpening(trx, 'bidding.bid_unrecoverable', { type: 'bid', id: b.id }, null, { tenderId: b.tender_id, lotId: b.lot_id, bidderOrgId: b.bidder_org_id, basis: '电子招标投标办法 第三十一条：因电子招标投标交易平台原因造成投标文件未解密的，视为撤回其投标文件' }, now);
  }
}

registerJobHandler(OBJECTIONS_END_JOB, async (job, trx, { now }) => {
  await closeIfDone(trx, job.subjectId, now);
});
