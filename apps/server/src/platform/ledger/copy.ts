import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { EntryRow } from './stream';

/**
 * Reading the whole ledger fast on PostgreSQL: ONE `COPY (SELECT … ORDER BY seq) TO STDOUT` streamed through the
 * pg connection, parsed here from COPY's text format. Compared with keyset pages (a query, a plan and per-field
 * protocol decoding per page) or json_agg batches (the server building JSON, the client parsing it again), the
 * server only runs its output functions and the client splits lines; one statement also means one snapshot.
 */

/** Columns in COPY order; recorded_at as UTC `timestamp` text, turned into the ISO form hashed at append time. */
const COLUMNS = `seq, recorded_at AT TIME ZONE 'UTC', type, subject_type, subject_id, actor_id, payload, prev_hash, entry_hash`;

/**
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` (DateStyle ISO, UTC) → what `Date.toISOString()` prints. Sub-millisecond digits
 * are kept (appendLedger stores whole milliseconds), so a row whose time was changed by less than a millisecond
 * no longer hashes to its entry_hash.
 */
export function isoFromPgTimestamp(ts: string): string {
  // The common cases: whole milliseconds as COPY prints them, or as to_char(…'US') does.
  if (ts.length === 23) return `${ts.slice(0, 10)}T${ts.slice(11)}Z`;
  if (ts.length === 26 && ts.endsWith('000')) return `${ts.slice(0, 10)}T${ts.slice(11, 23)}Z`;
  const dot = ts.indexOf('.', 19);
  let frac = dot < 0 ? '' : ts.slice(dot + 1);
  frac = (frac + '000').slice(0, Math.max(3, frac.replace(/0+$/, '').length));
  return `${ts.slice(0, 10)}T${ts.slice(11, 19)}.${frac}Z`;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
/** Undo COPY text-format escaping (PostgreSQL escapes only these on output: \b \f \n \r \t \v and the backslash). */
export function unescapeCopy(s: string): string {
  return s.indexOf('\\') < 0 ? s : s.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/** Parse complete COPY text lines (no trailing newline) into rows, appended to `out`. */
export function parseCopyLines(text: string, out: EntryRow[]): void {
  let p = 0;
  const end = text.length;
  const f: string[] = new Array(9);
  while (p < end) {
    let eol = text.indexOf('\n', p);
    if (eol < 0) eol = end;
    let q = p;
    for (let k = 0; k < 8; k++) {
      const tab = text.indexOf('\t', q);
      if (tab < 0 || tab > eol) throw new Error(`ledger COPY row has too few columns: ${text.slice(p, Math.min(eol, p + 80))}`);
      f[k] = text.slice(q, tab);
      q = tab + 1;
    }
    f[8] = text.slice(q, eol);
    out.push({
      seq: Number(f[0]),
      recorded_at: isoFromPgTimestamp(f[1]!),
      type: unescapeCopy(f[2]!),
      subject_type: unescapeCopy(f[3]!),
      subject_id: unescapeCopy(f[4]!),
      actor_id: f[5] === '\\N' ? null : f[5]!,
      payload: JSON.parse(unescapeCopy(f[6]!)),
      prev_hash: unescapeCopy(f[7]!),
      entry_hash: unescapeCopy(f[8]!),
    });
    p = eol + 1;
  }
}

/**
 * Rows with seq > `after` in seq order, read by one COPY on a connection of its own from `pool`, yielded a network
 * chunk (~100–200 rows) at a time: handing out small arrays that the caller finishes with at once keeps rows from
 * surviving into V8's old generation — with batches of 10,000, garbage collection was the largest single cost.
 * Stopping early (the consumer breaks out) destroys that connection rather than returning it mid-COPY.
 */
export async function* ledgerRowsByCopy(pool: pg.Pool, opts: { after?: number } = {}): AsyncGenerator<EntryRow[]> {
  const after = opts.after ?? Number.MIN_SAFE_INTEGER;
  if (!Number.isSafeInteger(after)) throw new Error(`bad seq ${after}`);
  const client = await pool.connect();
  let clean = false;
  try {
    // READ ONLY, DateStyle fixed for the timestamp text; enable_sort off so the planner walks the primary key
    // (already in seq order) even without statistics, instead of sorting the whole table on disk.
    await client.query(`BEGIN READ ONLY; SET LOCAL DateStyle = 'ISO'; SET LOCAL enable_sort = off`);
    const stream = client.query(copyTo(`COPY (SELECT ${COLUMNS} FROM ledger_entries WHERE seq > ${after} ORDER BY seq) TO STDOUT`));
    let rest: Buffer | null = null;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const last = chunk.lastIndexOf(10);
      if (last < 0) {
        rest = rest ? Buffer.concat([rest, chunk]) : chunk;
        continue;
      }
      const complete = rest ? Buffer.concat([rest, chunk.subarray(0, last)]) : chunk.subarray(0, last);
      rest = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : null;
      const rows: EntryRow[] = [];
      parseCopyLines(complete.toString('utf8'), rows);
      yield rows;
    }
    if (rest?.length) throw new Error('ledger COPY ended in the middle of a row');
    await client.query('COMMIT');
    clean = true;
  } finally {
    client.release(clean ? undefined : true);
  }
}
