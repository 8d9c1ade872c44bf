import type { FastifyInstance } from 'fastify';
import type { DbOrTx } from '../../platform/db/database';
import './expertdraw.tables';
import './expertdraw.jobs'; // answer deadlines (chronograph); publication on the award (outbox)
import { expertDrawRoutes } from './expertdraw.routes';

/**
 * 专家抽取 (issue 4 part 3; DOMAIN §4 step 7): the tenderer or agency requests a lot's experts, the seed is committed
 * at once (ADR 0015), the center runs the draw over the registry's eligible experts with avoidance, the drawn are
 * notified (inbox + SMS), confirm or decline before a deadline, replacements (补抽) are new ledgered draws, a
 * conflict declared at check-in voids the seat, names stay with the custodians until the award.
 * Design: docs/adr/0019-expert-draw.md.
 */
export default async function expertDrawModule(app: FastifyInstance): Promise<void> {
  await expertDrawRoutes(app);
}

export interface CommitteeMember {
  expertId: string;
  accountId: string;
  specialty: string;
  role: 'expert';
}

/**
 * The confirmed experts of a lot's committee once every seat is confirmed (status complete or published), in draw
 * order; null while seats are open. For the evaluation module (which owns the committee) until it takes them over
 * through its own seatCommittee.
 */
export async function drawnCommittee(db: DbOrTx, lotId: string): Promise<CommitteeMember[] | null> {
  const r = await db.selectFrom('expert_draw_requests').select(['id', 'status']).where('lot_id', '=', lotId).executeTakeFirst();
  if (!r || (r.status !== 'complete' && r.status !== 'published')) return null;
  const rows = await db
    .selectFrom('expert_draw_members')
    .select(['expert_id', 'account_id', 'specialty'])
    .where('request_id', '=', r.id)
    .where('status', '=', 'confirmed')
    .orderBy('position')
    .execute();
  return rows.map((m) => ({ expertId: m.expert_id, accountId: m.account_id, specialty: m.specialty, role: 'expert' as const }));
}

export { publish as publishExpertNames } from './commands/respond';
export { RESPOND_JOB as EXPERTDRAW_RESPOND_JOB } from './commands/draw';
