import type { Actor } from '../../../platform/auth/actor';
import { registerJobHandler, scheduleJob } from '../../../platform/chronograph/jobs';
import type { AppContext } from '../../../platform/context';
import { Errors } from '../../../platform/http/errors';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { createPublishedAnnouncement } from '../../announcements/index';
import { addWarnings, getCandidates, openObjections } from '../award.repo';
import { hasPublicity, lateWarning, publicityWindow } from '../award.rules';
import { assertOperates } from '../award.policy';
import { validBidsOf } from '../award.seams';
import { releaseFor } from '../award.snapshot';
import { assertStatus, beijing, escapeHtml, loadLot, moveLot, publisherOf, record, yuan } from './shared';

export const PUBLICITY_END_JOB = 'award.publicity_end';

/**
 * 中标候选人公示 (条例 54): within 3 日 of receiving the report (later → a warning, ledgered), for at least 3 日
 * (a longer period may be chosen). Publishes the candidate_publicity announcement, moves the lot to publicity,
 * tells the lot's bidders, records the OCDS release (candidates as pending awards), and schedules the end.
 */
export async function publishPublicity(ctx: AppContext, actor: Actor, lotId: string, body: { days?: number; note?: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { tender, lot, policy, cal, award } = await loadLot(trx, lotId);
    const { bids } = await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no });
    assertOperates(
      actor,
      tender,
      bids.map((b) => b.bidderOrgId),
    );
    if (!hasPublicity(policy)) {
      throw Errors.conflict(
        'AWARD_NO_PUBLICITY',
        `${policy.nameZh}不设中标候选人公示，评审结束后直接定标`,
        `${policy.nameEn} has no candidate publicity: award after the report`,
      );
    }
    if (!award) throw Errors.conflict('AWARD_NO_RESULT', '尚未录入评标结果', 'No evaluation result yet', 'lotId');
    assertStatus(lot, ['evaluation'], { zh: '发布中标候选人公示', en: 'publish the candidate publicity' });
    const w = publicityWindow(cal, policy, award.report_received_at, now, body.days);
    const candidates = await getCandidates(trx, [lot.id]);
    const rows = candidates
      .map((c) => `<tr><td>第${c.rank}名</td><td>${escapeHtml(c.name)}</td><td>${yuan(c.price_fen)} 元</td></tr>`)
      .join('');
    const a = await createPublishedAnnouncement(
      trx,
      {
        type: policy.announcements.publicity ?? 'candidate_publicity',
        title: `${tender.title} 标段${lot.lot_no} 中标候选人公示`.slice(0, 200),
        categoryCode: tender.catalog_code,
        regionCode: tender.region_code,
        projectId: tender.project_id,
        bodyHtml:
          `<p>${escapeHtml(lot.name)}的评标工作已经结束，中标候选人公示如下：</p><table><tr><th>排名</th><th>中标候选人</th><th>投标报价</th></tr>${rows}</table>` +
          `<p>公示期：${beijing(w.startsAt)} 至 ${beijing(w.endsAt)}（北京时间，${w.n}日，${w.basis}）。</p>` +
          `<p>投标人或者其他利害关系人对评标结果有异议的，应当在公示期间通过平台提出；招标人自收到异议之日起3日内作出答复，作出答复前暂停招标投标活动。</p>` +
          (body.note ? `<p>${escapeHtml(body.note)}</p>` : ''),
        publisherOrgId: publisherOf(tender),
        actorId: actor.accountId,
      },
      now,
    );
    await trx
      .updateTable('award_lots')
      .set({ publicity_notice_id: a.id, publicity_starts_at: w.startsAt, publicity_ends_at: w.endsAt })
      .where('lot_id', '=', lot.id)
      .execute();
    const warnings = await addWarnings(trx, lot.id, award.warnings, [
      lateWarning(
        'PUBLICITY_LATE',
        `中标候选人公示晚于收到评标报告后${policy.periods.publicityWithinOfReport?.n}日（${w.basis}）`,
        'The candidates were publicised later than the policy allows after the report',
        w.due,
        now,
      ),
    ]);
    await moveLot(trx, lot, 'report', now);
    await scheduleJob(trx, { kind: PUBLICITY_END_JOB, subjectId: lot.id, dueAt: w.endsAt }, now);
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(
          trx,
          bids.map((b) => b.bidderOrgId),
        ),
        kind: 'award.publicity',
        title: { zh: `中标候选人公示：${tender.title} 标段${lot.lot_no}`, en: `Candidates publicised: ${tender.title} lot ${lot.lot_no}` },
        body: {
          zh: `公示期至 ${beijing(w.endsAt)}，对评标结果有异议的请在公示期内提出。`,
          en: `Publicity until ${w.endsAt.toISOString()}; objections to the result must be raised within it.`,
        },
        link: `/portal/announcements/${a.id}`,
      },
      now,
    );
    await record(
      trx,
      actor.accountId,
      tender,
      lot,
      'award.publicity_published',
      { noticeId: a.id, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(), warnings: warnings.map((x) => x.code) },
      now,
    );
    await releaseFor(trx, ctx.config.ocidPrefix, tender, ['award'], actor.accountId, now);
    return { noticeId: a.id, startsAt: w.startsAt, endsAt: w.endsAt, warnings };
  });
}

// At the end of the publicity, tell the parties whether the award may now be made (the server enforces it anyway).
registerJobHandler(PUBLICITY_END_JOB, async (job, trx, ctx) => {
  const { tender, lot, award } = await loadLot(trx, job.subjectId);
  if (lot.status !== 'publicity' || !award?.publicity_ends_at || ctx.now < award.publicity_ends_at) return;
  const open = await openObjections(trx, lot.id);
  await notify(
    trx,
    {
      accountIds: await activeAccountsOfOrgs(trx, [tender.owner_org_id, tender.agency_org_id]),
      kind: 'award.publicity_ended',
      title: { zh: `公示期结束：${tender.title} 标段${lot.lot_no}`, en: `Publicity ended: ${tender.title} lot ${lot.lot_no}` },
      body: open.length
        ? {
            zh: `尚有 ${open.length} 件异议未答复，答复前不能定标。`,
            en: `${open.length} objection(s) still unanswered: no award until answered.`,
          }
        : { zh: '无未答复的异议，可以定标。', en: 'No open objections: the award may be made.' },
      link: `/workbench/tenders/${tender.id}`,
    },
    ctx.now,
  );
});
