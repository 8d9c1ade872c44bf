import { cancelJob } from '../../../platform/chronograph/jobs';
import type { DbOrTx, Tx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { appendLedger } from '../../../platform/ledger/append';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { emitEvent } from '../../../platform/outbox/emit';
import { createPublishedAnnouncement } from '../../announcements/index';
import { awardProcessSnapshot, validBidsOf } from '../../award/index';
import { recordOcdsRelease } from '../../opendata/index';
import { startRefunds } from '../../deposits/index';
import { assertLotTransition, effectivePolicy, type Period, type ProcedurePolicy, type TenderingProcedure } from '../../tendering/index';
import { locate, type Located } from '../negotiation.policy';
import { bumpNegotiation, getNegotiation, participantsOf, type NegotiationRow } from '../negotiation.repo';
import { MIN_FINAL_OFFERS, PRICED } from '../negotiation.rules';
import type { NegotiationStage } from '../negotiation.tables';

export const FINAL_DEADLINE_JOB = 'negotiation.final_offer_deadline';
export const DECRYPTION_END_JOB = 'negotiation.decryption_end';

export const KIND_ZH = { negotiation: '谈判', consultation: '磋商', single_source: '协商' } as const;

/** Ledger entry about the lot + outbox event, in the caller's transaction. */
export async function record(trx: DbOrTx, actorId: string | null, l: Located, type: string, extra: Record<string, unknown>, now: Date) {
  const payload = { tenderId: l.tender.id, lotId: l.lot.id, lotNo: l.lot.lot_no, procedureType: l.tender.procedure_type, ...extra };
  const entry = await appendLedger(trx, { type, subjectType: 'tender_lot', subjectId: l.lot.id, actorId, payload }, now);
  await emitEvent(trx, { type, payload, ledgerSeq: entry.seq }, now);
  return entry;
}

/** In-app notification (and the outward channels) to every active account of these organisations. */
export async function tell(
  trx: DbOrTx,
  orgIds: (string | null)[],
  kind: string,
  title: { zh: string; en: string },
  body: { zh: string; en: string },
  link: string,
  now: Date,
) {
  await notify(trx, { accountIds: await activeAccountsOfOrgs(trx, orgIds), kind, title, body, link }, now);
}

export const partiesOf = (l: Located) => [l.tender.owner_org_id, l.tender.agency_org_id];
export const supplierLink = (l: Located) => `/workbench/bids/${l.tender.id}/lots/${l.lot.lot_no}/negotiation`;
export const operatorLink = (l: Located) => `/workbench/tenders/${l.tender.id}`;

/**
 * The lot entered `negotiating` (the opening closed, tendering.machine afterOpeningEvent): create its negotiation with
 * the suppliers whose first responses were valid at the opening. Idempotent — the outbox may deliver twice and reads
 * call it when the event has not been processed yet.
 */
export async function ensureNegotiation(trx: Tx, lotId: string, now: Date): Promise<NegotiationRow | undefined> {
  const existing = await getNegotiation(trx, lotId, true);
  if (existing) return existing;
  const peek = await trx.selectFrom('tender_lots').select(['tender_id', 'lot_no', 'status']).where('id', '=', lotId).executeTakeFirst();
  if (!peek || peek.status !== 'negotiating') return undefined;
  const l = await locate(trx, peek.tender_id, peek.lot_no, true);
  if (l.lot.status !== 'negotiating' || (await getNegotiation(trx, lotId))) return getNegotiation(trx, lotId, true);
  const { bids } = await validBidsOf(trx, { tenderId: l.tender.id, lotId, lotNo: l.lot.lot_no });
  await trx
    .insertInto('negotiations')
    .values({
      lot_id: lotId,
      tender_id: l.tender.id,
      kind: l.kind,
      stage: 'rounds',
      started_at: now,
      min_final_offers: MIN_FINAL_OFFERS[l.kind].value,
      min_exception: null,
      min_exception_note: null,
      price_weight_percent: null,
      final_called_at: null,
      final_called_by: null,
      final_deadline: null,
      decryption_ends_at: null,
      agreed_price_fen: null,
      agreed_terms: null,
      agreement_record_file_id: null,
      agreement_proposed_at: null,
      agreement_proposed_by: null,
      agreement_confirmed_at: null,
      agreement_confirmed_by: null,
      concluded_at: null,
      failed_reason: null,
      updated_at: now,
    })
    .execute();
  if (bids.length) {
    await trx
      .insertInto('negotiation_participants')
      .values(
        bids.map((b) => ({
          lot_id: lotId,
          bidder_org_id: b.bidderOrgId,
          first_bid_id: b.bidId,
          first_price_fen: b.priceFen,
          first_submitted_at: b.submittedAt,
          status: 'active' as const,
          status_reason: null,
          status_at: now,
          final_price_fen: null,
        })),
      )
      .execute();
  }
  await record(trx, null, l, 'negotiation.started', { kind: l.kind, participants: bids.map((b) => b.bidderOrgId) }, now);
  const what = KIND_ZH[l.kind];
  for (const b of bids) {
    await tell(
      trx,
      [b.bidderOrgId],
      'negotiation.started',
      { zh: `进入${what}阶段：${l.tender.title} 标段${l.lot.lot_no}`, en: `Negotiation stage: ${l.tender.title} lot ${l.lot.lot_no}` },
      {
        zh: `贵单位的首次响应文件已开启，${what}小组将与贵单位分别进行${what}。请留意${what}记录与书面变更通知。`,
        en: 'Your first response has been opened; the panel will negotiate with you separately. Watch for minutes and written change notices.',
      },
      supplierLink(l),
      now,
    );
  }
  return getNegotiation(trx, lotId, true);
}

export interface Loaded extends Located {
  neg: NegotiationRow;
  policy: ProcedurePolicy;
}

/**
 * Load for a command, locking in the tendering order (tender, then lot), then the negotiation row. The lot must still
 * be negotiating: a lot failed or terminated through the award module ends its negotiation too.
 */
export async function load(trx: Tx, tenderId: string, lotNo: number, now: Date): Promise<Loaded> {
  const l = await locate(trx, tenderId, lotNo, true);
  const neg = (await ensureNegotiation(trx, l.lot.id, now)) ?? (await getNegotiation(trx, l.lot.id, true));
  if (!neg) throw notNegotiating(l);
  if (l.lot.status !== 'negotiating') {
    if (!['concluded', 'failed', 'ended'].includes(neg.stage)) {
      await bumpNegotiation(trx, l.lot.id, { stage: 'ended' }, now);
      neg.stage = 'ended';
    }
  }
  return { ...l, neg, policy: await effectivePolicy(trx, l.tender.procedure_type as TenderingProcedure) };
}

export function notNegotiating(l: Located) {
  return new AppError(
    'NEGOTIATION_NOT_OPEN',
    409,
    `标段${l.lot.lot_no}当前状态为 ${l.lot.status}，不在谈判（磋商、协商）阶段`,
    `Lot ${l.lot.lot_no} is ${l.lot.status}, not in the negotiation stage`,
    'lotNo',
  );
}

export function assertStage(x: Loaded, stages: NegotiationStage[], what: { zh: string; en: string }): void {
  if (x.lot.status !== 'negotiating' && x.neg.stage !== 'concluded') throw notNegotiating(x);
  if (!stages.includes(x.neg.stage)) {
    throw new AppError(
      'NEGOTIATION_WRONG_STAGE',
      409,
      `当前阶段为 ${x.neg.stage}，不能${what.zh}`,
      `The negotiation is at stage ${x.neg.stage}: cannot ${what.en}`,
      'stage',
      { stage: x.neg.stage },
    );
  }
}

export function refundPeriodOf(p: Period): { n: number; unit: 'calendar_day' | 'working_day' } {
  return { n: p.n, unit: p.unit === 'day' ? 'calendar_day' : 'working_day' };
}

/**
 * A supplier left the procedure before the final offer (退出谈判, 74号令 第三十四条; eliminated, or 视为退出 without a final
 * offer): its deposit is released or refunded now — the statute orders it for those who withdraw, and a supplier that
 * can no longer be chosen has nothing left to secure. startRefunds is idempotent.
 */
export async function refundLeaver(trx: Tx, x: Loaded, orgId: string, reason: string, actorId: string | null, now: Date) {
  await startRefunds(
    trx,
    { tenderId: x.tender.id, lotId: x.lot.id, bidders: { only: [orgId] }, reason, basisAt: now, period: refundPeriodOf(x.policy.periods.refundLosers), actorId },
    now,
  );
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Too few suppliers left at the final offers: the lot fails (74号令 第三十七条（三）; 214号文 第三十四条（三）) as a lot
 * failing at the opening does (bidding/opening.room.ts): status via the tendering machine, the policy's 流标/废标公告
 * linked to the tender notice, every deposit of the lot refunded or released, everyone told, ledgered with the
 * re-procurement path (award module: POST …/retender).
 */
export async function failLot(trx: Tx, x: Loaded, reason: string, now: Date, ocidPrefix: string): Promise<void> {
  const { tender, lot, policy } = x;
  await bumpNegotiation(trx, lot.id, { stage: 'failed', failed_reason: reason }, now);
  x.neg.stage = 'failed';
  const to = assertLotTransition(lot.status, 'fail', lot.lot_no);
  await trx.updateTable('tender_lots').set({ status: to, status_changed_at: now }).where('id', '=', lot.id).execute();
  lot.status = to;
  await cancelJob(trx, FINAL_DEADLINE_JOB, lot.id, now);
  await cancelJob(trx, DECRYPTION_END_JOB, lot.id, now);
  let failureNoticeId: string | null = null;
  if (policy.announcements.failure && tender.publisher_org_id) {
    const n = await createPublishedAnnouncement(
      trx,
      {
        type: policy.announcements.failure,
        title: `${tender.title} 标段${lot.lot_no} 终止公告（${KIND_ZH[x.kind]}失败）`.slice(0, 200),
        categoryCode: tender.catalog_code,
        regionCode: tender.region_code,
        projectId: tender.project_id,
        relatedId: tender.notice_id ?? null,
        bodyHtml: `<p>${esc(lot.name)}：${esc(reason)}。</p><p>采购人将依法重新开展采购活动，另行发布公告。已收取的保证金依法退还。</p>`,
        publisherOrgId: tender.publisher_org_id,
        actorId: null,
      },
      now,
    );
    failureNoticeId = n.id;
  }
  await startRefunds(
    trx,
    { tenderId: tender.id, lotId: lot.id, bidders: {}, reason: 'lot_failed', basisAt: now, period: refundPeriodOf(policy.periods.refundLosers), actorId: null },
    now,
  );
  const everyone = (await participantsOf(trx, lot.id)).map((p) => p.bidder_org_id);
  await tell(
    trx,
    [...everyone, ...partiesOf(x)],
    'negotiation.failed',
    { zh: `采购失败：${tender.title} 标段${lot.lot_no}`, en: `Procurement failed: ${tender.title} lot ${lot.lot_no}` },
    { zh: reason.slice(0, 500), en: 'Too few suppliers remained at the final offers; the purchaser will procure again.' },
    failureNoticeId ? `/portal/announcements/${failureNoticeId}` : operatorLink(x),
    now,
  );
  await record(trx, null, x, 'negotiation.failed', { reason, failureNoticeId }, now);
  // Open data: the lot is unsuccessful (the award module's snapshot of what is public now; no bids of a negotiation).
  if (tender.status === 'published') {
    await recordOcdsRelease(trx, { prefix: ocidPrefix, snapshot: await awardProcessSnapshot(trx, tender, now), tags: ['tenderUpdate'], actorId: null }, now);
  }
  const e = await appendLedger(
    trx,
    {
      type: 'tender.lot_failed',
      subjectType: 'tender',
      subjectId: tender.id,
      actorId: null,
      payload: { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no, reason, failureNoticeId, retender: `POST /api/award/tenders/${tender.id}/lots/${lot.lot_no}/retender` },
    },
    now,
  );
  await emitEvent(trx, { type: 'tender.lot_failed', payload: { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no, reason, failureNoticeId }, ledgerSeq: e.seq }, now);
}

/**
 * The negotiation is over with enough priced suppliers: the lot goes on to evaluation (tendering machine `negotiated`),
 * where the evaluation seam (award) takes the final prices from this module's bids source (negotiation.source.ts).
 * Each supplier still in is told only that its own offer counts — not who else is in.
 */
export async function concludeLot(trx: Tx, x: Loaded, actorId: string | null, now: Date): Promise<void> {
  const { lot } = x;
  const to = assertLotTransition(lot.status, 'negotiated', lot.lot_no);
  await trx.updateTable('tender_lots').set({ status: to, status_changed_at: now }).where('id', '=', lot.id).execute();
  lot.status = to;
  await bumpNegotiation(trx, lot.id, { stage: 'concluded', concluded_at: now }, now);
  x.neg.stage = 'concluded';
  const priced = (await participantsOf(trx, lot.id)).filter((p) => PRICED.includes(p.status));
  await record(trx, actorId, x, 'negotiation.concluded', { kind: x.kind, priced: priced.map((p) => ({ bidderOrgId: p.bidder_org_id, priceFen: p.final_price_fen })) }, now);
  await tell(
    trx,
    priced.map((p) => p.bidder_org_id),
    'negotiation.concluded',
    { zh: `${KIND_ZH[x.kind]}结束，进入评审：${x.tender.title} 标段${lot.lot_no}`, en: `Negotiation over, evaluation next: ${x.tender.title} lot ${lot.lot_no}` },
    { zh: '贵单位的最后报价（商定价格）有效，成交结果将另行通知并公告。', en: 'Your final (agreed) price stands; the result will be notified and announced.' },
    supplierLink(x),
    now,
  );
  await tell(
    trx,
    partiesOf(x),
    'negotiation.concluded',
    { zh: `${KIND_ZH[x.kind]}结束，可录入评审结果：${x.tender.title} 标段${lot.lot_no}`, en: `Negotiation over: enter the evaluation result for ${x.tender.title} lot ${lot.lot_no}` },
    { zh: `有效最后报价 ${priced.length} 家。`, en: `${priced.length} valid final price(s).` },
    operatorLink(x),
    now,
  );
}
