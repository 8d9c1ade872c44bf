import { registerJobHandler, scheduleJob } from '../../platform/chronograph/jobs';
import { registerOutboxProcessor } from '../../platform/outbox/processors';
import { closeFinalOffers, concludeFinalOffers } from './commands/final-offers';
import { notify } from '../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../platform/notify/recipients';
import { DECRYPTION_END_JOB, ensureNegotiation, FINAL_DEADLINE_JOB, load } from './commands/shared';
import { participantsOf } from './negotiation.repo';
import { PRICED, yuan } from './negotiation.rules';

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

/**
 * 将结果通知所有参加谈判的未成交的供应商 (采购法 第三十八条（五）): the award module tells the suppliers it counts as valid
 * bidders (those with a final price); the ones who left the negotiation — eliminated, withdrawn, without a valid final
 * offer — are told here, once the award is made, with the public result (winner and price, as announced).
 */
registerOutboxProcessor({
  name: 'negotiation.result_to_leavers',
  types: ['award.awarded'],
  async handle(events, trx, ctx) {
    for (const e of events) {
      const lotId = String(e.payload.lotId);
      const neg = await trx.selectFrom('negotiations').select(['lot_id', 'tender_id']).where('lot_id', '=', lotId).executeTakeFirst();
      if (!neg) continue;
      const leavers = (await participantsOf(trx, lotId)).filter((p) => !PRICED.includes(p.status));
      if (!leavers.length) continue;
      const winner = await trx.selectFrom('organisations').select('name').where('id', '=', String(e.payload.winnerOrgId)).executeTakeFirst();
      const lot = await trx.selectFrom('tender_lots as l').innerJoin('tenders as t', 't.id', 'l.tender_id').select(['t.title', 'l.lot_no']).where('l.id', '=', lotId).executeTakeFirstOrThrow();
      const price = typeof e.payload.priceFen === 'number' ? yuan(e.payload.priceFen) : '';
      await notify(
        trx,
        {
          accountIds: await activeAccountsOfOrgs(trx, leavers.map((p) => p.bidder_org_id)),
          kind: 'negotiation.result',
          title: { zh: `成交结果通知：${lot.title} 标段${lot.lot_no}`, en: `Result: ${lot.title} lot ${lot.lot_no}` },
          body: { zh: `本项目成交供应商为 ${winner?.name ?? ''}，成交价 ${price} 元（政府采购法第三十八条）。`, en: `The supplier chosen is ${winner?.name ?? ''}, at ${price} yuan.` },
          link: e.payload.resultNoticeId ? `/portal/announcements/${String(e.payload.resultNoticeId)}` : null,
        },
        ctx.clock.now(),
      );
    }
  },
});

registerJobHandler(FINAL_DEADLINE_JOB, async (job, trx, { now, config }) => {
  const k = await lotKey(trx, job.subjectId);
  if (!k) return;
  const x = await load(trx, k.tender_id, k.lot_no, now);
  if (x.lot.status !== 'negotiating') return;
  await closeFinalOffers(trx, x, now, config.ocidPrefix);
});

registerJobHandler(DECRYPTION_END_JOB, async (job, trx, { now, config }) => {
  const k = await lotKey(trx, job.subjectId);
  if (!k) return;
  const x = await load(trx, k.tender_id, k.lot_no, now);
  if (x.lot.status !== 'negotiating' || x.neg.stage !== 'decrypting' || !x.neg.decryption_ends_at) return;
  if (now.getTime() < x.neg.decryption_ends_at.getTime()) {
    await scheduleJob(trx, { kind: DECRYPTION_END_JOB, subjectId: x.lot.id, dueAt: x.neg.decryption_ends_at }, now);
    return;
  }
  await concludeFinalOffers(trx, x, now, config.ocidPrefix);
});
