import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { commitDraw, executeDraw } from '../../../platform/lottery/index';
import { evalErrors, lotBids, templateOf } from '../evaluation.repo';
import { aggregateBid, deviating, priceScores, qualifies, rankGroups, roundDiv, type MemberSheet, type Template } from '../evaluation.rules';
import { assertStage, record, setStage, workspace, type Workspace } from './shared';

const noTemplate = () => Errors.conflict('EVAL_NO_TEMPLATE', '该标段未设置评标办法', 'This lot has no scoring template');

async function loadTemplate(db: DbOrTx, lotId: string): Promise<Template> {
  const t = await templateOf(db, lotId);
  if (!t) throw noTemplate();
  return t;
}

function assertOpenLot(w: Workspace) {
  if (w.lot.status !== 'evaluation') throw evalErrors.stage(`lot:${w.lot.status}`, '评审（标段未进入评标阶段）', 'evaluate (the lot is not in evaluation)');
}

/** One member's qualification review of one bid (pass, or fail with a reason); revisable until the member submits it. */
export async function reviewBid(ctx: AppContext, actor: Actor, lotId: string, b: { bidId: string; pass: boolean; reason?: string | null }) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    assertOpenLot(w);
    assertStage(w, ['review'], { zh: '资格审查', en: 'review qualification' });
    if (w.me.reviewed_at) throw Errors.conflict('EVAL_ALREADY_SUBMITTED', '您已提交资格审查结论', 'You have already submitted your review');
    const bids = await lotBids(trx, w);
    if (!bids.some((x) => x.bidId === b.bidId)) throw Errors.validation('bidId', '该投标不是本标段的有效投标', 'Not a valid bid of this lot', 'EVAL_BID_UNKNOWN');
    const reason = b.reason?.trim() || null;
    if (!b.pass && !reason) throw Errors.validation('reason', '不通过须说明理由', 'A failed review needs a reason', 'EVAL_REASON_REQUIRED');
    await trx
      .insertInto('eval_reviews')
      .values({ committee_id: w.committee.id, account_id: actor.accountId, bid_id: b.bidId, pass: b.pass, reason, at: now })
      .onConflict((oc) => oc.columns(['committee_id', 'account_id', 'bid_id']).doUpdateSet({ pass: b.pass, reason, at: now }))
      .execute();
  });
}

/** The bids that passed the committee's review (majority of members). */
async function qualifiedBids(db: DbOrTx, w: Workspace) {
  const bids = await lotBids(db, w);
  const reviews = await db.selectFrom('eval_reviews').select(['bid_id', 'pass']).where('committee_id', '=', w.committee.id).execute();
  return bids.map((b) => ({ ...b, qualified: qualifies(reviews.filter((r) => r.bid_id === b.bidId).map((r) => r.pass)) }));
}

/** A member submits the review; the last one moves the committee on (to scoring, or for 最低价法 straight to results). */
export async function submitReview(ctx: AppContext, actor: Actor, lotId: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    assertOpenLot(w);
    assertStage(w, ['review'], { zh: '提交资格审查', en: 'submit the review' });
    if (w.me.reviewed_at) throw Errors.conflict('EVAL_ALREADY_SUBMITTED', '您已提交资格审查结论', 'You have already submitted your review');
    const bids = await lotBids(trx, w);
    const mine = await trx.selectFrom('eval_reviews').select('bid_id').where('committee_id', '=', w.committee.id).where('account_id', '=', actor.accountId).execute();
    const missing = bids.filter((b) => !mine.some((r) => r.bid_id === b.bidId)).map((b) => b.bidId);
    if (missing.length) throw new AppError('EVAL_REVIEW_INCOMPLETE', 409, '尚有投标未审查', 'Some bids are not reviewed yet', 'bidId', { missing });
    await trx.updateTable('eval_members').set({ reviewed_at: now }).where('committee_id', '=', w.committee.id).where('account_id', '=', actor.accountId).execute();
    w.me.reviewed_at = now;
    if (w.members.some((m) => !m.reviewed_at && m.account_id !== actor.accountId)) return { stage: w.committee.stage };
    const q = await qualifiedBids(trx, w);
    await record(trx, null, w.committee, 'evaluation.reviewed', { qualified: q.filter((b) => b.qualified).map((b) => b.bidId), failed: q.filter((b) => !b.qualified).map((b) => b.bidId) }, now);
    const t = await loadTemplate(trx, lotId);
    if (t.method === 'lowest_price') await finalize(trx, w, t, now);
    else await setStage(trx, w.committee, 'scoring');
    return { stage: w.committee.stage };
  });
}

/** Enter or change own scores (before submitting). Each within the item's range; only bids that passed the review. */
export async function enterScores(ctx: AppContext, actor: Actor, lotId: string, scores: { bidId: string; item: string; centi: number }[]) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    assertOpenLot(w);
    assertStage(w, ['scoring'], { zh: '评分', en: 'score' });
    if (w.me.submitted_at) throw Errors.conflict('EVAL_ALREADY_SUBMITTED', '您已提交评分，不能再修改（偏离提示时可确认或更正）', 'You have submitted; scores change only through a deviation flag');
    const t = await loadTemplate(trx, lotId);
    if (t.method !== 'comprehensive') throw noTemplate();
    const q = new Set((await qualifiedBids(trx, w)).filter((b) => b.qualified).map((b) => b.bidId));
    for (const [k, s] of scores.entries()) {
      const item = t.items.find((i) => i.code === s.item);
      if (!item) throw Errors.validation(`scores.${k}.item`, '评分项不存在', 'No such item', 'EVAL_ITEM_UNKNOWN');
      if (!q.has(s.bidId)) throw Errors.validation(`scores.${k}.bidId`, '该投标未通过资格审查或不存在', 'The bid did not pass the review or does not exist', 'EVAL_BID_UNKNOWN');
      if (s.centi < item.minCenti || s.centi > item.maxCenti)
        throw Errors.validation(`scores.${k}.score`, `${item.name}的分值须在 ${item.minCenti / 100}–${item.maxCenti / 100} 之间`, `${item.name} must be within ${item.minCenti / 100}–${item.maxCenti / 100}`, 'EVAL_SCORE_OUT_OF_RANGE');
      await trx
        .insertInto('eval_scores')
        .values({ committee_id: w.committee.id, account_id: actor.accountId, bid_id: s.bidId, item_code: s.item, centi: s.centi, at: now })
        .onConflict((oc) => oc.columns(['committee_id', 'account_id', 'bid_id', 'item_code']).doUpdateSet({ centi: s.centi, at: now }))
        .execute();
    }
  });
}

async function sheetsOf(db: DbOrTx, w: Workspace): Promise<Map<string, MemberSheet[]>> {
  const rows = await db.selectFrom('eval_scores').select(['account_id', 'bid_id', 'item_code', 'centi']).where('committee_id', '=', w.committee.id).execute();
  const byBid = new Map<string, MemberSheet[]>();
  for (const m of w.members) {
    for (const r of rows.filter((x) => x.account_id === m.account_id)) {
      const list = byBid.get(r.bid_id) ?? [];
      let s = list.find((x) => x.member === m.account_id);
      if (!s) list.push((s = { member: m.account_id, seat: m.seat, scores: {} }));
      s.scores[r.item_code] = r.centi;
      byBid.set(r.bid_id, list);
    }
  }
  return byBid;
}

/**
 * Submit own scores (every item of every qualified bid). The last submission opens the scores to the committee and
 * flags deviations (> the template's share of the item mean): each flagged member confirms or corrects; with no flag
 * open the results are computed.
 */
export async function submitScores(ctx: AppContext, actor: Actor, lotId: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    assertOpenLot(w);
    assertStage(w, ['scoring'], { zh: '提交评分', en: 'submit scores' });
    if (w.me.submitted_at) throw Errors.conflict('EVAL_ALREADY_SUBMITTED', '您已提交评分', 'You have already submitted');
    const t = await loadTemplate(trx, lotId);
    if (t.method !== 'comprehensive') throw noTemplate();
    const q = (await qualifiedBids(trx, w)).filter((b) => b.qualified);
    const mine = await trx.selectFrom('eval_scores').select(['bid_id', 'item_code']).where('committee_id', '=', w.committee.id).where('account_id', '=', actor.accountId).execute();
    const missing = q.flatMap((b) => t.items.filter((i) => !mine.some((m) => m.bid_id === b.bidId && m.item_code === i.code)).map((i) => `${b.bidId}/${i.code}`));
    if (missing.length) throw new AppError('EVAL_SCORES_INCOMPLETE', 409, '尚有评分项未打分', 'Some items are not scored yet', 'scores', { missing });
    await trx.updateTable('eval_members').set({ submitted_at: now }).where('committee_id', '=', w.committee.id).where('account_id', '=', actor.accountId).execute();
    w.me.submitted_at = now;
    await record(trx, actor.accountId, w.committee, 'evaluation.scores_submitted', { seat: w.me.seat }, now);
    if (w.members.some((m) => !m.submitted_at && m.account_id !== actor.accountId)) return { stage: w.committee.stage };
    // Everyone has submitted: flag deviations item by item.
    const sheets = await sheetsOf(trx, w);
    const flags = [];
    for (const b of q) {
      const list = sheets.get(b.bidId) ?? [];
      for (const item of t.items) {
        const scores = list.map((s) => ({ member: s.member, centi: s.scores[item.code]! }));
        const mean = Number(roundDiv(BigInt(scores.reduce((a, s) => a + s.centi, 0)), BigInt(scores.length)));
        for (const m of deviating(scores, t.deviationBp)) {
          flags.push({ committee_id: w.committee.id, account_id: m, bid_id: b.bidId, item_code: item.code, centi: scores.find((s) => s.member === m)!.centi, mean_centi: mean, status: 'open' as const, note: null, resolved_at: null });
        }
      }
    }
    if (flags.length) {
      await trx.insertInto('eval_flags').values(flags).execute();
      await setStage(trx, w.committee, 'flags');
      await record(trx, null, w.committee, 'evaluation.deviations_flagged', { count: flags.length }, now);
    } else await finalize(trx, w, t, now);
    return { stage: w.committee.stage };
  });
}

/** A flagged member confirms the score (with a reason) or corrects it; the last resolution computes the results. */
export async function resolveFlag(ctx: AppContext, actor: Actor, lotId: string, b: { bidId: string; item: string; action: 'confirm' | 'correct'; centi?: number; note: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const w = await workspace(trx, lotId, actor, true);
    assertStage(w, ['flags'], { zh: '处理偏离提示', en: 'resolve a deviation flag' });
    const flag = await trx
      .selectFrom('eval_flags')
      .selectAll()
      .where('committee_id', '=', w.committee.id)
      .where('account_id', '=', actor.accountId)
      .where('bid_id', '=', b.bidId)
      .where('item_code', '=', b.item)
      .executeTakeFirst();
    if (!flag || flag.status !== 'open') throw Errors.notFound('Open flag', '待处理的偏离提示');
    const t = await loadTemplate(trx, lotId);
    if (t.method !== 'comprehensive') throw noTemplate();
    if (b.action === 'correct') {
      const item = t.items.find((i) => i.code === b.item)!;
      if (b.centi == null || b.centi < item.minCenti || b.centi > item.maxCenti)
        throw Errors.validation('score', '更正后的分值超出范围', 'The corrected score is out of range', 'EVAL_SCORE_OUT_OF_RANGE');
      await trx.updateTable('eval_scores').set({ centi: b.centi, at: now }).where('committee_id', '=', w.committee.id).where('account_id', '=', actor.accountId).where('bid_id', '=', b.bidId).where('item_code', '=', b.item).execute();
    }
    await trx
      .updateTable('eval_flags')
      .set({ status: b.action === 'confirm' ? 'confirmed' : 'corrected', note: b.note.trim(), resolved_at: now })
      .where('committee_id', '=', w.committee.id)
      .where('account_id', '=', actor.accountId)
      .where('bid_id', '=', b.bidId)
      .where('item_code', '=', b.item)
      .execute();
    await record(trx, actor.accountId, w.committee, 'evaluation.flag_resolved', { seat: w.me.seat, bidId: b.bidId, item: b.item, action: b.action, from: flag.centi, to: b.action === 'correct' ? b.centi : flag.centi }, now);
    const open = await trx.selectFrom('eval_flags').select('bid_id').where('committee_id', '=', w.committee.id).where('status', '=', 'open').executeTakeFirst();
    if (!open) await finalize(trx, w, t, now);
    return { stage: w.committee.stage };
  });
}

/**
 * Results: price scores over the qualified bids, the committee's subjective mean, totals, ranking; bids the rules
 * cannot separate go through a tie_break draw of the verifiable lottery (secret until the hand-off).
 */
async function finalize(trx: DbOrTx, w: Workspace, t: Template, now: Date) {
  const all = await qualifiedBids(trx, w);
  const q = all.filter((b) => b.qualified);
  const sheets = t.method === 'comprehensive' ? await sheetsOf(trx, w) : new Map<string, MemberSheet[]>();
  const prices = t.method === 'comprehensive' ? priceScores(t.price, q) : new Map<string, number>();
  const rows = q.map((b) => {
    if (t.method !== 'comprehensive') return { ...b, technical: null, commercial: null, price: null, total: null };
    const a = aggregateBid(t.items, sheets.get(b.bidId) ?? [], t.trimmed);
    const price = prices.get(b.bidId)!;
    return { ...b, technical: a.technicalCenti, commercial: a.commercialCenti, price, total: a.subjectiveCenti + price };
  });
  const groups = rankGroups(
    t.method,
    rows.map((r) => ({ bidId: r.bidId, priceFen: r.priceFen, totalCenti: r.total ?? 0, technicalCenti: r.technical ?? 0 })),
  );
  const rank = new Map<string, { rank: number; draw: string | null }>();
  let next = 1;
  for (const g of groups) {
    let order = g;
    let drawId: string | null = null;
    if (g.length > 1) {
      const d = await commitDraw(trx, { purpose: 'tie_break', subject: `evaluation:lot:${w.lot.id}/tie:${next}`, secret: true, revealAfter: null }, now);
      const r = await executeDraw(trx, d.id, { candidates: g.map((id) => ({ id, groups: [] })), strata: [{ group: '*', count: g.length }] }, now);
      order = r.selected.map((s) => s.id);
      drawId = d.id;
    }
    for (const id of order) rank.set(id, { rank: next++, draw: drawId });
  }
  await trx.deleteFrom('eval_results').where('committee_id', '=', w.committee.id).execute();
  if (all.length)
    await trx
      .insertInto('eval_results')
      .values(
        all.map((b) => {
          const r = rows.find((x) => x.bidId === b.bidId);
          return {
            committee_id: w.committee.id,
            bid_id: b.bidId,
            bidder_org_id: b.bidderOrgId,
            price_fen: b.priceFen,
            qualified: b.qualified,
            technical_centi: r?.technical ?? null,
            commercial_centi: r?.commercial ?? null,
            price_centi: r?.price ?? null,
            total_centi: r?.total ?? null,
            rank: rank.get(b.bidId)?.rank ?? null,
            tie_draw_id: rank.get(b.bidId)?.draw ?? null,
          };
        }),
      )
      .execute();
  await setStage(trx, w.committee, 'report');
  await record(trx, null, w.committee, 'evaluation.ranked', { ranking: [...rank.entries()].map(([bidId, r]) => ({ bidId, rank: r.rank, tieDrawId: r.draw })) }, now);
}

/**
 * Scores of the whole committee. Before a member has submitted, refused with 403 EVAL_SCORES_SEALED (each expert
 * scores alone); after, the submitted members' sheets by seat (names are not needed to compare).
 */
export async function committeeScores(db: DbOrTx, actor: Actor, lotId: string) {
  const w = await workspace(db, lotId, actor);
  if (!w.me.submitted_at) throw evalErrors.sealed();
  const seats = new Map(w.members.filter((m) => m.submitted_at).map((m) => [m.account_id, m.seat]));
  const rows = await db.selectFrom('eval_scores').select(['account_id', 'bid_id', 'item_code', 'centi']).where('committee_id', '=', w.committee.id).execute();
  return rows.filter((r) => seats.has(r.account_id)).map((r) => ({ seat: seats.get(r.account_id)!, bidId: r.bid_id, item: r.item_code, centi: r.centi }));
}

export { qualifiedBids };
