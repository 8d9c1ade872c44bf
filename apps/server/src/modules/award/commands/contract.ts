import type { Actor } from '../../../platform/auth/actor';
import { cancelJob, registerJobHandler } from '../../../platform/chronograph/jobs';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { createPublishedAnnouncement } from '../../announcements/index';
import { startRefunds } from '../../deposits/index';
import { addWarnings, getContract, openObjections } from '../award.repo';
export const CONTRACT_DUE_JOB = 'award.contract_due';
import { contractPublicationDue, lateWarning, refundPeriod, refundPlan } from '../award.rules';
import { assertOperates } from '../award.policy';
import { validBidsOf } from '../award.seams';
import { releaseFor } from '../award.snapshot';
import { assertStatus, beijing, escapeHtml, loadLot, moveLot, publisherOf, record, yuan } from './shared';

export interface ContractInput {
  fileId: string;
  publicFileId?: string;
  valueFen: number;
  signedAt: string;
  periodStart?: string;
  periodEnd?: string;
}

/**
 * The signed contract: uploaded (file store) and published as a contract_notice in one step. Warnings, not refusals,
 * when it is late: signed more than 30 日 after the notice (法 46 / 采购法 46), or published more than 2 工作日 after
 * signing (采购条例 50). Refused while a 质疑 is open (采购条例 54 暂停签订合同). Deposits: the winner's refund starts
 * (条例 57 / 采购条例 33), and in works also the other bidders' (条例 57: 书面合同签订后5日内).
 */
export async function recordContract(ctx: AppContext, actor: Actor, lotId: string, body: ContractInput) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { tender, lot, policy, cal, award } = await loadLot(trx, lotId);
    const { bids } = await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no });
    assertOperates(
      actor,
      tender,
      bids.map((b) => b.bidderOrgId),
    );
    assertStatus(lot, ['awarded'], { zh: '登记合同', en: 'record the contract' });
    if (!award?.notice_issued_at || !award.winner_org_id) throw Errors.conflict('AWARD_NOT_AWARDED', '尚未定标', 'Not awarded yet');
    if (await getContract(trx, lot.id)) throw Errors.conflict('AWARD_CONTRACT_EXISTS', '合同已登记', 'The contract is already recorded');
    const open = await openObjections(trx, lot.id);
    if (open.length) {
      throw new AppError(
        'AWARD_CHALLENGE_OPEN',
        409,
        `有 ${open.length} 件质疑尚未答复，暂停签订合同（政府采购法实施条例第五十四条）`,
        `${open.length} challenge(s) not yet answered: the contract is paused (GP Regulations art. 54)`,
        undefined,
        {
          objections: open.map((o) => ({ id: o.id, answerDueAt: o.answer_due_at.toISOString() })),
        },
      );
    }
    const signedAt = new Date(body.signedAt);
    if (signedAt > now)
      throw Errors.validation('signedAt', '签订时间不能晚于现在', 'The signing date cannot be in the future', 'AWARD_CONTRACT_IN_FUTURE');
    if (signedAt < award.notice_issued_at)
      throw Errors.validation(
        'signedAt',
        '合同不能早于中标通知书发出',
        'The contract cannot precede the notice of award',
        'AWARD_CONTRACT_BEFORE_NOTICE',
      );
    if (body.periodStart && body.periodEnd && body.periodEnd < body.periodStart)
      throw Errors.validation('periodEnd', '履行期限结束不能早于开始', 'The period cannot end before it starts', 'AWARD_CONTRACT_PERIOD');
    const files = [body.fileId, ...(body.publicFileId ? [body.publicFileId] : [])];
    const own = await trx
      .selectFrom('file_uploads')
      .select('id')
      .where('id', 'in', files)
      .where('org_id', 'in', [tender.owner_org_id, tender.agency_org_id ?? tender.owner_org_id])
      .execute();
    for (const [i, f] of files.entries()) {
      if (!own.some((o) => o.id === f))
        throw Errors.validation(
          i === 0 ? 'fileId' : 'publicFileId',
          '合同文件不存在或不是招标人/代理机构上传的',
          'The contract file does not exist or was not uploaded by the tenderer or its agency',
          'AWARD_CONTRACT_FILE_UNKNOWN',
        );
    }
    const winnerName = (
      await trx.selectFrom('organisations').select('name').where('id', '=', award.winner_org_id).executeTakeFirstOrThrow()
    ).name;
    const notice = await createPublishedAnnouncement(
      trx,
      {
        type: policy.announcements.contract ?? 'contract_notice',
        title: `${tender.title} 标段${lot.lot_no} 合同公告`.slice(0, 200),
        categoryCode: tender.catalog_code,
        regionCode: tender.region_code,
        projectId: tender.project_id,
        bodyHtml:
          `<p>${escapeHtml(lot.name)}：招标人与中标人 ${escapeHtml(winnerName)} 于 ${beijing(signedAt).slice(0, 10)} 签订合同，合同金额 ${yuan(body.valueFen)} 元。</p>` +
          (body.periodStart || body.periodEnd ? `<p>履行期限：${body.periodStart ?? ''} 至 ${body.periodEnd ?? ''}</p>` : ''),
        attachmentIds: body.publicFileId ? [body.publicFileId] : [],
        publisherOrgId: publisherOf(tender),
        actorId: actor.accountId,
      },
      now,
    );
    const c = await trx
      .insertInto('award_contracts')
      .values({
        lot_id: lot.id,
        file_id: body.fileId,
        public_file_id: body.publicFileId ?? null,
        value_fen: body.valueFen,
        signed_at: signedAt,
        period_start: body.periodStart ?? null,
        period_end: body.periodEnd ?? null,
        recorded_at: now,
        recorded_by: actor.accountId,
        notice_id: notice.id,
        published_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const warnings = await addWarnings(trx, lot.id, award.warnings, [
      lateWarning(
        'CONTRACT_LATE',
        `合同晚于中标通知书发出之日起${policy.periods.contractWithinOfNotice.n}日签订（${policy.periods.contractWithinOfNotice.basis}）`,
        'The contract was signed later than the policy allows after the notice',
        award.contract_due_at,
        signedAt,
      ),
      lateWarning(
        'CONTRACT_PUBLICATION_LATE',
        `合同晚于签订之日起${policy.periods.contractPublicationWithin?.n}个工作日公告（政府采购法实施条例第五十条）`,
        'The contract was published later than 2 working days after signing (GP Regulations art. 50)',
        contractPublicationDue(cal, policy, signedAt),
        now,
      ),
    ]);
    await moveLot(trx, lot, 'contract', now);
    await cancelJob(trx, CONTRACT_DUE_JOB, lot.id, now);
    const plan = refundPlan(policy);
    const refunds = [
      ...(
        await startRefunds(
          trx,
          {
            tenderId: tender.id,
            lotId: lot.id,
            bidders: { only: [award.winner_org_id] },
            reason: 'contract_winner',
            basisAt: signedAt,
            period: refundPeriod(plan.winner),
            actorId: actor.accountId,
          },
          now,
        )
      ).refunds,
      ...(plan.losersAt === 'contract'
        ? (
            await startRefunds(
              trx,
              {
                tenderId: tender.id,
                lotId: lot.id,
                bidders: { except: [award.winner_org_id] },
                reason: 'contract_losers',
                basisAt: signedAt,
                period: refundPeriod(plan.losers),
                actorId: actor.accountId,
              },
              now,
            )
          ).refunds
        : []),
    ];
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [award.winner_org_id]),
        kind: 'award.contract_published',
        title: { zh: `合同已公告：${tender.title} 标段${lot.lot_no}`, en: `Contract published: ${tender.title} lot ${lot.lot_no}` },
        body: {
          zh: `合同金额 ${yuan(body.valueFen)} 元；投标保证金将按规定退还。`,
          en: `Contract value ${body.valueFen / 100} yuan; the deposit will be refunded on time.`,
        },
        link: `/portal/announcements/${notice.id}`,
      },
      now,
    );
    await record(
      trx,
      actor.accountId,
      tender,
      lot,
      'award.contract_recorded',
      {
        contractId: c.id,
        valueFen: c.value_fen,
        signedAt: signedAt.toISOString(),
        noticeId: notice.id,
        warnings: warnings.map((w) => w.code),
      },
      now,
    );
    await releaseFor(trx, ctx.config.ocidPrefix, tender, ['contract'], actor.accountId, now);
    return { contract: c, warnings, refunds };
  });
}

/** 履约 information: a payment (OCDS implementation transaction) or a milestone, after the contract. */
export async function addPerformance(
  ctx: AppContext,
  actor: Actor,
  lotId: string,
  body: { kind: 'payment' | 'milestone'; occurredOn: string; amountFen?: number; description: string },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { tender, lot } = await loadLot(trx, lotId);
    assertOperates(actor, tender);
    assertStatus(lot, ['contracted'], { zh: '登记履约信息', en: 'record performance' });
    if (body.kind === 'payment' && !body.amountFen)
      throw Errors.validation('amountFen', '付款须填写金额', 'A payment needs an amount', 'FIELD_REQUIRED');
    if (body.occurredOn > beijing(now).slice(0, 10))
      throw Errors.validation('occurredOn', '日期不能晚于今天', 'The date cannot be in the future', 'AWARD_PERFORMANCE_IN_FUTURE');
    const c = (await getContract(trx, lot.id))!;
    const p = await trx
      .insertInto('award_performance')
      .values({
        contract_id: c.id,
        kind: body.kind,
        occurred_on: body.occurredOn,
        amount_fen: body.kind === 'payment' ? body.amountFen! : (body.amountFen ?? null),
        description: body.description,
        recorded_at: now,
        recorded_by: actor.accountId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(
      trx,
      actor.accountId,
      tender,
      lot,
      'award.performance_recorded',
      { contractId: c.id, entryId: p.id, kind: p.kind, occurredOn: p.occurred_on, amountFen: p.amount_fen },
      now,
    );
    await releaseFor(trx, ctx.config.ocidPrefix, tender, ['implementation'], actor.accountId, now);
    return p;
  });
}

// 法 46 / 采购法 46: no contract by the deadline → a warning on the lot, ledgered, and the parties and the winner told.
registerJobHandler(CONTRACT_DUE_JOB, async (job, trx, ctx) => {
  const { tender, lot, policy, award } = await loadLot(trx, job.subjectId);
  if (lot.status !== 'awarded' || !award?.contract_due_at || !award.winner_org_id || ctx.now < award.contract_due_at) return;
  if (award.warnings.some((w) => w.code === 'CONTRACT_OVERDUE')) return;
  const p = policy.periods.contractWithinOfNotice;
  await addWarnings(trx, lot.id, award.warnings, [
    {
      code: 'CONTRACT_OVERDUE',
      zh: `中标通知书发出后${p.n}日内未订立书面合同（${p.basis}）`,
      en: `No written contract within ${p.n} days of the notice of award (${p.basis})`,
      dueAt: award.contract_due_at.toISOString(),
      at: ctx.now.toISOString(),
    },
  ]);
  await notify(
    trx,
    {
      accountIds: await activeAccountsOfOrgs(trx, [tender.owner_org_id, tender.agency_org_id, award.winner_org_id]),
      kind: 'award.contract_overdue',
      title: { zh: `合同签订已逾期：${tender.title} 标段${lot.lot_no}`, en: `Contract overdue: ${tender.title} lot ${lot.lot_no}` },
      body: {
        zh: `应于 ${beijing(award.contract_due_at)} 前订立书面合同（${p.basis}）。`,
        en: `The contract was due by ${award.contract_due_at.toISOString()}.`,
      },
      link: `/workbench/tenders/${tender.id}`,
    },
    ctx.now,
  );
  await record(trx, null, tender, lot, 'award.contract_overdue', { dueAt: award.contract_due_at.toISOString() }, ctx.now);
});
