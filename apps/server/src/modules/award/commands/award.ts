import type { Actor } from '../../../platform/auth/actor';
import { scheduleJob } from '../../../platform/chronograph/jobs';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { createPublishedAnnouncement } from '../../announcements/index';
import { startRefunds } from '../../deposits/index';
import { addWarnings, getCandidates, openObjections } from '../award.repo';
import { awardDue, contractDue, hasPublicity, lateWarning, refundPeriod, refundPlan } from '../award.rules';
import { assertOperates } from '../award.policy';
import { validBidsOf } from '../award.seams';
import { releaseFor } from '../award.snapshot';
import { CONTRACT_DUE_JOB } from './contract';
import { issueAwardNotice } from './notice';
import { assertStatus, beijing, escapeHtml, loadLot, moveLot, publisherOf, record, yuan } from './shared';

/**
 * 定标 (法 45; 条例 55; 采购条例 43). Server-enforced preconditions, each with its own error:
 * - an evaluation result exists (AWARD_NO_RESULT);
 * - works: the candidate publicity has been published (AWARD_PUBLICITY_MISSING) and has ended
 *   (AWARD_PUBLICITY_RUNNING), and no objection is open (AWARD_OBJECTION_OPEN, 条例 54 暂停招标投标活动);
 * - the winner is a candidate; another than the first needs a reason (条例 55).
 * Then, in one transaction: the lot is awarded, the 中标通知书 PDF issued and ledgered, the 中标结果公告 published,
 * winner and losers told (结果通知书), government-procurement losers' deposits set for refund (采购条例 33), the
 * OCDS release recorded. Government procurement later than 5 工作日 after the report is allowed with a warning.
 */
export async function awardLot(ctx: AppContext, actor: Actor, lotId: string, body: { winnerOrgId?: string; reason?: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { tender, lot, policy, cal, award } = await loadLot(trx, lotId);
    const { bids } = await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no });
    assertOperates(
      actor,
      tender,
      bids.map((b) => b.bidderOrgId),
    );
    if (!award) throw Errors.conflict('AWARD_NO_RESULT', '尚未录入评标结果，不能定标', 'No evaluation result yet: cannot award', 'lotId');
    if (hasPublicity(policy)) {
      if (lot.status === 'evaluation' || !award.publicity_ends_at) {
        throw Errors.conflict(
          'AWARD_PUBLICITY_MISSING',
          '中标候选人尚未公示，不能定标（招标投标法实施条例第五十四条）',
          'The candidates have not been publicised: no award yet (Regulations art. 54)',
        );
      }
      assertStatus(lot, ['publicity'], { zh: '定标', en: 'award' });
      if (now < award.publicity_ends_at) {
        throw new AppError(
          'AWARD_PUBLICITY_RUNNING',
          409,
          `公示期至 ${beijing(award.publicity_ends_at)}（北京时间）结束，之前不能定标`,
          `The publicity runs until ${award.publicity_ends_at.toISOString()}: no award before it ends`,
          undefined,
          { publicityEndsAt: award.publicity_ends_at.toISOString() },
        );
      }
    } else {
      assertStatus(lot, ['evaluation'], { zh: '定标', en: 'award' });
    }
    const open = await openObjections(trx, lot.id);
    if (open.length) {
      throw new AppError(
        'AWARD_OBJECTION_OPEN',
        409,
        `有 ${open.length} 件异议尚未答复，答复前暂停定标（招标投标法实施条例第五十四条）`,
        `${open.length} objection(s) not yet answered: the award is paused until they are (Regulations art. 54)`,
        undefined,
        {
          objections: open.map((o) => ({ id: o.id, answerDueAt: o.answer_due_at.toISOString() })),
        },
      );
    }
    const candidates = await getCandidates(trx, [lot.id]);
    const winner = body.winnerOrgId ? candidates.find((c) => c.bidder_org_id === body.winnerOrgId) : candidates[0];
    if (!winner)
      throw Errors.validation(
        'winnerOrgId',
        '中标人必须是评标报告推荐的中标候选人',
        'The winner must be one of the recommended candidates',
        'AWARD_WINNER_NOT_CANDIDATE',
      );
    if (winner.rank !== 1 && !body.reason?.trim()) {
      throw Errors.validation(
        'reason',
        '确定排名第一以外的候选人为中标人须说明理由（招标投标法实施条例第五十五条）',
        'Choosing other than the first-ranked candidate needs a reason (Regulations art. 55)',
        'AWARD_REASON_REQUIRED',
      );
    }
    const bid = bids.find((b) => b.bidderOrgId === winner.bidder_org_id);
    const { due: contractDeadline, estimated } = contractDue(cal, policy, now);
    const notice = await issueAwardNotice(
      trx,
      ctx,
      {
        tender,
        lot,
        winner: { orgId: winner.bidder_org_id, name: winner.name },
        priceFen: winner.price_fen,
        bidSubmittedAt: bid?.submittedAt ?? now,
        contractDeadline,
        actorId: actor.accountId,
      },
      now,
    );
    const others = candidates.filter((c) => c !== winner);
    const result = await createPublishedAnnouncement(
      trx,
      {
        type: policy.announcements.award ?? 'award_notice',
        title: `${tender.title} 标段${lot.lot_no} 中标结果公告`.slice(0, 200),
        categoryCode: tender.catalog_code,
        regionCode: tender.region_code,
        projectId: tender.project_id,
        bodyHtml:
          `<p>${escapeHtml(lot.name)}的中标人为：<strong>${escapeHtml(winner.name)}</strong>，中标价 ${yuan(winner.price_fen)} 元。</p>` +
          `<p>中标通知书编号 ${notice.noticeNo}，账本序号 ${notice.ledgerSeq}。</p>` +
          (policy.regime === 'government_procurement'
            ? '<p>供应商认为中标结果使自己的权益受到损害的，可以在公告期限届满之日起七个工作日内通过平台提出质疑（政府采购法第五十二条）。</p>'
            : ''),
        publisherOrgId: publisherOf(tender),
        actorId: actor.accountId,
      },
      now,
    );
    await trx
      .updateTable('award_lots')
      .set({
        winner_org_id: winner.bidder_org_id,
        winner_rank: winner.rank,
        award_price_fen: winner.price_fen,
        award_reason: body.reason?.trim() || null,
        awarded_at: now,
        awarded_by: actor.accountId,
        result_notice_id: result.id,
        notice_no: notice.noticeNo,
        notice_file_id: notice.fileId,
        notice_sha256: notice.sha256,
        notice_content_sha256: notice.contentSha256,
        notice_ledger_seq: notice.ledgerSeq,
        notice_issued_at: now,
        contract_due_at: contractDeadline,
      })
      .where('lot_id', '=', lot.id)
      .execute();
    const warnings = await addWarnings(trx, lot.id, award.warnings, [
      lateWarning(
        'AWARD_LATE',
        `定标晚于收到评审报告后${policy.periods.awardWithinOfReport?.n}个工作日（政府采购法实施条例第四十三条）`,
        'The award came later than 5 working days after the report (GP Regulations art. 43)',
        awardDue(cal, policy, award.report_received_at),
        now,
      ),
      estimated
        ? {
            code: 'CONTRACT_DUE_ESTIMATED',
            zh: '工作日历尚无下一年度节假日数据：合同签订期限按日历日计算，未按节假日顺延',
            en: 'The calendar has no holiday data for next year: the contract deadline is counted in plain days, not extended past holidays',
            dueAt: contractDeadline.toISOString(),
            at: now.toISOString(),
          }
        : null,
    ]);
    await moveLot(trx, lot, 'award', now);
    await scheduleJob(trx, { kind: CONTRACT_DUE_JOB, subjectId: lot.id, dueAt: contractDeadline }, now);

    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [winner.bidder_org_id]),
        kind: 'award.notice',
        title: { zh: `中标通知书：${tender.title} 标段${lot.lot_no}`, en: `Notice of award: ${tender.title} lot ${lot.lot_no}` },
        body: {
          zh: `贵单位被确定为中标人，请于 ${beijing(contractDeadline)} 前签订书面合同。`,
          en: `You are the winner; sign the contract by ${contractDeadline.toISOString()}.`,
        },
        link: `/workbench/award/lots/${lot.id}`,
      },
      now,
    );
    const losers = bids.map((b) => b.bidderOrgId).filter((o) => o !== winner.bidder_org_id);
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, losers),
        kind: 'award.result',
        title: { zh: `中标结果通知书：${tender.title} 标段${lot.lot_no}`, en: `Result notice: ${tender.title} lot ${lot.lot_no}` },
        body: { zh: `本标段中标人为 ${winner.name}。感谢参与（招标投标法第四十五条）。`, en: `The winner of this lot is ${winner.name}.` },
        link: `/portal/announcements/${result.id}`,
      },
      now,
    );
    const plan = refundPlan(policy);
    const refunds =
      plan.losersAt === 'award'
        ? await startRefunds(
            trx,
            {
              tenderId: tender.id,
              lotId: lot.id,
              bidders: { except: [winner.bidder_org_id] },
              reason: 'award_losers',
              basisAt: now,
              period: refundPeriod(plan.losers),
              actorId: actor.accountId,
            },
            now,
          )
        : null;
    await record(
      trx,
      actor.accountId,
      tender,
      lot,
      'award.awarded',
      {
        winnerOrgId: winner.bidder_org_id,
        rank: winner.rank,
        priceFen: winner.price_fen,
        reason: body.reason ?? null,
        resultNoticeId: result.id,
        noticeNo: notice.noticeNo,
        noticeSha256: notice.sha256,
        warnings: warnings.map((w) => w.code),
        othersRanked: others.map((c) => c.rank),
      },
      now,
    );
    await releaseFor(trx, ctx.config.ocidPrefix, tender, ['award'], actor.accountId, now);
    return { resultNoticeId: result.id, notice, contractDueAt: contractDeadline, warnings, refunds: refunds?.refunds ?? [] };
  });
}
