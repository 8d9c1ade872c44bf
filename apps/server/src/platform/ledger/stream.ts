import { hash } from 'node:crypto';
import type { Sha256 } from '@yiwang/contracts/merkle';
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database';
import { entryHash } from './append';
import { canonicalJson } from './canonical';
import { isoFromPgTimestamp } from './copy';
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
  /** A Date, or the ISO-8601 UTC string with milliseconds that Date.toISOString() prints. */
  recorded_at: Date | string;
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
    `"recordedAt":"${typeof r.recorded_at === 'string' ? r.recorded_at : r.recorded_at.toISOString()}","seq":${r.seq},"subjectId":${JSON.stringify(r.subject_id)},` +
    `"subjectType":${JSON.stringify(r.subject_type)},"type":${JSON.stringify(r.type)}}`;
  return hash('sha256', `${r.prev_hash}\n${body}`, 'hex');
}

/** The slow, obviously-right way (entryHash itself); tests compare the two. */
export function recomputeHashReference(r: EntryRow): string {
  return entryHash(r.prev_hash, {
    seq: r.seq,
    recordedAt: new Date(r.recorded_at),
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
 * A full batch travels as ONE json_agg text value parsed by JSON.parse: per-row, per-field protocol decoding was
 * most of the cost on both drivers (PGlite's JS decoder especially). recorded_at comes as UTC text with microseconds
 * and becomes the string `Date.toISOString()` would print (isoFromPgTimestamp), so no Date objects are made.
 * (`ledger verify` on PostgreSQL reads with one COPY instead: copy.ts.)
 */
export async function* ledgerBatches(
  db: DbOrTx,
  opts: { after?: number; upTo?: number; batchSize?: number; full?: boolean } = {},
): AsyncGenerator<EntryRow[]> {
  const size = opts.batchSize ?? 10_000;
  const upTo = opts.upTo ?? Number.MAX_SAFE_INTEGER;
  // Only `seq > after ORDER BY seq LIMIT n`: a second range bound makes the planner (without fresh statistics, e.g.
  // after a bulk load) pick a bitmap scan plus a sort of the whole remaining range for every batch. The upper
  // bound is applied through the LIMIT and a filter here instead.
  const fetch = async (after: number): Promise<EntryRow[]> => {
    const limit = Math.max(0, Math.min(size, upTo - after));
    if (limit === 0) return [];
    let rows: EntryRow[];
    if (opts.full === false) {
      rows = (await db
        .selectFrom('ledger_entries')
        .select(['seq', 'prev_hash', 'entry_hash'])
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit)
        .execute()) as EntryRow[];
    } else {
      const r = await sql<{ batch: string | null }>`
        SELECT json_agg(json_build_array(seq, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),
                 type, subject_type, subject_id, actor_id, payload, prev_hash, entry_hash))::text AS batch
        FROM (SELECT * FROM ledger_entries WHERE seq > ${after} ORDER BY seq LIMIT ${limit}) e`.execute(db);
      const raw = r.rows[0]?.batch;
      if (!raw) return [];
      const arrays = JSON.parse(raw) as [number, string, string, string, string, string | null, unknown, string, string][];
      // json_agg keeps the ordered subquery's order in practice; an ORDER BY inside the aggregate would sort again
      // (and spill to temp files on PGlite), so check instead and sort only if ever needed.
      for (let i = 1; i < arrays.length; i++) {
        if (arrays[i]![0] <= arrays[i - 1]![0]) {
          arrays.sort((x, y) => x[0] - y[0]);
          break;
        }
      }
      rows = arrays.map((a) => ({
        seq: a[0],
        recorded_at: isoFromPgTimestamp(a[1]),
        type: a[2],
        subject_type: a[3],
        subject_id: a[4],
        actor_id: a[5],
        payload: a[6],
        prev_hash: a[7],
        entry_hash: a[8],
      }));
    }
    // With gaps, LIMIT alone can run past upTo.
    if (rows.length && rows[rows.length - 1]!.seq > upTo) rows = rows.filter((r) => r.seq <= upTo);
    return rows;
  };
  let next = fetch(opts.after ?? Number.MIN_SAFE_INTEGER);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!.seq;
    next = last < upTo ? fetch(last) : Promise.resolve([]);
    yield rows;
  }
}
