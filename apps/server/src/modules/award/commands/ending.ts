import type { Actor } from '../../../platform/auth/actor';
import { cancelJob } from '../../../platform/chronograph/jobs';
import type { AppContext } from '../../../platform/context';
import { Errors } from '../../../platform/http/errors';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { createPublishedAnnouncement } from '../../announcements/index';
import { startRefunds } from '../../deposits/index';
import { BID_DEADLINE_JOB, getLots } from '../../tendering/index';
import { getEnding } from '../award.repo';
import { refundPeriod } from '../award.rules';
import { assertOperates } from '../award.policy';
import { validBidsOf } from '../award.seams';
import { releaseFor } from '../award.snapshot';
import { escapeHtml, loadLot, moveLot, publisherOf, record } from './shared';

const WHAT = {
  terminated: { zh: '终止招标', en: 'terminate', notice: '终止公告', basis: '招标投标法实施条例 第三十一条' },
  failed: { zh: '流标/废标', en: 'declare failed', notice: '流标/废标公告', basis: '招标投标法实施条例 第四十四条；政府采购法 第三十六条' },
} as const;

/**
 * End a lot before the award: 终止招标 (条例 31: announce it, refund documents fees and deposits with interest) or
 * 流标/废标 (fewer valid bids than the minimum, every bid rejected, …). Publishes the policy's announcement — the
 * termination notice names the tender notice it ends — tells everyone who obtained the documents or bid, starts the
 * refunds of every deposit of the lot, records the OCDS release (tenderCancellation once the whole process is
 * cancelled, tenderUpdate otherwise). The lot can then be re-tendered (commands/retender.ts).
 */
export async function endLot(ctx: AppContext, actor: Actor, lotId: string, body: { kind: 'terminated' | 'failed'; reason: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { tender, lot, policy } = await loadLot(trx, lotId);
    const bidders = (
      await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no }).catch(() => ({ bids: [] }))
    ).bids.map((b) => b.bidderOrgId);
    assertOperates(actor, tender, bidders);
    if (await getEnding(trx, lot.id)) throw Errors.conflict('AWARD_LOT_ENDED', '该标段已终止或流标', 'This lot has already ended');
    const w = WHAT[body.kind];
    await moveLot(trx, lot, body.kind === 'terminated' ? 'terminate' : 'fail', now);
    await cancelJob(trx, BID_DEADLINE_JOB, lot.id, now);
    const type = body.kind === 'terminated' ? policy.announcements.termination : policy.announcements.failure;
    // A termination notice must name the announcement it ends: the tender notice (invitational procedures have none).
    const canPublish = type && tender.status === 'published' && (type !== 'termination_notice' || tender.notice_id);
    const notice = canPublish
      ? await createPublishedAnnouncement(
          trx,
          {
            type,
            title: `${tender.title} 标段${lot.lot_no} ${w.notice}`.slice(0, 200),
            categoryCode: tender.catalog_code,
            regionCode: tender.region_code,
            projectId: tender.project_id,
            bodyHtml: `<p>${escapeHtml(lot.name)}${body.kind === 'terminated' ? '终止招标' : '流标/废标'}。</p><p>原因：${escapeHtml(body.reason)}</p><p>已收取的投标保证金将按规定退还（${w.basis}）。</p>`,
            relatedId: type === 'termination_notice' ? tender.notice_id : null,
            publisherOrgId: publisherOf(tender),
            actorId: actor.accountId,
          },
          now,
        )
      : null;
    await trx
      .insertInto('award_endings')
      .values({
        lot_id: lot.id,
        tender_id: tender.id,
        kind: body.kind,
        reason: body.reason,
        ended_at: now,
        ended_by: actor.accountId,
        notice_id: notice?.id ?? null,
      })
      .execute();
    const obtainers = (await trx.selectFrom('tender_obtains').select('org_id').where('tender_id', '=', tender.id).execute()).map(
      (r) => r.org_id,
    );
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [...new Set([...obtainers, ...bidders])]),
        kind: `award.lot_${body.kind}`,
        title: { zh: `${w.zh}：${tender.title} 标段${lot.lot_no}`, en: `Lot ${body.kind}: ${tender.title} lot ${lot.lot_no}` },
        body: { zh: body.reason.slice(0, 500), en: body.reason.slice(0, 500) },
        link: notice ? `/portal/announcements/${notice.id}` : `/workbench/tenders/${tender.id}`,
      },
      now,
    );
    const refunds = await startRefunds(
      trx,
      {
        tenderId: tender.id,
        lotId: lot.id,
        bidders: {},
        reason: `lot_${body.kind}`,
        basisAt: now,
        period: refundPeriod(policy.periods.refundLosers),
        actorId: actor.accountId,
      },
      now,
    );
    await record(trx, actor.accountId, tender, lot, `award.lot_${body.kind}`, { reason: body.reason, noticeId: notice?.id ?? null }, now);
    if (tender.status === 'published') {
      const all = await getLots(trx, tender.id);
      const cancelled = all.every((l) => l.status === 'terminated');
      await releaseFor(trx, ctx.config.ocidPrefix, tender, [cancelled ? 'tenderCancellation' : 'tenderUpdate'], actor.accountId, now);
    }
    return { noticeId: notice?.id ?? null, refunds: refunds.refunds };
  });
}
