import { auditPathRanges, bytesToHex, MerkleAccumulator } from '@yiwang/contracts/merkle';
import type { DbOrTx } from '../db/database';
import { ledgerBatches, leafOf, nodeSha256 } from './stream';

/**
 * Audit path (RFC 6962 PATH) for entry `seq` in the tree of the first `treeSize` entries, as hex, deepest first.
 * Streams the entry hashes once and folds each sibling range into its root: O(treeSize) hashing, O(log n) memory.
 * Good for a ledger of a few million entries; a cache of subtree roots would make it O(log n) if ever needed.
 */
export async function ledgerInclusionPath(db: DbOrTx, seq: number, treeSize: number): Promise<string[]> {
  const ranges = auditPathRanges(seq - 1, treeSize);
  const bySize = ranges.map((r) => ({ ...r, acc: new MerkleAccumulator(nodeSha256) }));
  const inOrder = [...bySize].sort((a, b) => a.start - b.start);
  let k = 0;
  let index = 0;
  for await (const rows of ledgerBatches(db, { after: 0, upTo: treeSize, full: false })) {
    for (const r of rows) {
      if (r.seq !== index + 1) throw new Error(`ledger entry ${index + 1} is missing`);
      while (k < inOrder.length && index >= inOrder[k]!.end) k++;
      const range = inOrder[k];
      if (range && index >= range.start) range.acc.push(leafOf(r.entry_hash));
      index++;
    }
  }
  if (index !== treeSize) throw new Error(`the ledger has ${index} entries, fewer than ${treeSize}`);
  return bySize.map((r) => bytesToHex(r.acc.root()));
}
