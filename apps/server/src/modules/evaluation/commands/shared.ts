import type { Actor } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/database';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { committeeOf, evalErrors, loadLot, membersOf, type CommitteeRow, type LotContext, type MemberRow } from '../evaluation.repo';
import type { EvalStage } from '../evaluation.tables';

export interface Workspace extends LotContext {
  committee: CommitteeRow;
  members: MemberRow[];
  me: MemberRow;
}

/** The lot, its committee and the actor's seat on it; 404 without a committee, 403 EVAL_NOT_MEMBER for others. */
export async function workspace(db: DbOrTx, lotId: string, actor: Actor, forUpdate = false): Promise<Workspace> {
  const c = await loadLot(db, lotId, forUpdate);
  const committee = await committeeOf(db, lotId, forUpdate);
  if (!committee) throw evalErrors.noCommittee();
  const members = await membersOf(db, committee.id);
  const me = members.find((m) => m.account_id === actor.accountId);
  if (!me) throw evalErrors.notMember();
  return { ...c, committee, members, me };
}

export function assertStage(w: { committee: CommitteeRow }, allowed: EvalStage[], what: { zh: string; en: string }): void {
  if (!allowed.includes(w.committee.stage)) throw evalErrors.stage(w.committee.stage, what.zh, what.en);
}

/** Ledger entry (hashes and ids, never names: membership is secret until the result) and outbox event. */
export async function record(trx: DbOrTx, actorId: string | null, committee: { id: string; lot_id: string; tender_id: string }, type: string, extra: Record<string, unknown>, now: Date) {
  const payload = { committeeId: committee.id, lotId: committee.lot_id, tenderId: committee.tender_id, ...extra };
  await recordLedger(trx, { type, subjectType: 'eval_committee', subjectId: committee.id, actorId, payload }, now);
  await emitEvent(trx, { type, payload }, now);
}

export async function setStage(trx: DbOrTx, committee: CommitteeRow, stage: EvalStage): Promise<void> {
  await trx.updateTable('eval_committees').set({ stage }).where('id', '=', committee.id).execute();
  committee.stage = stage;
}
