import { checkpointMessage } from '@yiwang/contracts/merkle';
import { driverOf, type DbOrTx } from '../db/database';
import { ledgerRowsByCopy } from './copy';
import { publicKeys, verifySignature } from './keys';
import { treeRoots, WORKER_MIN_LEAVES } from './merkle-roots';
import { ledgerBatches, recomputeHash } from './stream';

/**
 * What `yiwang ledger verify` can tell apart (see docs/adr/0003-ledger.md for what it cannot):
 * - edited: a row's fields no longer hash to its stored entry_hash (someone changed the row in place);
 * - relinked: a row's prev_hash is not the previous row's entry_hash although seq is contiguous (the previous row
 *   was rewritten together with its hash, or this row was replaced by a forgery);
 * - deleted: seq jumps (rows missing in the middle) or the chain ends before the head says it does;
 * - inserted: rows with seq outside 1..head (forged rows appended without moving the head, or seq ≤ 0);
 * - head: the head row's hash is not the last entry's hash;
 * - checkpoint_root / checkpoint_signature / checkpoint_beyond_chain: a stored signed root does not match the
 *   recomputed tree, its signature does not verify with the platform public key, or it covers entries that no
 *   longer exist.
 */
export type LedgerProblemKind =
  'edited' | 'relinked' | 'deleted' | 'inserted' | 'head' | 'checkpoint_root' | 'checkpoint_signature' | 'checkpoint_beyond_chain';

export interface LedgerProblem {
  kind: LedgerProblemKind;
  seq?: number;
  treeSize?: number;
  message: string;
}

export interface LedgerVerifyReport {
  ok: boolean;
  entries: number;
  headSeq: number;
  lastSeq: number;
  checkpointsChecked: number;
  problems: LedgerProblem[];
  /** Problems beyond `maxProblems` are counted, not listed. */
  problemCount: number;
  ms: number;
}

export async function verifyLedger(
  db: DbOrTx,
  opts: {
    batchSize?: number;
    maxProblems?: number;
    onProgress?: (entries: number) => void;
    /** Hash the Merkle tree in a worker thread (default: when checkpoints cover ≥ WORKER_MIN_LEAVES entries). */
    merkleWorker?: boolean;
  } = {},
): Promise<LedgerVerifyReport> {
  const started = performance.now();
  const maxProblems = opts.maxProblems ?? 1000;
  const problems: LedgerProblem[] = [];
  let problemCount = 0;
  const report = (p: LedgerProblem) => {
    problemCount++;
    if (problems.length < maxProblems) problems.push(p);
  };

  const checkpoints = await db
    .selectFrom('ledger_checkpoints')
    .select(['tree_size', 'root', 'signature', 'key_id', 'created_at'])
    .orderBy('tree_size')
    .execute();
  const keys = await publicKeys(db);
  let checkpointsChecked = 0;

  // Only checkpoints need the tree: entries after the last one are chained and hashed but not put into it. A big
  // tree is hashed in a worker thread (merkle-roots.ts) while this thread parses and re-hashes entries.
  const treeNeeded = checkpoints.length ? checkpoints[checkpoints.length - 1]!.tree_size : 0;
  const tree = treeRoots(
    checkpoints.map((c) => c.tree_size),
    { worker: opts.merkleWorker ?? treeNeeded >= WORKER_MIN_LEAVES },
  );
  let prevSeq = 0;
  let prevHash = '0'.repeat(64);
  let entries = 0;

  // The head is read after the scan; if it moved (live appends), scan the new entries too, so entries appended
  // while verification ran are neither taken for forgeries nor their absence for a deleted tail.
  // PostgreSQL (a root handle): one streamed COPY per round; PGlite or a transaction: json_agg keyset batches.
  const pool = driverOf(db)?.pgPool;
  const read = (after: number) => (pool ? ledgerRowsByCopy(pool, { after }) : ledgerBatches(db, { after, batchSize: opts.batchSize }));
  let scanned = Number.MIN_SAFE_INTEGER;
  let head: { seq: number; entry_hash: string };
  try {
    for (let round = 0; ; round++) {
      for await (const rows of read(scanned)) {
        scanned = rows[rows.length - 1]!.seq;
        for (const r of rows) {
          entries++;
          if (r.seq <= 0) continue; // cannot be part of the chain; reported as inserted below
          if (r.seq > prevSeq + 1) {
            report({
              kind: 'deleted',
              seq: prevSeq + 1,
              message:
                r.seq - prevSeq === 2
                  ? `entry ${prevSeq + 1} is missing (deleted)`
                  : `entries ${prevSeq + 1}–${r.seq - 1} are missing (deleted)`,
            });
          } else if (r.prev_hash !== prevHash) {
            report({
              kind: 'relinked',
              seq: r.seq,
              message: `entry ${r.seq} does not link to entry ${prevSeq}: entry ${prevSeq} was rewritten with a new hash, or ${r.seq} replaced`,
            });
          }
          if (recomputeHash(r) !== r.entry_hash)
            report({ kind: 'edited', seq: r.seq, message: `entry ${r.seq} was edited: its contents do not match its hash` });
          if (tree.size < treeNeeded) tree.push(r.entry_hash);
          prevSeq = r.seq;
          prevHash = r.entry_hash;
        }
        opts.onProgress?.(entries);
      }
      head = await db.selectFrom('ledger_head').select(['seq', 'entry_hash']).where('id', '=', true).executeTakeFirstOrThrow();
      if (scanned >= head.seq || round >= 3) break;
    }
  } catch (e) {
    tree.close();
    throw e;
  }
  const roots = await tree.finish();
  const lastSeq = prevSeq;
  // Rows beyond the head (re-read now, so appends that raced with the scan are not blamed) were never appended.
  const outside = await db
    .selectFrom('ledger_entries')
    .select('seq')
    .where((eb) => eb.or([eb('seq', '<=', 0), eb('seq', '>', head.seq)]))
    .orderBy('seq')
    .limit(maxProblems)
    .execute();
  for (const r of outside)
    report({
      kind: 'inserted',
      seq: r.seq,
      message: `entry ${r.seq} lies outside the chain (head is ${head.seq}): inserted, not appended`,
    });
  if (lastSeq < head.seq) {
    report({
      kind: 'deleted',
      seq: lastSeq + 1,
      message: `the head says ${head.seq} entries but the chain ends at ${lastSeq}: the tail was deleted`,
    });
  } else if (lastSeq === head.seq && prevHash !== head.entry_hash) {
    report({ kind: 'head', seq: head.seq, message: `the head hash does not match entry ${head.seq}` });
  }
  for (const cp of checkpoints) {
    const root = roots.get(cp.tree_size);
    if (root === undefined) {
      report({
        kind: 'checkpoint_beyond_chain',
        treeSize: cp.tree_size,
        message: `checkpoint at tree size ${cp.tree_size} covers entries that no longer exist (the chain has ${entries})`,
      });
      continue;
    }
    checkpointsChecked++;
    if (root !== cp.root)
      report({
        kind: 'checkpoint_root',
        treeSize: cp.tree_size,
        message: `checkpoint at tree size ${cp.tree_size}: stored root ${cp.root.slice(0, 16)}… ≠ recomputed ${root.slice(0, 16)}…`,
      });
    const pem = keys.get(cp.key_id);
    const msg = checkpointMessage({ treeSize: cp.tree_size, rootHex: cp.root, createdAt: cp.created_at.toISOString() });
    if (!pem || !verifySignature(pem, msg, cp.signature))
      report({
        kind: 'checkpoint_signature',
        treeSize: cp.tree_size,
        message: `checkpoint at tree size ${cp.tree_size}: signature does not verify with key ${cp.key_id}`,
      });
  }
  return {
    ok: problemCount === 0,
    entries,
    headSeq: head.seq,
    lastSeq,
    checkpointsChecked,
    problems,
    problemCount,
    ms: Math.round(performance.now() - started),
  };
}
