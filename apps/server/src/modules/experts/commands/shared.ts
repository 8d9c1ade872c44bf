import type { DbOrTx } from '../../../platform/db/database';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { notify } from '../../../platform/notify/notify';
import type { Bilingual } from '../../../platform/notify/notify.tables';
import { expertCode } from '../experts.rules';
import { getExpert, type ExpertRow } from '../experts.repo';
import { assertCanDecide, assertCanSanction, expertNotFound } from '../experts.policy';
import type { Actor } from '../../../platform/auth/actor';

/**
 * Ledger entry + outbox event for a change to an expert record, in the changing transaction. The payload carries
 * no personal data (no name, no ID hash, no phone): the ledger is append-only and cannot honour erasure; the id,
 * status, region, industries and the change's own facts are enough to audit it.
 */
export async function record(
  trx: DbOrTx,
  actorId: string | null,
  expertId: string,
  type: string,
  extra: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const e = (await getExpert(trx, expertId))!;
  const payload = {
    expertId: e.id,
    code: expertCode(e.serial_no),
    accountId: e.account_id,
    status: e.status,
    homeRegion: e.home_region,
    industries: e.industries,
    ...extra,
  };
  await recordLedger(trx, { type, subjectType: 'expert', subjectId: e.id, actorId, payload }, now);
  await emitEvent(trx, { type, payload }, now);
}

/** Tell the expert (in-app inbox + mail/SMS adapters) about a decision on the record. */
export async function tellExpert(trx: DbOrTx, e: Pick<ExpertRow, 'account_id'>, kind: string, title: Bilingual, body: Bilingual, now: Date) {
  await notify(trx, { accountIds: [e.account_id], kind, title, body, link: '/workbench/expert', channels: ['mail', 'sms'] }, now);
}

export const accessOf = (e: ExpertRow) => ({ accountId: e.account_id, homeRegion: e.home_region, industries: e.industries });

/** Load FOR UPDATE and check that the actor may decide on the record (admission, annual review, removal). */
export async function loadForDecision(trx: DbOrTx, actor: Actor, id: string): Promise<ExpertRow> {
  const e = await getExpert(trx, id, true);
  if (!e) throw expertNotFound();
  assertCanDecide(actor, accessOf(e));
  return e;
}

/** Load FOR UPDATE and check that the actor may sanction the record (blacklist, points). */
export async function loadForSanction(trx: DbOrTx, actor: Actor, id: string): Promise<ExpertRow> {
  const e = await getExpert(trx, id, true);
  if (!e) throw expertNotFound();
  assertCanSanction(actor, accessOf(e));
  return e;
}
