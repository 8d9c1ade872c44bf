import { Readable } from 'node:stream';
import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { appendLedger } from '../../../platform/ledger/append';
import { revealDraw } from '../../../platform/lottery/index';
import { renderPdf } from '../../../platform/pdf/render';
import { fenToYuanString } from '../../../platform/pdf/money';
import { recordEvaluationResult, validBidsOf } from '../../award/index';
import { evalErrors, orgNames, templateOf } from '../evaluation.repo';
import { feeFen, formatCenti } from '../evaluation.rules';
import { assertStage, record, setStage, workspace } from './shared';

/**
 * The chair produces the evaluation report (评标报告, 条例 第五十三条 / 87号令 第五十八条…): candidates, scores, the
 * qualification outcome with reasons, the members by seat, tie-break draws, clarifications, and each expert's fee
 * from the configured time rules (evaluation time = from the later of seating and opening to now). The PDF is
 * deterministic (its bytes are hashed into the ledger); every member then signs that hash.
 */
export async function produceReport(ctx: AppContext, actor: Actor, lotId: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    if (!w.me.chair) throw evalErrors.notChair();
    assertStage(w, ['report'], { zh: '生成评标报告', en: 'produce the report' });
    if (w.committee.report_sha256) throw Errors.conflict('EVAL_REPORT_EXISTS', '评标报告已生成，等待签字', 'The report exists and awaits signatures');
    const t = (await templateOf(trx, lotId))!;
    const results = await trx.selectFrom('eval_results').selectAll().where('committee_id', '=', w.committee.id).orderBy('rank').execute();
    const reviews = await trx.selectFrom('eval_reviews').selectAll().where('committee_id', '=', w.committee.id).where('pass', '=', false).execute();
    const clar = await trx.selectFrom('eval_clarifications').select(['bidder_org_id', 'question', 'answer']).where('committee_id', '=', w.committee.id).orderBy('asked_at').execute();
    const names = await orgNames(trx, [...results.map((r) => r.bidder_org_id), w.tender.owner_org_id]);
    const fees = (await trx.selectFrom('eval_fee_settings').selectAll().executeTakeFirstOrThrow());
    const { openedAt } = await validBidsOf(trx, { tenderId: w.tender.id, lotId: w.lot.id, lotNo: w.lot.lot_no });
    const start = Math.max(w.committee.seated_at.getTime(), openedAt.getTime());
    const minutes = Math.max(1, Math.ceil((now.getTime() - start) / 60_000));
    const fee = feeFen({ halfDayMinutes: fees.half_day_minutes, halfDayFen: fees.half_day_fen, fullDayMinutes: fees.full_day_minutes, fullDayFen: fees.full_day_fen, overtimeHourFen: fees.overtime_hour_fen }, minutes);
    for (const m of w.members) {
      m.fee_fen = m.kind === 'expert' ? fee : 0; // representatives are the tenderer's staff: no expert fee
      await trx.updateTable('eval_members').set({ fee_fen: m.fee_fen }).where('committee_id', '=', w.committee.id).where('account_id', '=', m.account_id).execute();
    }
    const seatName = (a: string) => w.members.find((m) => m.account_id === a)?.seat;
    const pdf = await renderPdf({ title: `评标报告 ${w.tender.title} ${w.lot.name}`, author: 'Yiwang 一网交易', createdAt: now }, (doc) => {
      doc.font('bold').fontSize(18).text('评 标 报 告', { align: 'center' }).moveDown();
      doc.font('body').fontSize(10.5);
      doc.text(`项目：${w.tender.title}\u3000标段：${w.lot.lot_no} ${w.lot.name}`);
      doc.text(`招标人：${names.get(w.tender.owner_org_id) ?? ''}`);
      doc.text(`评标办法：${t.method === 'comprehensive' ? '综合评分法' : '经评审的最低投标价法'}\u3000评标委员会：${w.members.length}人（${w.policy.committee?.basis ?? ''}）`);
      if (t.method === 'comprehensive')
        doc.text(`评分项：${t.items.map((i) => `${i.name}(${i.category === 'technical' ? '技术' : '商务'} ${formatCenti(i.minCenti)}–${formatCenti(i.maxCenti)})`).join('；')}；价格分 ${formatCenti(t.price.maxCenti)}（${t.price.benchmark === 'lowest' ? '最低价基准' : `平均价×${t.price.coefficientBp / 10000}基准`}）${t.trimmed ? '；去掉一个最高分和一个最低分' : ''}`);
      doc.moveDown().font('bold').text('一、评审结果与排序').font('body');
      for (const r of results) {
        const line = r.qualified
          ? `第${r.rank}名\u3000${names.get(r.bidder_org_id)}\u3000报价 ${fenToYuanString(r.price_fen)} 元${r.total_centi != null ? `\u3000技术 ${formatCenti(r.technical_centi!)}\u3000商务 ${formatCenti(r.commercial_centi!)}\u3000价格 ${formatCenti(r.price_centi!)}\u3000总分 ${formatCenti(r.total_centi)}` : ''}${r.tie_draw_id ? `\u3000（同分抽签 ${r.tie_draw_id}）` : ''}`
          : `未通过资格审查\u3000${names.get(r.bidder_org_id)}\u3000报价 ${fenToYuanString(r.price_fen)} 元`;
        doc.text(line);
      }
      if (reviews.length) {
        doc.moveDown().font('bold').text('二、资格审查不通过的意见').font('body');
        for (const v of reviews) doc.text(`座位${seatName(v.account_id)}：${names.get(results.find((r) => r.bid_id === v.bid_id)?.bidder_org_id ?? '') ?? v.bid_id} — ${v.reason}`);
      }
      if (clar.length) {
        doc.moveDown().font('bold').text('三、澄清').font('body');
        for (const c of clar) doc.text(`${names.get(c.bidder_org_id) ?? ''}：问 ${c.question}\u3000答 ${c.answer ?? '（未答复）'}`);
      }
      doc.moveDown().font('bold').text('四、评标委员会成员（座位随机分配）').font('body');
      for (const m of w.members)
        doc.text(`座位${m.seat}\u3000${m.expert_name ?? m.display_name}\u3000${m.kind === 'expert' ? '评审专家' : '招标人代表'}${m.chair ? '（主任）' : ''}\u3000评审费 ${fenToYuanString(m.fee_fen ?? 0)} 元\u3000签字：________`);
      doc.moveDown().fontSize(9).text(`评标时长 ${minutes} 分钟；座位抽取 ${w.committee.seat_draw_id}；生成于 ${now.toISOString()}。各成员以本报告 SHA-256 电子签字，记入平台账本。`);
    });
    const stored = await ctx.files.put(Readable.from(pdf));
    await trx.insertInto('files').values({ sha256: stored.sha256, size: stored.size, mime: 'application/pdf', created_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
    const up = await trx
      .insertInto('file_uploads')
      // Filed under the agency (or the tenderer): the award hand-off accepts only their uploads as the report.
      .values({ sha256: stored.sha256, original_name: `评标报告-标段${w.lot.lot_no}.pdf`, uploader_id: actor.accountId, org_id: w.tender.agency_org_id ?? w.tender.owner_org_id, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('eval_committees').set({ report_file_id: up.id, report_sha256: stored.sha256, report_at: now }).where('id', '=', w.committee.id).execute();
    await record(trx, actor.accountId, w.committee, 'evaluation.report_produced', { reportSha256: stored.sha256, fileId: up.id, minutes, feeFen: fee }, now);
    return { reportSha256: stored.sha256, fileId: up.id };
  });
}

/**
 * A member signs the report: states the SHA-256 it read (must be the report's), recorded in the ledger with the
 * seat. The last signature hands the ranked candidates (at most 3, 条例 第五十三条) to the award module through its
 * evaluation seam (source 'expert'), and reveals the seat and tie-break draws.
 */
export async function signReport(ctx: AppContext, actor: Actor, lotId: string, sha256: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    assertStage(w, ['report'], { zh: '签署评标报告', en: 'sign the report' });
    if (!w.committee.report_sha256) throw Errors.conflict('EVAL_NO_REPORT', '评标报告尚未生成', 'The report has not been produced yet');
    if (sha256 !== w.committee.report_sha256)
      throw new AppError('EVAL_REPORT_HASH_MISMATCH', 409, '签署的报告摘要与当前报告不一致', 'The hash you signed is not the report’s', 'sha256');
    if (w.me.signed_at) throw Errors.conflict('EVAL_ALREADY_SIGNED', '您已签署', 'You have already signed');
    const entry = await appendLedger(
      trx,
      { type: 'evaluation.report_signed', subjectType: 'eval_committee', subjectId: w.committee.id, actorId: actor.accountId, payload: { committeeId: w.committee.id, lotId, seat: w.me.seat, reportSha256: sha256 } },
      now,
    );
    await trx.updateTable('eval_members').set({ signed_at: now, signature_sha256: sha256 }).where('committee_id', '=', w.committee.id).where('account_id', '=', actor.accountId).execute();
    if (w.members.some((m) => !m.signed_at && m.account_id !== actor.accountId)) return { stage: w.committee.stage, ledgerSeq: entry.seq, handedOver: false };
    const ranked = await trx.selectFrom('eval_results').select(['rank', 'bidder_org_id', 'total_centi']).where('committee_id', '=', w.committee.id).where('rank', 'is not', null).orderBy('rank').limit(3).execute();
    await recordEvaluationResult(
      trx,
      {
        lotId,
        source: 'expert',
        reportFileId: w.committee.report_file_id!,
        reportReceivedAt: now,
        candidates: ranked.map((r) => ({ rank: r.rank!, bidderOrgId: r.bidder_org_id, score: r.total_centi == null ? null : r.total_centi / 100 })),
        actorId: null,
      },
      now,
    );
    const draws = await trx.selectFrom('eval_results').select('tie_draw_id').distinct().where('committee_id', '=', w.committee.id).where('tie_draw_id', 'is not', null).execute();
    for (const d of [w.committee.seat_draw_id, ...draws.map((x) => x.tie_draw_id!)]) await revealDraw(trx, d, now);
    await trx.updateTable('eval_committees').set({ signed_at: now }).where('id', '=', w.committee.id).execute();
    await setStage(trx, w.committee, 'signed');
    await record(trx, null, w.committee, 'evaluation.handed_over', { reportSha256: sha256, candidates: ranked.length }, now);
    return { stage: w.committee.stage, ledgerSeq: entry.seq, handedOver: true };
  });
}
