import type { DbOrTx } from '../../platform/db/database';
import { lotBids, orgNames, templateOf } from './evaluation.repo';
import { formatCenti, type Template } from './evaluation.rules';
import type { Workspace } from './commands/shared';
import { qualifiedBids } from './commands/workspace';

export function presentTemplate(t: Template | null) {
  if (!t) return null;
  if (t.method === 'lowest_price') return { method: t.method };
  return {
    method: t.method,
    items: t.items.map((i) => ({ code: i.code, name: i.name, category: i.category, min: formatCenti(i.minCenti), max: formatCenti(i.maxCenti) })),
    price:
      t.price.benchmark === 'lowest'
        ? { benchmark: 'lowest', max: formatCenti(t.price.maxCenti) }
        : { benchmark: 'average', max: formatCenti(t.price.maxCenti), coefficient: String(t.price.coefficientBp / 10000), abovePerPercent: formatCenti(t.price.aboveCenti), belowPerPercent: formatCenti(t.price.belowCenti) },
    trimmed: t.trimmed,
    deviationPercent: t.deviationBp / 100,
  };
}

const c = (v: number | null) => (v == null ? null : formatCenti(v));

/** A member's workspace: own review and scores, the others only as seats and progress; results once computed. */
export async function presentWorkspace(db: DbOrTx, w: Workspace) {
  const id = w.committee.id;
  const me = w.me.account_id;
  const [template, bids, reviews, scores, flags, results, clar] = await Promise.all([
    templateOf(db, w.lot.id),
    lotBids(db, w),
    db.selectFrom('eval_reviews').select(['bid_id', 'pass', 'reason']).where('committee_id', '=', id).where('account_id', '=', me).execute(),
    db.selectFrom('eval_scores').select(['bid_id', 'item_code', 'centi']).where('committee_id', '=', id).where('account_id', '=', me).execute(),
    db.selectFrom('eval_flags').selectAll().where('committee_id', '=', id).where('account_id', '=', me).execute(),
    db.selectFrom('eval_results').selectAll().where('committee_id', '=', id).orderBy('rank').execute(),
    db.selectFrom('eval_clarifications').select(['id', 'bidder_org_id', 'question', 'asked_at', 'answer', 'answered_at']).where('committee_id', '=', id).orderBy('asked_at').execute(),
  ]);
  const names = await orgNames(db, bids.map((b) => b.bidderOrgId));
  // The committee's majority verdict per bid, once the review is over (during it, others' votes stay private): the
  // scoring form offers only the bids that passed.
  const verdict = w.committee.stage === 'review' ? null : new Map((await qualifiedBids(db, w)).map((b) => [b.bidId, b.qualified]));
  const done = w.committee.stage === 'signed';
  return {
    committeeId: id,
    lotId: w.lot.id,
    tenderId: w.tender.id,
    stage: w.committee.stage,
    me: { seat: w.me.seat, chair: w.me.chair, kind: w.me.kind, reviewed: !!w.me.reviewed_at, submitted: !!w.me.submitted_at, signed: !!w.me.signed_at },
    members: w.members.map((m) => ({
      seat: m.seat,
      kind: m.kind,
      chair: m.chair,
      reviewed: !!m.reviewed_at,
      submitted: !!m.submitted_at,
      signed: !!m.signed_at,
      feeFen: m.fee_fen,
      name: done || m.account_id === me ? (m.expert_name ?? m.display_name) : null,
      expertId: done ? m.expert_id : null,
    })),
    template: presentTemplate(template),
    bids: bids.map((b) => ({ bidId: b.bidId, bidderOrgId: b.bidderOrgId, bidderName: names.get(b.bidderOrgId) ?? '', priceFen: b.priceFen, qualified: verdict?.get(b.bidId) ?? null })),
    myReviews: reviews.map((r) => ({ bidId: r.bid_id, pass: r.pass, reason: r.reason })),
    myScores: scores.map((s) => ({ bidId: s.bid_id, item: s.item_code, score: formatCenti(s.centi) })),
    myFlags: flags.map((f) => ({ bidId: f.bid_id, item: f.item_code, score: formatCenti(f.centi), mean: formatCenti(f.mean_centi), status: f.status, note: f.note })),
    results: results.map((r) => ({
      bidId: r.bid_id,
      bidderOrgId: r.bidder_org_id,
      priceFen: r.price_fen,
      qualified: r.qualified,
      technical: c(r.technical_centi),
      commercial: c(r.commercial_centi),
      price: c(r.price_centi),
      total: c(r.total_centi),
      rank: r.rank,
      tieDrawId: r.tie_draw_id,
    })),
    clarifications: clar.map((q) => ({ id: q.id, bidderOrgId: q.bidder_org_id, question: q.question, askedAt: q.asked_at.toISOString(), answer: q.answer, answeredAt: q.answered_at?.toISOString() ?? null })),
    report: w.committee.report_sha256 ? { fileId: w.committee.report_file_id, sha256: w.committee.report_sha256, producedAt: w.committee.report_at!.toISOString() } : null,
  };
}
