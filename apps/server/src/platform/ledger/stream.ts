import { hash } from 'node:crypto';
import type { Sha256 } from '@yiwang/contracts/merkle';
import type { DbOrTx } from '../db/database';
import { entryHash } from './append';
import { canonicalJson } from './canonical';
import './ledger.tables';

// Verification hashes millions of small inputs: node:crypto's one-shot `hash()` is about twice as fast as
// createHash() objects for them and makes less garbage. Digests are identical to @noble/hashes.

/** node:crypto SHA-256 in the shape the shared Merkle code takes. */
export const nodeSha256: Sha256 = (...parts) => {
  let n = 0;
  for (const p of parts) n += p.length;
  const buf = Buffer.allocUnsafe(n);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  return hash('sha256', buf, 'buffer');
};

/** RFC 6962 leaf hash of a ledger entry hash (hex): SHA-256(0x00 || bytes). */
export function leafOf(entryHashHex: string): Uint8Array {
  const buf = Buffer.allocUnsafe(33);
  buf[0] = 0;
  buf.write(entryHashHex, 1, 32, 'hex');
  return hash('sha256', buf, 'buffer');
}

/**
 * canonicalJson for values that came out of JSON (jsonb columns): same output, one pass, no intermediate objects.
 * stream.test.ts checks it against canonicalJson.
 */
export function canonicalJsonOfParsed(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
    case 'number':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (v[i] === undefined ? 'null' : canonicalJsonOfParsed(v[i]));
        return out + ']';
      }
      if (v instanceof Date) return JSON.stringify(v.toISOString());
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const x = o[k];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJsonOfParsed(x);
        first = false;
      }
      return out + '}';
    }
    default:
      return canonicalJson(v);
  }
}

export interface EntryRow {
  seq: number;
  recorded_at: Date;
  type: string;
  subject_type: string;
  subject_id: string;
  actor_id: string | null;
  payload: unknown;
  prev_hash: string;
  entry_hash: string;
}

/**
 * Recompute a stored row's hash from its own fields and its stored prev_hash: byte for byte what `entryHash`
 * (append.ts) computes — the canonical body with keys in sorted order — built directly for speed.
 */
export function recomputeHash(r: EntryRow): string {
  const body =
    `{"actorId":${r.actor_id === null ? 'null' : JSON.stringify(r.actor_id)},"payload":${canonicalJsonOfParsed(r.payload)},` +
    `"recordedAt":"${r.recorded_at.toISOString()}","seq":${r.seq},"subjectId":${JSON.stringify(r.subject_id)},` +
    `"subjectType":${JSON.stringify(r.subject_type)},"type":${JSON.stringify(r.type)}}`;
  return hash('sha256', `${r.prev_hash}\n${body}`, 'hex');
}

/** The slow, obviously-right way (entryHash itself); tests compare the two. */
export function recomputeHashReference(r: EntryRow): string {
  return entryHash(r.prev_hash, {
    seq: r.seq,
    recordedAt: r.recorded_at,
    type: r.type,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    actorId: r.actor_id,
    payload: r.payload as Record<string, unknown>,
  });
}

/**
 * Read ledger rows in seq order with keyset batches, fetching the next batch while the caller works on the
 * current one (overlaps database and CPU time on PostgreSQL). `full: false` reads only seq and hashes.
 */
export async function* ledgerBatches(
  db: DbOrTx,
  opts: { after?: number; upTo?: number; batchSize?: number; full?: boolean } = {},
): AsyncGenerator<EntryRow[]> {
  const size = opts.batchSize ?? 10_000;
  const fetch = (after: number) => {
    let q = opts.full === false
      ? db.selectFrom('ledger_entries').select(['seq', 'prev_hash', 'entry_hash'])
      : db.selectFrom('ledger_entries').select(['seq', 'recorded_at', 'type', 'subject_type', 'subject_id', 'actor_id', 'payload', 'prev_hash', 'entry_hash']);
    q = q.where('seq', '>', after);
    if (opts.upTo !== undefined) q = q.where('seq', '<=', opts.upTo);
    return q.orderBy('seq').limit(size).execute() as Promise<EntryRow[]>;
  };
  let next = fetch(opts.after ?? Number.MIN_SAFE_INTEGER);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return;
    next = rows.length === size ? fetch(rows[rows.length - 1]!.seq) : Promise.resolve([]);
    yield rows;
  }
}
