import { scheduleJob } from '../../../platform/chronograph/jobs';
import { loadCalendar, type WorkingCalendar } from '../../../platform/calendar/index';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { createPublishedAnnouncement } from '../../announcements/index';
import { isTenderingProcedure } from '../policies/engine';
import type { ProcedurePolicy } from '../policies/types';
import { effectivePolicy, getLots, getTender, obtainerOrgIds, type LotRow, type TenderRow } from '../tendering.repo';
import { tenderNotFound } from '../tendering.policy';
import type { DeadlineChange } from '../tendering.tables';
import { registerLotDeposits } from './deposits';

export const BID_DEADLINE_JOB = 'tendering.bid_deadline';
export const OBJECTION_OVERDUE_JOB = 'tendering.objection_overdue';

export const access = (t: TenderRow) => ({
  status: t.status,
  ownerOrgId: t.owner_org_id,
  agencyOrgId: t.agency_org_id,
  industry: t.industry,
  regionCode: t.region_code,
});

export async function loadTender(
  trx: DbOrTx,
  id: string,
  forUpdate = true,
): Promise<{ tender: TenderRow; lots: LotRow[]; policy: ProcedurePolicy; cal: WorkingCalendar }> {
  const tender = await getTender(trx, id, forUpdate);
  if (!tender || !isTenderingProcedure(tender.procedure_type)) throw tenderNotFound();
  const [lots, policy, cal] = await Promise.all([
    getLots(trx, id, forUpdate),
    effectivePolicy(trx, tender.procedure_type),
    loadCalendar(trx),
  ]);
  return { tender, lots, policy, cal };
}

/** Ledger entry + outbox event about a tender, in the caller's transaction. */
export async function record(
  trx: DbOrTx,
  actorId: string | null,
  t: TenderRow,
  type: string,
  extra: Record<string, unknown>,
  now: Date,
  opts: { event?: boolean } = {},
) {
  const payload = { tenderId: t.id, projectId: t.project_id, procedureType: t.procedure_type, ...extra };
  const entry = await recordLedger(trx, { type, subjectType: 'tender', subjectId: t.id, actorId, payload }, now);
  if (opts.event !== false) await emitEvent(trx, { type, payload }, now);
  return entry;
}

/** The bidding lots whose deadline is still ahead or held (the documents are "live" while one exists). */
export function liveLots(lots: LotRow[]): LotRow[] {
  return lots.filter((l) => l.status === 'bidding');
}

export function assertBiddingLive(lots: LotRow[], now: Date, what: { zh: string; en: string }): LotRow[] {
  const live = liveLots(lots).filter((l) => l.bid_deadline.getTime() > now.getTime());
  if (!live.length) {
    throw new AppError(
      'TENDER_BIDDING_CLOSED',
      409,
      `投标截止时间已过或招标未在进行中，不能${what.zh}`,
      `The bid deadline has passed or bidding is not open: cannot ${what.en}`,
    );
  }
  return live;
}

const fmt = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
export const beijing = fmt;

/**
 * Move bid deadlines (the opening moves with them, 法 34): rows, the chronograph, and — where the policy publishes
 * one — a 变更公告 (change_notice) naming the tender notice; everyone who obtained the documents is told. Returns the
 * change notice id (null for procedures without public notices).
 */
export async function moveDeadlines(
  trx: DbOrTx,
  t: TenderRow,
  policy: ProcedurePolicy,
  changes: (DeadlineChange & { lotId: string })[],
  reason: { zh: string },
  actorId: string | null,
  now: Date,
): Promise<string | null> {
  if (!changes.length) return null;
  for (const c of changes) {
    const to = new Date(c.to);
    await trx
      .updateTable('tender_lots')
      .set({ bid_deadline: to, opening_at: to, deadline_held_at: null })
      .where('id', '=', c.lotId)
      .execute();
    await scheduleJob(trx, { kind: BID_DEADLINE_JOB, subjectId: c.lotId, dueAt: to, payload: { tenderId: t.id, lotNo: c.lotNo } }, now);
  }
  // The deposit records stay sealed until the new deadline (and guarantees must cover the longer validity).
  const moved = await trx.selectFrom('tender_lots').selectAll().where('id', 'in', changes.map((c) => c.lotId)).execute();
  await registerLotDeposits(trx, t, moved, now, actorId);
  const lines = changes
    .map((c) => `<li>标段 ${c.lotNo}：投标截止及开标时间由 ${fmt(new Date(c.from))} 变更为 ${fmt(new Date(c.to))}（北京时间）</li>`)
    .join('');
  let noticeId: string | null = null;
  if (policy.announcements.change && t.notice_id && t.publisher_org_id) {
    const a = await createPublishedAnnouncement(
      trx,
      {
        type: policy.announcements.change,
        title: `${t.title} 变更公告`.slice(0, 200),
        categoryCode: t.catalog_code,
        regionCode: t.region_code,
        projectId: t.project_id,
        bodyHtml: `<p>${escapeHtml(reason.zh)}</p><ul>${lines}</ul>`,
        relatedId: t.notice_id,
        publisherOrgId: t.publisher_org_id,
        actorId,
      },
      now,
    );
    noticeId = a.id;
  }
  const recipients = await activeAccountsOfOrgs(trx, await obtainerOrgIds(trx, t.id));
  await notify(
    trx,
    {
      accountIds: recipients,
      kind: 'tender.deadline_moved',
      title: { zh: `投标截止时间变更：${t.title}`, en: `Bid deadline moved: ${t.title}` },
      body: {
        zh: changes.map((c) => `标段 ${c.lotNo}：${fmt(new Date(c.to))}`).join('；'),
        en: changes.map((c) => `Lot ${c.lotNo}: ${new Date(c.to).toISOString()}`).join('; '),
      },
      link: `/workbench/tenders/${t.id}`,
    },
    now,
  );
  await trx.updateTable('tenders').set({ updated_at: now }).where('id', '=', t.id).execute();
  await record(
    trx,
    actorId,
    t,
    'tender.deadline_moved',
    { changes: changes.map(({ lotNo, from, to }) => ({ lotNo, from, to })), changeNoticeId: noticeId, reason: reason.zh },
    now,
  );
  return noticeId;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
