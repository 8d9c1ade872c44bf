import { createHash } from 'node:crypto';
import type { DbOrTx } from '../db/database';
import { canonicalJson } from './canonical';
import './ledger.tables';

export interface LedgerInput {
  type: string;
  subjectType: string;
  subjectId: string;
  actorId?: string | null;
  payload: Record<string, unknown>;
}

export interface LedgerEntry extends Required<LedgerInput> {
  seq: number;
  recordedAt: Date;
  prevHash: string;
  entryHash: string;
}

/** The exact bytes an entry's hash covers. Changing this breaks every existing chain: version it if ever needed. */
export function entryHash(prevHash: string, e: Omit<LedgerEntry, 'prevHash' | 'entryHash'>): string {
  const body = canonicalJson({
    seq: e.seq,
    recordedAt: e.recordedAt.toISOString(),
    type: e.type,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    actorId: e.actorId ?? null,
    payload: e.payload,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Chain heads locked by open transactions (keyed by the transaction object; forgotten with it). */
const heldHeads = new WeakMap<object, { seq: number; entry_hash: string }>();

/**
 * Append one entry to the hash chain. Must run inside the transaction that makes the change it records, so the
 * change and its ledger entry commit or vanish together. Locks the chain head row until commit: appends are
 * serialised in commit order, which is what makes sequence numbers gap-free.
 */
export async function appendLedger(trx: DbOrTx, input: LedgerInput, now: Date): Promise<LedgerEntry> {
  // The first append of a transaction locks the head; later appends in the same transaction already hold the lock,
  // so they reuse the head they wrote instead of reading it again (one round trip per append instead of three).
  const held = trx.isTransaction ? heldHeads.get(trx) : undefined;
  const head =
    held ??
    (await trx.selectFrom('ledger_head').select(['seq', 'entry_hash']).where('id', '=', true).forUpdate().executeTakeFirstOrThrow());
  // Keep timestamps monotonic at millisecond precision (timestamptz stores microseconds; JS Dates milliseconds).
  const recordedAt = new Date(Math.floor(now.getTime()));
  const base = {
    seq: head.seq + 1,
    recordedAt,
    type: input.type,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    actorId: input.actorId ?? null,
    payload: JSON.parse(canonicalJson(input.payload)) as Record<string, unknown>,
  };
  const hash = entryHash(head.entry_hash, base);
  await trx
    .with('appended', (db) =>
      db.insertInto('ledger_entries').values({
        seq: base.seq,
        recorded_at: recordedAt,
        type: base.type,
        subject_type: base.subjectType,
        subject_id: base.subjectId,
        actor_id: base.actorId,
        payload: JSON.stringify(base.payload),
        prev_hash: head.entry_hash,
        entry_hash: hash,
      }),
    )
    .updateTable('ledger_head')
    .set({ seq: base.seq, entry_hash: hash })
    .where('id', '=', true)
    .execute();
  if (trx.isTransaction) heldHeads.set(trx, { seq: base.seq, entry_hash: hash });
  return { ...base, prevHash: head.entry_hash, entryHash: hash };
}
