import { registerJobHandler, scheduleJob } from '../../platform/chronograph/jobs';
import { registerOutboxProcessor } from '../../platform/outbox/processors';
import { closeFinalOffers, concludeFinalOffers } from './commands/final-offers';
import { DECRYPTION_END_JOB, ensureNegotiation, FINAL_DEADLINE_JOB, load } from './commands/shared';

/**
 * Time in a negotiation (platform/chronograph; handlers decide from the current rows — a job may run late or twice):
 * - bidding.opening_closed (the opening of the first responses closed; the lot is `negotiating` where the policy
 *   has rounds) → the negotiation starts with the valid first responses (outbox processor; reads start it lazily too);
 * - the final-offer deadline → no offer: 视为退出; too few: the lot fails; else the decryption window opens;
 * - the decryption window ends → offers not decrypted do not count; enough left: evaluation, else the lot fails.
 */
registerOutboxProcessor({
  name: 'negotiation.start',
  types: ['bidding.opening_closed'],
  async handle(events, trx, ctx) {
    for (const e of events) await ensureNegotiation(trx, String(e.payload.lotId), ctx.clock.now());
  },
});

async function lotKey(trx: Parameters<typeof load>[0], lotId: string) {
  return trx.selectFrom('tender_lots').select(['tender_id', 'lot_no']).where('id', '=', lotId).executeTakeFirst();
}

registerJobHandler(FINAL_DEADLINE_JOB, async (job, trx, { now }) => {
  const k = await lotKey(trx, job.subjectId);
  if (!k) return;
  const x = await load(trx, k.tender_id, k.lot_no, now);
  if (x.lot.status !== 'negotiating') return;
  await closeFinalOffers(trx, x, now);
});

registerJobHandler(DECRYPTION_END_JOB, async (job, trx, { now }) => {
  const k = await lotKey(trx, job.subjectId);
  if (!k) return;
  const x = await load(trx, k.tender_id, k.lot_no, now);
  if (x.lot.status !== 'negotiating' || x.neg.stage !== 'decrypting' || !x.neg.decryption_ends_at) return;
  if (now.getTime() < x.neg.decryption_ends_at.getTime()) {
    await scheduleJob(trx, { kind: DECRYPTION_END_JOB, subjectId: x.lot.id, dueAt: x.neg.decryption_ends_at }, now);
    return;
  }
  await concludeFinalOffers(trx, x, now);
});
