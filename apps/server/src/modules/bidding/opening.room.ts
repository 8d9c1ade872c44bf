import { scheduleJob } from '../../platform/chronograph/jobs';
import type { AppContext } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { recordLedger } from '../../platform/ledger/append';
import { emitEvent } from '../../platform/outbox/emit';
import { createPublishedAnnouncement } from '../announcements/index';
import { depositStatus } from '../deposits/index';
import { recordOcdsRelease, type ProcessSnapshot } from '../opendata/index';
import { afterOpeningEvent, assertLotTransition, effectivePolicy, engine, getLotById, getLots, getTender, type LotRow, type TenderRow } from '../tendering/index';
import { bumpRoom, getRoom, lotBids, type LotBidRow } from './bidding.repo';
import { changed } from './opening.live';

export const WINDOW_END_JOB = 'bidding.window_end';
export const RECOVERY_END_JOB = 'bidding.recovery_end';
export const OBJECTIONS_END_JOB = 'bidding.objections_end';
/** Escrow recovery after a declared platform incident: custodians have this long after the decryption window. */
export const RECOVERY_MINUTES = 60;
/** 开标现场异议: bidders object on the spot, within this many minutes of the opening record (条例 44). */
export const OBJECTION_MINUTES = 15;

const addMin = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

async function ledger(trx: DbOrTx, type: string, subject: { type: string; id: string }, actorId: string | null, payload: Record<string, unknown>, now: Date) {
  const e = await recordLedger(trx, { type, subjectType: subject.type, subjectId: subject.id, actorId, payload }, now);
  await emitEvent(trx, { type, payload }, now);
  return e;
}
export { ledger as recordOpening };

/**
 * The lot reached its opening (tendering's chronograph moved it to `opening`): open the room. Idempotent — the
 * outbox may deliver twice, and reads call it too when the event has not been processed yet. Fewer bids than the
 * policy's minimum: no opening at all (招标投标法实施条例 第四十四条：投标人少于3个的，不得开标；政府采购法 第三十六条).
 */
export async function ensureRoom(trx: DbOrTx, ctx: Pick<AppContext, 'config'>, lotId: string, now: Date): Promise<void> {
  const lot = await getLotById(trx, lotId, true);
  if (!lot || lot.status !== 'opening' || (await getRoom(trx, lotId))) return;
  const tender = (await getTender(trx, lot.tender_id))!;
  if (!engine.isTenderingProcedure(tender.procedure_type)) return;
  const policy = await effectivePolicy(trx, tender.procedure_type);
  const bids = await lotBids(trx, lotId);
  const windowEnds = addMin(now, policy.periods.decryptionWindowMinutes.value);
  await trx
    .insertInto('bid_openings')
    .values({ lot_id: lotId, tender_id: tender.id, status: 'decrypting', opened_at: now, window_ends_at: windowEnds, recovery_ends_at: null, min_bidders: policy.minBidders.value, incident_at: null, incident_by: null, incident_reason: null, record_published_at: null, record_announcement_id: null, record: null, objections_until: null, failed_reason: null, updated_at: now })
    .execute();
  await ledger(trx, 'bidding.opening_started', { type: 'tender_lot', id: lotId }, null, { tenderId: tender.id, lotId, lotNo: lot.lot_no, bids: bids.map((b) => ({ bidId: b.id, bidderOrgId: b.bidder_org_id, sha256: b.sha256 })), windowEndsAt: windowEnds.toISOString() }, now);
  if (bids.length < policy.minBidders.value) {
    await finishOpening(trx, ctx, lotId, now, { tooFewToOpen: true });
    return;
  }
  await scheduleJob(trx, { kind: WINDOW_END_JOB, subjectId: lotId, dueAt: windowEnds }, now);
  changed(lotId);
}

export interface OpeningRecordRow {
  bidId: string;
  bidder: { orgId: string; name: string; uscc: string | null };
  receivedAt: string;
  priceFen: number | null;
  durationDays: number | null;
  quality: string | null;
  deposit: { kind: string | null; ref: string | null; status: string; by: string | null };
  decryption: string;
}

async function recordRows(trx: DbOrTx, tender: TenderRow, lot: LotRow, bids: LotBidRow[], cashAllowed: boolean): Promise<OpeningRecordRow[]> {
  const rows: OpeningRecordRow[] = [];
  for (const b of bids) {
    const d = await depositStatus(trx, { tenderId: tender.id, lotId: lot.id, bidderOrgId: b.bidder_org_id, requiredFen: lot.deposit_fen, cashAllowed, asOf: lot.bid_deadline });
    rows.push({
      bidId: b.id,
      bidder: { orgId: b.bidder_org_id, name: b.bidder_name, uscc: b.bidder_uscc },
      receivedAt: b.received_at.toISOString(),
      priceFen: b.price_fen,
      durationDays: b.duration_days,
      quality: b.quality,
      deposit: { kind: b.deposit_kind, ref: b.deposit_ref, status: d.status, by: d.by },
      decryption: b.decryption,
    });
  }
  return rows;
}

const yuan = (fen: number | null) => (fen === null ? '—' : (fen / 100).toFixed(2));
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const DECRYPTION_ZH: Record<string, string> = { decrypted: '解密成功', recovered: '密钥托管恢复解密', revoked: '未解密，视为撤销投标文件', withdrawn: '平台原因未能解密，视为撤回投标文件', pending: '未解密' };
const DEPOSIT_ZH: Record<string, string> = { satisfied: '已缴纳', missing: '未缴纳', insufficient: '不足' };

function recordHtml(lot: LotRow, rows: OpeningRecordRow[], failed: string | null): string {
  const tr = rows
    .map((r, i) => `<tr><td>${i + 1}</td><td>${esc(r.bidder.name)}</td><td>${yuan(r.priceFen)}</td><td>${r.durationDays ?? '—'}</td><td>${esc(r.quality ?? '—')}</td><td>${DEPOSIT_ZH[r.deposit.status] ?? r.deposit.status}</td><td>${DECRYPTION_ZH[r.decryption] ?? r.decryption}</td></tr>`)
    .join('');
  return (
    `<p>标段 ${lot.lot_no}（${esc(lot.name)}）开标记录</p>` +
    `<table><thead><tr><th>序号</th><th>投标人</th><th>投标报价（元）</th><th>工期（日）</th><th>质量</th><th>投标保证金</th><th>解密结果</th></tr></thead><tbody>${tr}</tbody></table>` +
    (failed ? `<p>${esc(failed)}</p>` : '')
  );
}

async function ocdsSnapshot(trx: DbOrTx, tender: TenderRow, policyName: string, invitational: boolean, rows: OpeningRecordRow[], openedAt: Date): Promise<ProcessSnapshot> {
  const orgs = await trx.selectFrom('organisations').select(['id', 'name', 'uscc', 'region_code']).where('id', 'in', [tender.owner_org_id, ...(tender.agency_org_id ? [tender.agency_org_id] : [])]).execute();
  const org = (id: string) => orgs.find((o) => o.id === id)!;
  const lots = await getLots(trx, tender.id);
  const lotIdByBid = new Map((await trx.selectFrom('bids').select(['id', 'lot_id']).where('tender_id', '=', tender.id).where('status', '=', 'submitted').execute()).map((b) => [b.id, b.lot_id]));
  // Every lot opened so far shows its bids (a release is a full snapshot of what is public).
  const opened = await trx.selectFrom('bid_openings').select(['lot_id', 'record']).where('tender_id', '=', tender.id).where('record', 'is not', null).execute();
  const allRows = [...opened.flatMap((o) => (typeof o.record === 'string' ? JSON.parse(o.record) : o.record).bids as OpeningRecordRow[]), ...rows];
  const seen = new Set<string>();
  const unique = allRows.filter((r) => !seen.has(r.bidId) && seen.add(r.bidId));
  return {
    processId: tender.id,
    title: tender.title,
    status: 'active',
    procurementMethod: invitational ? 'selective' : 'open',
    procurementMethodDetails: policyName,
    buyer: { orgId: tender.owner_org_id, name: org(tender.owner_org_id).name },
    procuringEntity: tender.agency_org_id ? { orgId: tender.agency_org_id, name: org(tender.agency_org_id).name } : null,
    parties: [
      { orgId: tender.owner_org_id, name: org(tender.owner_org_id).name, uscc: org(tender.owner_org_id).uscc, roles: ['buyer'], regionCode: tender.region_code },
      ...(tender.agency_org_id ? [{ orgId: tender.agency_org_id, name: org(tender.agency_org_id).name, uscc: org(tender.agency_org_id).uscc, roles: ['procuringEntity'] }] : []),
      ...[...new Map(unique.map((r) => [r.bidder.orgId, r.bidder])).values()].map((b) => ({ orgId: b.orgId, name: b.name, uscc: b.uscc, roles: ['tenderer'] })),
    ],
    lots: lots.map((l) => ({ id: l.id, title: l.name, valueFen: l.estimate_fen })),
    tenderPeriod: { start: tender.published_at, end: lots.map((l) => l.bid_deadline).sort((a, b) => a.getTime() - b.getTime())[0] ?? null },
    openedAt,
    bids: unique.map((r) => ({
      id: r.bidId,
      date: new Date(r.receivedAt),
      status: r.decryption === 'decrypted' || r.decryption === 'recovered' ? ('valid' as const) : ('withdrawn' as const),
      bidder: { orgId: r.bidder.orgId, name: r.bidder.name },
      priceFen: r.priceFen,
      lotIds: [lotIdByBid.get(r.bidId) ?? ''],
    })),
  };
}

/**
 * Draw up the opening record (开标记录: bidder, price, duration, quality, deposit status, decryption result), publish
 * it to the bidders (an `opening_record` announcement where the policy publishes one) and as an OCDS tenderUpdate
 * release. Fewer valid bids than the policy's minimum → the lot fails (条例 44 / 采购法 36) and must be re-tendered;
 * otherwise the bidders may object on the spot for OBJECTION_MINUTES.
 */
export async function finishOpening(trx: DbOrTx, ctx: Pick<AppContext, 'config'>, lotId: string, now: Date, opts: { tooFewToOpen?: boolean } = {}): Promise<void> {
  const room = (await getRoom(trx, lotId, true))!;
  const lot = (await getLotById(trx, lotId, true))!;
  const tender = (await getTender(trx, lot.tender_id))!;
  if (!engine.isTenderingProcedure(tender.procedure_type)) return;
  const policy = await effectivePolicy(trx, tender.procedure_type);
  const bids = await lotBids(trx, lotId);
  const rows = await recordRows(trx, tender, lot, bids, policy.deposit.cashAllowed);
  const valid = rows.filter((r) => r.decryption === 'decrypted' || r.decryption === 'recovered').length;
  const failed = opts.tooFewToOpen || valid < room.min_bidders;
  const reason = opts.tooFewToOpen
    ? `投标人少于${room.min_bidders}个，不得开标；招标人应当依法重新招标（${policy.minBidders.basis}）`
    : failed
      ? `有效投标不足${room.min_bidders}个（${valid}个），本标段招标失败，应当依法重新招标（${policy.minBidders.basis}）`
      : null;
  const record = { lotId, lotNo: lot.lot_no, lotName: lot.name, openedAt: room.opened_at.toISOString(), closedAt: now.toISOString(), minBidders: room.min_bidders, validBids: valid, failed, reason, bids: opts.tooFewToOpen ? rows.map((r) => ({ ...r, priceFen: null, durationDays: null, quality: null })) : rows };
  let announcementId: string | null = null;
  // Negotiation procedures (竞争性谈判, 竞争性磋商, 单一来源) do not read the first responses out: the parties negotiate on
  // them and "谈判的任何一方不得透露与谈判有关的其他供应商的技术资料、价格和其他信息" (采购法 第三十八条（四）). The record is
  // drawn up and ledgered for the parties and overseers; the bidders see only their own row, nothing is published.
  const discreet = policy.negotiationRounds.value;
  if (policy.announcements.opening && tender.publisher_org_id && !discreet) {
    const a = await createPublishedAnnouncement(
      trx,
      { type: policy.announcements.opening, title: `${tender.title} 标段${lot.lot_no} 开标记录`.slice(0, 200), categoryCode: tender.catalog_code, regionCode: tender.region_code, projectId: tender.project_id, bodyHtml: recordHtml(lot, record.bids, reason), publisherOrgId: tender.publisher_org_id, actorId: null },
      now,
    );
    announcementId = a.id;
  }
  await bumpRoom(
    trx,
    lotId,
    { status: failed ? 'failed' : 'objections', record: JSON.stringify(record), record_published_at: now, record_announcement_id: announcementId, objections_until: addMin(now, OBJECTION_MINUTES), failed_reason: reason },
    now,
  );
  if (record.bids.length && !discreet) await recordOcdsRelease(trx, { prefix: ctx.config.ocidPrefix, snapshot: await ocdsSnapshot(trx, tender, policy.nameZh, policy.invitational, record.bids, room.opened_at), tags: ['tenderUpdate'] }, now);
  await ledger(trx, 'bidding.opening_record', { type: 'tender_lot', id: lotId }, null, { tenderId: tender.id, record, announcementId }, now);
  if (failed) {
    const to = assertLotTransition(lot.status, 'fail', lot.lot_no);
    await trx.updateTable('tender_lots').set({ status: to, status_changed_at: now }).where('id', '=', lotId).execute();
    // 流标/废标公告: the public learns the lot failed and why, linked to the tender notice (the re-tender follows).
    let failureNoticeId: string | null = null;
    if (policy.announcements.failure && tender.publisher_org_id) {
      const n = await createPublishedAnnouncement(
        trx,
        {
          type: policy.announcements.failure,
          title: `${tender.title} 标段${lot.lot_no} 流标公告`.slice(0, 200),
          categoryCode: tender.catalog_code,
          regionCode: tender.region_code,
          projectId: tender.project_id,
          relatedId: tender.notice_id ?? null,
          bodyHtml: `<p>${esc(lot.name)}：${esc(reason!)}。</p><p>招标人将依法重新招标，另行发布公告。</p>`,
          publisherOrgId: tender.publisher_org_id,
          actorId: null,
        },
        now,
      );
      failureNoticeId = n.id;
    }
    await ledger(trx, 'tender.lot_failed', { type: 'tender', id: tender.id }, null, { tenderId: tender.id, lotId, lotNo: lot.lot_no, reason, failureNoticeId, retender: 'POST /api/tendering/tenders (a new tender of the same project)' }, now);
  } else {
    await scheduleJob(trx, { kind: OBJECTIONS_END_JOB, subjectId: lotId, dueAt: addMin(now, OBJECTION_MINUTES) }, now);
  }
  changed(lotId);
}

/** The opening is over once the objection window has passed and every objection is answered: evaluation follows. */
export async function closeIfDone(trx: DbOrTx, lotId: string, now: Date): Promise<boolean> {
  const room = await getRoom(trx, lotId, true);
  if (!room || room.status !== 'objections' || !room.objections_until || now.getTime() < room.objections_until.getTime()) return false;
  const open = await trx.selectFrom('bid_opening_objections').select('id').where('lot_id', '=', lotId).where('answered_at', 'is', null).executeTakeFirst();
  if (open) return false;
  const lot = (await getLotById(trx, lotId, true))!;
  const tender = (await getTender(trx, lot.tender_id))!;
  // Evaluation follows, or first the negotiation rounds where the policy has them (negotiation module).
  const event = engine.isTenderingProcedure(tender.procedure_type) ? afterOpeningEvent(await effectivePolicy(trx, tender.procedure_type)) : 'opened';
  const to = assertLotTransition(lot.status, event, lot.lot_no);
  await trx.updateTable('tender_lots').set({ status: to, status_changed_at: now }).where('id', '=', lotId).execute();
  await bumpRoom(trx, lotId, { status: 'closed' }, now);
  await ledger(trx, 'bidding.opening_closed', { type: 'tender_lot', id: lotId }, null, { tenderId: lot.tender_id, lotId }, now);
  changed(lotId);
  return true;
}
