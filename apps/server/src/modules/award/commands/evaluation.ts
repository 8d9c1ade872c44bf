import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { candidateProblems } from '../award.rules';
import { assertOperates } from '../award.policy';
import { manualEvaluationEntryAllowed, validBidsOf } from '../award.seams';
import { assertStatus, loadLot, record } from './shared';

/** A lot's evaluation result: what the committee's report says (条例 53: ≤ 3 ranked candidates). */
export interface EvaluationResultInput {
  lotId: string;
  /** 'manual' today (agency entry); 'expert' when the expert-evaluation module reports. */
  source: 'manual' | 'expert';
  /** The report (评标报告) in the file store: an upload id. */
  reportFileId: string;
  /** When the tenderer received the report: the periods of 条例 54 / 采购条例 43 run from it. Default: now. */
  reportReceivedAt?: Date;
  candidates: { rank: number; bidderOrgId: string; score?: number | null }[];
  actorId: string | null;
}

/**
 * The one entry point for evaluation results, whatever produced them (the seam the expert module plugs into):
 * checks the lot is in evaluation, the candidates against the valid opened bids, stores result and candidates with
 * their opening prices, and ledgers the report's hash. Inside the caller's transaction; the lot stays in
 * evaluation (works: until the publicity is published; government procurement: until the award).
 */
export async function recordEvaluationResult(trx: DbOrTx, input: EvaluationResultInput, now: Date): Promise<void> {
  const { tender, lot, award } = await loadLot(trx, input.lotId);
  assertStatus(lot, ['evaluation'], { zh: '录入评标结果', en: 'record an evaluation result' });
  if (award) throw Errors.conflict('AWARD_RESULT_EXISTS', '该标段已有评标结果', 'This lot already has an evaluation result', 'lotId');
  const { bids } = await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no });
  const byOrg = new Map(bids.map((b) => [b.bidderOrgId, b]));
  const problem = candidateProblems(input.candidates, new Set(byOrg.keys()));
  if (problem) throw new AppError(problem.code, 400, problem.zh, problem.en, problem.field);
  const reportAt = input.reportReceivedAt ?? now;
  if (reportAt.getTime() > now.getTime())
    throw Errors.validation(
      'reportReceivedAt',
      '收到评标报告的时间不能晚于现在',
      'The report cannot be received in the future',
      'AWARD_REPORT_IN_FUTURE',
    );
  const report = await trx
    .selectFrom('file_uploads')
    .select(['id', 'sha256', 'org_id'])
    .where('id', '=', input.reportFileId)
    .executeTakeFirst();
  if (!report || (report.org_id !== tender.owner_org_id && report.org_id !== tender.agency_org_id)) {
    throw Errors.validation(
      'reportFileId',
      '评标报告文件不存在或不是招标人/代理机构上传的',
      'The report file does not exist or was not uploaded by the tenderer or its agency',
      'AWARD_REPORT_FILE_UNKNOWN',
    );
  }
  await trx
    .insertInto('award_lots')
    .values({
      lot_id: lot.id,
      tender_id: tender.id,
      result_source: input.source,
      report_file_id: report.id,
      report_received_at: reportAt,
      result_entered_by: input.actorId,
      result_entered_at: now,
      publicity_notice_id: null,
      publicity_starts_at: null,
      publicity_ends_at: null,
      winner_org_id: null,
      winner_rank: null,
      award_price_fen: null,
      award_reason: null,
      awarded_at: null,
      awarded_by: null,
      result_notice_id: null,
      notice_no: null,
      notice_file_id: null,
      notice_sha256: null,
      notice_content_sha256: null,
      notice_ledger_seq: null,
      notice_issued_at: null,
      contract_due_at: null,
    })
    .execute();
  await trx
    .insertInto('award_candidates')
    .values(
      input.candidates.map((c) => {
        const bid = byOrg.get(c.bidderOrgId)!;
        return {
          lot_id: lot.id,
          rank: c.rank,
          bidder_org_id: c.bidderOrgId,
          bid_id: bid.bidId,
          price_fen: bid.priceFen,
          score: c.score == null ? null : c.score.toFixed(2),
        };
      }),
    )
    .execute();
  // Scores stay out of the ledger payload (not public before the publicity); the report's hash binds them.
  await record(
    trx,
    input.actorId,
    tender,
    lot,
    'award.result_recorded',
    {
      source: input.source,
      reportSha256: report.sha256,
      reportReceivedAt: reportAt.toISOString(),
      candidates: input.candidates.map((c) => ({ rank: c.rank, bidderOrgId: c.bidderOrgId })),
    },
    now,
  );
}

/** Manual entry by the tenderer or its agency (until the expert-evaluation module takes over). */
export async function enterEvaluationResult(
  ctx: AppContext,
  actor: Actor,
  lotId: string,
  body: { reportFileId: string; reportReceivedAt?: string; candidates: { rank: number; bidderOrgId: string; score?: number | null }[] },
): Promise<void> {
  if (!(await manualEvaluationEntryAllowed(ctx.db, lotId))) {
    throw Errors.conflict(
      'AWARD_MANUAL_ENTRY_OFF',
      '该标段由专家评标系统评审，结果由评标报告提交，不能手工录入',
      'This lot is evaluated in the expert-evaluation system; its result comes from the signed report, not manual entry',
    );
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { tender, lot } = await loadLot(trx, lotId);
    const { bids } = await validBidsOf(trx, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no }).catch(() => ({ bids: [] }));
    assertOperates(
      actor,
      tender,
      bids.map((b) => b.bidderOrgId),
    );
    await recordEvaluationResult(
      trx,
      {
        lotId,
        source: 'manual',
        reportFileId: body.reportFileId,
        reportReceivedAt: body.reportReceivedAt ? new Date(body.reportReceivedAt) : undefined,
        candidates: body.candidates,
        actorId: actor.accountId,
      },
      now,
    );
  });
}
