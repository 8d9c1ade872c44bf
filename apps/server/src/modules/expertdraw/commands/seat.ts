import { sql } from 'kysely';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { replaceMembers, seatCommittee } from '../../evaluation/index';
import * as repo from '../expertdraw.repo';
import { SUBJECT_TYPE } from './draw';

type Request = NonNullable<Awaited<ReturnType<typeof repo.getRequest>>>;

export type SeatOutcome = { seated: true; committeeId: string; replaced: number } | { seated: false; code: string; zh: string; en: string };

/**
 * Once every seat of a lot's draw is confirmed (the first draw, or after 补抽), the evaluation committee is seated at
 * once — random seats by the evaluation module's seat_assignment lottery draw — in the transaction of the
 * confirmation that completed it (ADR 0019 § seating). A committee already seated (a member voided at check-in and
 * replaced) gets the replacement in the vacated seat.
 *
 * Seating can fail for reasons that are not the expert's doing (the composition breaks the policy because the
 * tenderer's representative is not nominated yet; the lot has left the stages where a committee may be seated). The
 * attempt runs under a SAVEPOINT: on failure its writes are undone, the confirmation stands, the reason is stored
 * on the request (seat_error) and ledgered, and center staff retry (POST /api/expert-draws/:id/seat).
 */
export async function seatFromDraw(trx: DbOrTx, req: Request, actorId: string | null, now: Date): Promise<SeatOutcome> {
  const members = await repo.membersOf(trx, req.id);
  const confirmed = members.filter((m) => m.status === 'confirmed').map((m) => ({ expertId: m.expert_id, accountId: m.account_id }));
  const existing = await trx.selectFrom('eval_committees').select('id').where('lot_id', '=', req.lot_id).executeTakeFirst();
  await sql`SAVEPOINT expertdraw_seat`.execute(trx);
  let outcome: SeatOutcome;
  try {
    if (existing) {
      const r = await replaceMembers(trx, { lotId: req.lot_id, confirmed, now, actorId });
      outcome = { seated: true, committeeId: r.committeeId, replaced: r.replaced };
    } else {
      const r = await seatCommittee(trx, { lotId: req.lot_id, members: confirmed, now, actorId });
      outcome = { seated: true, committeeId: r.committeeId, replaced: 0 };
    }
    await sql`RELEASE SAVEPOINT expertdraw_seat`.execute(trx);
  } catch (e) {
    if (!(e instanceof AppError)) throw e; // a database or programming error fails the whole command
    await sql`ROLLBACK TO SAVEPOINT expertdraw_seat`.execute(trx);
    outcome = { seated: false, code: e.code, zh: e.zh, en: e.en };
  }
  await trx.updateTable('expert_draw_requests').set({ seat_error: outcome.seated ? null : `${outcome.code}: ${outcome.zh}` }).where('id', '=', req.id).execute();
  const payload = { requestId: req.id, tenderId: req.tender_id, lotId: req.lot_id, ...(outcome.seated ? { committeeId: outcome.committeeId, replaced: outcome.replaced } : { code: outcome.code }) };
  const type = outcome.seated ? 'expertdraw.committee_seated' : 'expertdraw.seat_failed';
  await recordLedger(trx, { type, subjectType: SUBJECT_TYPE, subjectId: req.id, actorId, payload }, now);
  await emitEvent(trx, { type, payload }, now);
  return outcome;
}
