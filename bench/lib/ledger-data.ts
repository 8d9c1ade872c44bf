import { entryHash } from '../../apps/server/src/platform/ledger/append';
import type { DbHandle } from '../../apps/server/src/platform/db/database';
import { round, stopwatch } from './stats';

/** Raw row access on either engine, bypassing Kysely (generation and baselines only). */
export function rawQuery(handle: DbHandle): <R>(sql: string, params?: unknown[]) => Promise<R[]> {
  if (handle.pgPool) {
    const pool = handle.pgPool;
    return async <R>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as R[];
  }
  const pgl = handle.pglite!;
  return async <R>(sql: string, params: unknown[] = []) => (await pgl.query<R>(sql, params)).rows;
}

const TYPES = ['bid.submitted', 'bid.withdrawn', 'announcement.published', 'opening.recorded', 'deposit.confirmed', 'expert.drawn', 'award.decided'];
const ACTORS = ['5f0c6a62-6f1e-4c55-9d4b-0b4f8f3f2a11', '0b8e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f', null, null];
const START = Date.parse('2025-01-01T00:00:00Z');

/** A believable entry: what the ledger records for bids, publications, openings and draws. */
function entryAt(seq: number) {
  const type = TYPES[seq % TYPES.length]!;
  return {
    seq,
    recordedAt: new Date(START + seq * 37),
    type,
    subjectType: type.split('.')[0]!,
    subjectId: `350200-${2025 + (seq % 2)}-${String(seq % 40_000).padStart(6, '0')}`,
    actorId: ACTORS[seq % ACTORS.length]!,
    payload: type.startsWith('bid')
      ? { lotId: `L${seq % 9000}`, bidder: `91350200MA${String(seq % 99_991).padStart(8, '0')}`, fileSha256: (seq * 2654435761).toString(16).padStart(64, 'a'), receipt: seq }
      : { title: '厦门市翔安区道路改造工程施工招标公告', round: seq % 3, amountFen: (seq % 99_991) * 1000, ok: seq % 5 !== 0 },
  };
}

const INSERT = `INSERT INTO ledger_entries (seq, recorded_at, type, subject_type, subject_id, actor_id, payload, prev_hash, entry_hash)
  SELECT x.seq, x.recorded_at, x.type, x.subject_type, x.subject_id, x.actor_id, x.payload, x.prev_hash, x.entry_hash
  FROM json_to_recordset($1::json) AS x(seq bigint, recorded_at timestamptz, type text, subject_type text, subject_id text, actor_id uuid, payload jsonb, prev_hash text, entry_hash text)`;

/**
 * Write a valid chain of `n` entries fast: hashes computed here with the platform's own entryHash (so the chain is
 * valid by the platform's definition), rows sent 5,000 at a time as one multi-row INSERT, a few batches in flight.
 */
export async function generateChain(handle: DbHandle, n: number): Promise<{ hashSeconds: number; insertSeconds: number; totalSeconds: number }> {
  const q = rawQuery(handle);
  const total = stopwatch();
  let hashMs = 0;
  let prev = '0'.repeat(64);
  const inFlight = new Set<Promise<unknown>>();
  const maxInFlight = handle.pgPool ? 3 : 1;
  const BATCH = 5000;
  for (let from = 1; from <= n; from += BATCH) {
    const t = stopwatch();
    const rows: unknown[] = [];
    for (let seq = from; seq < from + BATCH && seq <= n; seq++) {
      const e = entryAt(seq);
      const h = entryHash(prev, e);
      rows.push({ seq, recorded_at: e.recordedAt.toISOString(), type: e.type, subject_type: e.subjectType, subject_id: e.subjectId, actor_id: e.actorId, payload: e.payload, prev_hash: prev, entry_hash: h });
      prev = h;
    }
    const json = JSON.stringify(rows);
    hashMs += t();
    const p = q(INSERT, [json]).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await q(`UPDATE ledger_head SET seq = $1, entry_hash = $2 WHERE id`, [n, prev]);
  // An old ledger has been vacuumed long ago: set hint bits and statistics as production would have them.
  await q('VACUUM ANALYZE ledger_entries');
  const totalMs = total();
  return { hashSeconds: round(hashMs / 1000, 2), insertSeconds: round((totalMs - hashMs) / 1000, 2), totalSeconds: round(totalMs / 1000, 2) };
}

interface Row {
  seq: number;
  recorded_at: Date;
  type: string;
  subject_type: string;
  subject_id: string;
  actor_id: string | null;
  payload: Record<string, unknown>;
  prev_hash: string;
  entry_hash: string;
}
const PAGE = 10_000;
const SELECT = `SELECT seq, recorded_at, type, subject_type, subject_id, actor_id, payload, prev_hash, entry_hash FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT ${PAGE}`;

/** Baseline: read every row in seq order (keyset pages of 10,000), no hashing. The floor for any verifier. */
export async function readAllBaseline(handle: DbHandle): Promise<{ rows: number; seconds: number }> {
  const q = rawQuery(handle);
  const t = stopwatch();
  let after = 0;
  let rows = 0;
  for (;;) {
    const page = await q<Row>(SELECT, [after]);
    if (!page.length) break;
    rows += page.length;
    after = page[page.length - 1]!.seq;
  }
  return { rows, seconds: round(t() / 1000, 2) };
}

/**
 * The bench's own straightforward verifier (same pages, next page fetched while this one is hashed): recompute each
 * hash and check the links and the head. Shows what a plain implementation achieves here; the target is measured
 * on the platform's function.
 */
export async function referenceVerify(handle: DbHandle): Promise<{ ok: boolean; entries: number; seconds: number; error?: string }> {
  const q = rawQuery(handle);
  const t = stopwatch();
  let prev = '0'.repeat(64);
  let expect = 1;
  let next = q<Row>(SELECT, [0]);
  for (;;) {
    const page = await next;
    if (!page.length) break;
    next = q<Row>(SELECT, [page[page.length - 1]!.seq]);
    for (const r of page) {
      if (r.seq !== expect || r.prev_hash !== prev) return { ok: false, entries: expect - 1, seconds: round(t() / 1000, 2), error: `broken link at seq ${r.seq}` };
      const h = entryHash(prev, { seq: r.seq, recordedAt: r.recorded_at, type: r.type, subjectType: r.subject_type, subjectId: r.subject_id, actorId: r.actor_id, payload: r.payload });
      if (h !== r.entry_hash) return { ok: false, entries: expect - 1, seconds: round(t() / 1000, 2), error: `hash mismatch at seq ${r.seq}` };
      prev = h;
      expect++;
    }
  }
  const head = (await q<{ seq: number; entry_hash: string }>('SELECT seq, entry_hash FROM ledger_head'))[0]!;
  const ok = head.seq === expect - 1 && head.entry_hash === prev;
  return { ok, entries: expect - 1, seconds: round(t() / 1000, 2), ...(ok ? {} : { error: 'head does not match the last entry' }) };
}
