import type { FastifyInstance } from 'fastify';
import { registerFileAccessRule } from '../../platform/files/index';
import { registerEvaluationResultSource } from '../award/index';
import { registerRatingGuard } from '../experts/index';
import { isTenderParty } from '../tendering/index';
import './evaluation.tables';
import { evaluationRoutes } from './evaluation.routes';

/**
 * Expert evaluation (issue 4 part 4; docs/adr/0020-evaluation.md): the committee (seated by the expert draw through
 * `seatCommittee`), the scoring template, the members' workspace (review, scores sealed until submitted, deviation
 * flags), clarifications, the signed report PDF, fees, and the hand-off to the award module's evaluation seam.
 */
export default async function evaluationModule(app: FastifyInstance): Promise<void> {
  await evaluationRoutes(app);
}

// Members read their committee's report PDF (the parties read it through the award module's rule after the hand-off).
registerFileAccessRule(async ({ db, actor, file }) => {
  if (!actor) return false;
  const hit = await db
    .selectFrom('eval_committees as c')
    .innerJoin('eval_members as m', 'm.committee_id', 'c.id')
    .select('c.id')
    .where('c.report_file_id', '=', file.id)
    .where('m.account_id', '=', actor.accountId)
    .executeTakeFirst();
  return !!hit;
});

// Ratings (ADR 0016): evaluationRef is the committee id; only after the hand-off, only experts who sat on it, only
// by the tenderer/agency of that tender or the center's evaluation-room staff.
registerRatingGuard(async (db, { actor, expertId, evaluationRef }) => {
  const centerStaff = actor.roles.some((g) => g.role === 'center_witness' || g.role === 'center_intake');
  // A reference that is not an electronic committee (an evaluation held outside this workspace): the registry's
  // own rule — the center's evaluation-room staff rate.
  const isCommittee = /^[0-9a-f-]{36}$/i.test(evaluationRef) && !!(await db.selectFrom('eval_committees').select('id').where('id', '=', evaluationRef).executeTakeFirst());
  if (!isCommittee) return centerStaff;
  const row = await db
    .selectFrom('eval_committees as c')
    .innerJoin('eval_members as m', 'm.committee_id', 'c.id')
    .innerJoin('tenders as t', 't.id', 'c.tender_id')
    .select(['t.owner_org_id', 't.agency_org_id'])
    .where('c.id', '=', evaluationRef)
    .where('c.stage', '=', 'signed')
    .where('m.expert_id', '=', expertId)
    .executeTakeFirst();
  if (!row) return false;
  return isTenderParty(actor, { ownerOrgId: row.owner_org_id, agencyOrgId: row.agency_org_id }) || actor.roles.some((g) => g.role === 'center_witness' || g.role === 'center_intake');
});

// ---- Public surface for other modules ----
export { seatCommittee, replaceMembers, committeePlan, type SeatInput } from './commands/committee';

// A lot evaluated electronically (a scoring template set, or a committee seated) gets its result only from the
// signed report: manual entry by the agency would race the hand-off and bypass the committee.
registerEvaluationResultSource({
  manualEntry: async (db, lotId) => {
    const t = await db.selectFrom('eval_templates').select('lot_id').where('lot_id', '=', lotId).executeTakeFirst();
    if (t) return false;
    const c = await db.selectFrom('eval_committees').select('id').where('lot_id', '=', lotId).executeTakeFirst();
    return !c;
  },
});
