import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database';
import { canonicalJson } from './canonical';
import { noteRecorded } from './sealer';
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

/**
 * The hashed body split around `seq`, the one field that is only known once the head is locked. The canonical body
 * has its keys sorted (actorId, payload, recordedAt, seq, subjectId, subjectType, type), so
 * `canonicalJson(body) === prefix + seq + suffix` for every seq; append.int.test.ts checks it.
 */
export function entryBodyParts(e: Omit<LedgerEntry, 'seq' | 'prevHash' | 'entryHash'>): { prefix: string; suffix: string; payloadJson: string } {
  const payloadJson = canonicalJson(e.payload);
  return {
    prefix:
      `{"actorId":${JSON.stringify(e.actorId ?? null)},"payload":${payloadJson},` +
      `"recordedAt":${JSON.stringify(e.recordedAt.toISOString())},"seq":`,
    suffix: `,"subjectId":${JSON.stringify(e.subjectId)},"subjectType":${JSON.stringify(e.subjectType)},"type":${JSON.stringify(e.type)}}`,
    payloadJson,
  };
}

/**
 * The exact bytes an entry's hash covers: SHA-256(prevHash ‖ "\n" ‖ UTF-8 canonical JSON of the entry's fields).
 * Changing this breaks every existing chain: version it if ever needed. appendLedger computes the same bytes in SQL.
 */
export function entryHash(prevHash: string, e: Omit<LedgerEntry, 'prevHash' | 'entryHash'>): string {
  const { prefix, suffix } = entryBodyParts(e);
  return createHash('sha256').update(`${prevHash}\n${prefix}${e.seq}${suffix}`).digest('hex');
}

/**
 * Append one entry to the hash chain. Must run inside the transaction that makes the change it records, so the
 * change and its ledger entry commit or vanish together.
 *
 * ONE round trip: ledger_append() (migration 0017) locks the head row by updating it, computes the entry hash with
 * the server's sha256() over the text prepared here, and inserts the entry. The lock is held until this transaction
 * ends, so appends are serialised in commit order and seq is gap-free; while it is held, every other appender waits.
 * So: no client round trip or hashing happens under the lock beyond this call, and callers should append late in
 * their transaction — statements after it run with all other writers waiting.
 */
export async function appendLedger(trx: DbOrTx, input: LedgerInput, now: Date): Promise<LedgerEntry> {
  // Millisecond precision: the hashed text is Date.toISOString(), and verification re-prints the stored instant so.
  const recordedAt = new Date(Math.floor(now.getTime()));
  const actorId = input.actorId ?? null;
  const { prefix, suffix, payloadJson } = entryBodyParts({ ...input, actorId, recordedAt });
  const { rows } = await sql<{ seq: number; prev_hash: string; entry_hash: string }>`
    SELECT seq, prev_hash, entry_hash FROM ledger_append(${prefix}, ${suffix}, ${recordedAt}, ${input.type}, ${input.subjectType},
      ${input.subjectId}, ${actorId}, ${payloadJson}::jsonb)`.execute(trx);
  const row = rows[0]!;
  return {
    seq: row.seq,
    recordedAt,
    type: input.type,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    actorId,
    payload: JSON.parse(payloadJson) as Record<string, unknown>,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
  };
}

/** What recordLedger returns: the pending row's id. The entry's seq and hash exist only once it is sealed. */
export interface RecordedLedgerEntry {
  pendingId: number;
  recordedAt: Date;
}

/**
 * Record one entry for the hash chain — the default for commands. Like appendLedger it must run inside the
 * transaction that makes the change, so both commit or vanish together; unlike it, it takes no lock: it inserts a
 * row into ledger_pending, and after commit the node's LedgerSealer (sealer.ts) chains every committed pending
 * entry in one batch — on every HTTP response of a request that recorded one, after chronograph jobs and outbox
 * batches, and every second in the background. So write throughput is not capped by one WAL flush per entry
 * (ADR 0003, "Batched appends").
 *
 * Use appendLedger instead only where the caller must quote the entry's seq or hash before commit (a receipt, a
 * published announcement's ledger position, a PDF that prints it): those appends serialise on the head lock.
 */
export async function recordLedger(trx: DbOrTx, input: LedgerInput, now: Date): Promise<RecordedLedgerEntry> {
  const values = pendingLedgerRow(input, now);
  const row = await trx.insertInto('ledger_pending').values(values).returning('id').executeTakeFirstOrThrow();
  noteRecorded();
  return { pendingId: Number(row.id), recordedAt: values.recorded_at };
}

/**
 * The ledger_pending row recordLedger inserts, for a hot path that folds the insert into a statement of its own
 * (auction bids: one CTE). Whoever inserts it must call noteRecorded() after the insert, so the response waits for
 * the seal round as recordLedger's callers do.
 */
export function pendingLedgerRow(input: LedgerInput, now: Date) {
  const recordedAt = new Date(Math.floor(now.getTime()));
  const actorId = input.actorId ?? null;
  const { prefix, suffix, payloadJson } = entryBodyParts({ ...input, actorId, recordedAt });
  return {
    recorded_at: recordedAt,
    type: input.type,
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    actor_id: actorId,
    payload: payloadJson,
    body_prefix: prefix,
    body_suffix: suffix,
  };
}
