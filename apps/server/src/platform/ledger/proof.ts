import { sql } from 'kysely';
import { auditPathRanges, bytesToHex, hexToBytes, merkleRoot, nodeHash } from '@yiwang/contracts/merkle';
import type { DbOrTx } from '../db/database';
import { CACHED_LEVEL } from './checkpoint';
import { leafOf, nodeSha256 } from './stream';

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Audit path (RFC 6962 PATH) for entry `seq` in the tree of the first `treeSize` entries, as hex, deepest first.
 * Sibling subtrees come from the cache of perfect-subtree roots that checkpoints write (ledger_merkle_nodes);
 * only pieces smaller than 256 leaves — around the entry itself and at the tree's right edge — are hashed from
 * entry hashes. Missing cache rows (e.g. a tree made before the cache existed) fall back to hashing the entries.
 * The result needs no trust in the cache: the client checks it against the signed root.
 */
export async function ledgerInclusionPath(db: DbOrTx, seq: number, treeSize: number): Promise<string[]> {
  const ranges = auditPathRanges(seq - 1, treeSize);
  const rows = await db
    .selectFrom('ledger_merkle_nodes')
    .select(['level', 'idx', 'hash'])
    .where(sql<boolean>`(idx + 1) * (1::bigint << level) <= ${treeSize}`)
    .execute();
  const nodes = new Map(rows.map((r) => [`${r.level}:${r.idx}`, hexToBytes(r.hash)]));
  const leaves = new Map<number, Uint8Array>();
  const need: { start: number; end: number }[] = [];

  // Root of leaves [start, end), or null after noting which leaves are missing (first pass).
  const root = (start: number, end: number): Uint8Array | null => {
    const len = end - start;
    if ((len & (len - 1)) === 0 && start % len === 0 && len >= 2 ** CACHED_LEVEL) {
      const hit = nodes.get(`${Math.log2(len)}:${start / len}`);
      if (hit) return hit;
    }
    if (len <= 2 ** CACHED_LEVEL) {
      const slice: Uint8Array[] = [];
      for (let i = start; i < end; i++) {
        const l = leaves.get(i);
        if (!l) {
          need.push({ start, end });
          return null;
        }
        slice.push(l);
      }
      return merkleRoot(slice, nodeSha256);
    }
    const k = largestPowerOfTwoBelow(len);
    const l = root(start, start + k);
    const r = root(start + k, end);
    return l && r ? nodeHash(l, r, nodeSha256) : null;
  };

  let path = ranges.map((r) => root(r.start, r.end));
  if (need.length > 0) {
    need.sort((a, b) => a.start - b.start);
    // Merge adjacent pieces into few range reads.
    const merged: { start: number; end: number }[] = [];
    for (const n of need) {
      const last = merged[merged.length - 1];
      if (last && n.start <= last.end) last.end = Math.max(last.end, n.end);
      else merged.push({ ...n });
    }
    for (const m of merged) {
      const hashes = await db
        .selectFrom('ledger_entries')
        .select(['seq', 'entry_hash'])
        .where('seq', '>', m.start)
        .where('seq', '<=', m.end)
        .orderBy('seq')
        .execute();
      for (const h of hashes) leaves.set(h.seq - 1, leafOf(h.entry_hash));
    }
    need.length = 0;
    path = ranges.map((r) => root(r.start, r.end));
  }
  if (need.length > 0 || path.some((p) => p === null))
    throw new Error(`ledger entries needed for the proof of ${seq} in a tree of ${treeSize} are missing`);
  return path.map((p) => bytesToHex(p!));
}
