import { Type } from 'typebox';
import type { DbOrTx } from '../../platform/db/database';
import { shanghaiDate } from '../../platform/calendar/index';
import { conflictActiveOn, expertCode, nextReviewDeadline, reviewApplies } from './experts.rules';
import {
  getAnnualReviews,
  getBlacklist,
  getConflicts,
  getIncentives,
  getLeaves,
  getLinks,
  getMaterials,
  getPerformance,
  getReviews,
  getSettings,
  listSpecialties,
  performanceSummary,
  type ExpertRow,
} from './experts.repo';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const ExpertSummarySchema = Type.Object({
  id: Str,
  code: Str,
  name: Str,
  status: Str,
  titleLevel: Str,
  titleName: Nullable(Str),
  experienceYears: Type.Integer(),
  employerName: Nullable(Str),
  homeRegion: Str,
  industries: Type.Array(Str),
  specialties: Type.Array(Str),
  submitCount: Type.Integer(),
  submittedAt: Str,
  decidedAt: Nullable(Str),
  activatedAt: Nullable(Str),
});

const SpecialtyRef = Type.Object({ code: Str, nameZh: Str, nameEn: Str });

export const ExpertDetailSchema = Type.Object({
  ...ExpertSummarySchema.properties,
  phone: Nullable(Str),
  equivalentLevel: Type.Boolean(),
  employer: Nullable(Type.Object({ name: Str, uscc: Str })),
  specialtyDetails: Type.Array(SpecialtyRef),
  regions: Type.Array(Str),
  kinds: Type.Array(Str),
  suspendedReason: Nullable(Str),
  endedAt: Nullable(Str),
  endReason: Nullable(Str),
  conflicts: Type.Array(
    Type.Object({
      id: Str,
      kind: Str,
      orgUscc: Str,
      orgName: Str,
      relation: Nullable(Str),
      startedOn: Nullable(Str),
      endedOn: Nullable(Str),
      avoidUntil: Nullable(Str),
      active: Type.Boolean(),
      declaredAt: Str,
    }),
  ),
  materials: Type.Array(Type.Object({ code: Str, fileId: Str, name: Str, suppliedAt: Str })),
  reviews: Type.Array(
    Type.Object({ round: Type.Integer(), decision: Str, reasons: Type.Array(Type.Object({ field: Str, note: Str })), comment: Nullable(Str), decidedAt: Str }),
  ),
  leaves: Type.Array(Type.Object({ id: Str, startsAt: Str, endsAt: Str, reason: Str, cancelledAt: Nullable(Str), current: Type.Boolean() })),
  annualReviews: Type.Array(Type.Object({ year: Type.Integer(), result: Str, comment: Nullable(Str), decidedAt: Str })),
  annualReviewDue: Nullable(Type.Object({ year: Type.Integer(), dueAt: Str, done: Type.Boolean() })),
  performance: Type.Object({
    count: Type.Integer(),
    average: Nullable(Type.Number()),
    entries: Type.Array(Type.Object({ id: Str, evaluationRef: Str, rating: Type.Integer(), comment: Nullable(Str), createdAt: Str })),
  }),
  incentives: Type.Object({
    points: Type.Integer(),
    entries: Type.Array(Type.Object({ id: Str, kind: Str, points: Type.Integer(), reason: Str, createdAt: Str })),
  }),
  blacklist: Type.Array(
    Type.Object({
      id: Str,
      reason: Str,
      basis: Nullable(Str),
      startsAt: Str,
      endsAt: Nullable(Str),
      liftedAt: Nullable(Str),
      liftReason: Nullable(Str),
      inForce: Type.Boolean(),
    }),
  ),
  availability: Type.Object({ onLeaveNow: Type.Boolean(), blacklistedNow: Type.Boolean(), eligibleNow: Type.Boolean() }),
});

export function presentSummary(e: ExpertRow, specialties: string[]) {
  return {
    id: e.id,
    code: expertCode(e.serial_no),
    name: e.name,
    status: e.status,
    titleLevel: e.title_level,
    titleName: e.title_name,
    experienceYears: e.experience_years,
    employerName: e.employer_name,
    homeRegion: e.home_region,
    industries: e.industries,
    specialties,
    submitCount: e.submit_count,
    submittedAt: e.submitted_at.toISOString(),
    decidedAt: iso(e.decided_at),
    activatedAt: iso(e.activated_at),
  };
}

/** The full record for the expert and for supervisors with jurisdiction. Raters are never named to the expert. */
export async function presentDetail(db: DbOrTx, e: ExpertRow, now: Date) {
  const [links, names, conflicts, materials, reviews, leaves, annual, perf, summary, incentives, bars, settings] = await Promise.all([
    getLinks(db, e.id),
    listSpecialties(db),
    getConflicts(db, e.id),
    getMaterials(db, e.id),
    getReviews(db, e.id),
    getLeaves(db, e.id),
    getAnnualReviews(db, e.id),
    getPerformance(db, e.id),
    performanceSummary(db, e.id),
    getIncentives(db, e.id),
    getBlacklist(db, e.id),
    getSettings(db),
  ]);
  const t = now.getTime();
  const today = shanghaiDate(now);
  const byCode = new Map(names.map((n) => [n.code, n]));
  const onLeaveNow = leaves.some((l) => !l.cancelled_at && l.starts_at.getTime() <= t && l.ends_at.getTime() > t);
  const barInForce = (b: (typeof bars)[number]) => !b.lifted_at && b.starts_at.getTime() <= t && (!b.ends_at || b.ends_at.getTime() > t);
  const blacklistedNow = bars.some(barInForce);
  const due = nextReviewDeadline(now, settings.annual_review_due);
  const annualReviewDue =
    (e.status === 'active' || e.status === 'suspended') && reviewApplies(e.activated_at, due.year)
      ? { year: due.year, dueAt: due.dueAt.toISOString(), done: annual.some((a) => a.year === due.year) }
      : null;
  return {
    ...presentSummary(e, links.specialties),
    phone: e.phone,
    equivalentLevel: e.equivalent_level,
    employer: e.employer_name && e.employer_uscc ? { name: e.employer_name, uscc: e.employer_uscc.trim() } : null,
    specialtyDetails: links.specialties.map((c) => ({ code: c, nameZh: byCode.get(c)?.name_zh ?? c, nameEn: byCode.get(c)?.name_en ?? c })),
    regions: links.regions,
    kinds: links.kinds,
    suspendedReason: e.suspended_reason,
    endedAt: iso(e.ended_at),
    endReason: e.end_reason,
    conflicts: conflicts.map((c) => ({
      id: c.id,
      kind: c.kind,
      orgUscc: c.org_uscc.trim(),
      orgName: c.org_name,
      relation: c.relation,
      startedOn: c.started_on,
      endedOn: c.ended_on,
      avoidUntil: c.avoid_until,
      active: conflictActiveOn(c.avoid_until, today),
      declaredAt: c.declared_at.toISOString(),
    })),
    materials: materials.map((m) => ({ code: m.code, fileId: m.file_id, name: m.original_name, suppliedAt: m.supplied_at.toISOString() })),
    reviews: reviews.map((r) => ({ round: r.round, decision: r.decision, reasons: r.reasons, comment: r.comment, decidedAt: r.decided_at.toISOString() })),
    leaves: leaves.map((l) => ({
      id: l.id,
      startsAt: l.starts_at.toISOString(),
      endsAt: l.ends_at.toISOString(),
      reason: l.reason,
      cancelledAt: iso(l.cancelled_at),
      current: !l.cancelled_at && l.starts_at.getTime() <= t && l.ends_at.getTime() > t,
    })),
    annualReviews: annual.map((a) => ({ year: a.year, result: a.result, comment: a.comment, decidedAt: a.decided_at.toISOString() })),
    annualReviewDue,
    performance: {
      ...summary,
      entries: perf.map((p) => ({ id: p.id, evaluationRef: p.evaluation_ref, rating: p.rating, comment: p.comment, createdAt: p.created_at.toISOString() })),
    },
    incentives: {
      points: incentives.reduce((s, i) => s + (i.kind === 'incentive' ? i.points : -i.points), 0),
      entries: incentives.map((i) => ({ id: i.id, kind: i.kind, points: i.points, reason: i.reason, createdAt: i.created_at.toISOString() })),
    },
    blacklist: bars.map((b) => ({
      id: b.id,
      reason: b.reason,
      basis: b.basis,
      startsAt: b.starts_at.toISOString(),
      endsAt: iso(b.ends_at),
      liftedAt: iso(b.lifted_at),
      liftReason: b.lift_reason,
      inForce: barInForce(b),
    })),
    availability: { onLeaveNow, blacklistedNow, eligibleNow: e.status === 'active' && !onLeaveNow && !blacklistedNow },
  };
}
