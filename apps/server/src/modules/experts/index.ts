import type { FastifyInstance } from 'fastify';
import './experts.tables';
import './experts.jobs'; // the annual review deadline (chronograph)
import './experts.files'; // supervisors may download the materials of records they may read
import { expertSelfRoutes } from './experts.routes';
import { expertReviewRoutes } from './review.routes';

/**
 * 评标专家库 (issue 4, part 1; DOMAIN §5): specialty classification, online application, review by the regulator,
 * availability and leave, declared conflicts, annual review, performance, incentives, blacklist and exit.
 * Design: docs/adr/0016-expert-registry.md.
 *
 * Public surface for the draw and the evaluation (later parts of issue 4):
 * - `eligibleExperts(db, {specialties, regions?, kinds?, at, avoidOrgCodes?, excludeExpertIds?})` → the active
 *   experts in those specialties and regions, not on leave and not blacklisted during `at` (an instant or a period),
 *   ordered by expert number, each with `avoidOrgCodes` (统一社会信用代码 it must avoid: current employer and
 *   declared relations inside their window). Passing `avoidOrgCodes` (bidders + tenderer) excludes conflicted ones.
 * - `conflictedExperts(db, {orgCodes, at})` → Map expertId → codes hit, looked up from the organisations' side.
 * - `recordPerformance(trx, rater, {expertId, evaluationRef, rating, comment}, now)` → a rating inside the
 *   evaluation's transaction; `registerRatingGuard(fn)` tells the HTTP route who may rate which expert.
 * - `leafCodes(db, codes)` expands 大类/中类 codes to 小类.
 */
export default async function expertsModule(app: FastifyInstance): Promise<void> {
  await expertSelfRoutes(app);
  await expertReviewRoutes(app);
}

export { eligibleExperts, drawCandidates, conflictedExperts, leafCodes, type EligibilityQuery, type EligibleExpert, type DrawCandidateExpert } from './eligibility';
export { recordPerformance, registerRatingGuard, type RatingGuard, type RatingInput } from './commands/sanctions';
export { expertCode } from './experts.rules';
export type { EvaluationKind, ExpertStatus } from './experts.tables';
// Commands, for the demo seed and other in-process callers (each is one transaction with ledger + outbox).
export { submitApplication, type ApplicationInput } from './commands/apply';
export { approve, returnApplication, reject, removeExpert } from './commands/review';
export { recordAnnualReview, sweepOverdueReviews, ANNUAL_REVIEW_JOB } from './commands/annual';
export { declareLeave, withdrawLeave, declareConflict, endConflict, exitPool } from './commands/self';
export { blacklist, liftBlacklist, addIncentive } from './commands/sanctions';
