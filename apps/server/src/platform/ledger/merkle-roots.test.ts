import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, ledgerLeafHash, MerkleAccumulator, merkleRoot } from '@yiwang/contracts/merkle';
import { treeRoots } from './merkle-roots';

const entryHashes = (n: number) => Array.from({ length: n }, (_, i) => createHash('sha256').update(`entry ${i}`).digest('hex'));

describe('Merkle roots for ledger verify', () => {
  it('gives the shared (browser) code’s roots at every requested size, in this thread and in the worker', { timeout: 30_000 }, async () => {
    // Past the worker's 16,384-leaf batches, with sizes on and around powers of two and batch edges.
    const n = 16_384 * 2 + 7;
    const hashes = entryHashes(n);
    const sizes = [1, 2, 3, 7, 8, 9, 255, 256, 257, 1000, 16_383, 16_384, 16_385, 32_768, n];
    // The shared accumulator with its default (@noble/hashes) SHA-256; one small size also through merkleRoot.
    const acc = new MerkleAccumulator();
    const expected = new Map<number, string>();
    for (const h of hashes) {
      acc.push(ledgerLeafHash(h));
      if (sizes.includes(acc.size)) expected.set(acc.size, bytesToHex(acc.root()));
    }
    expect(expected.get(9)).toBe(bytesToHex(merkleRoot(hashes.slice(0, 9).map((h) => ledgerLeafHash(h)))));
    for (const worker of [false, true]) {
      const tree = treeRoots(sizes, { worker });
      for (const h of hashes) tree.push(h);
      expect(tree.size).toBe(n);
      expect(await tree.finish()).toEqual(expected);
    }
  });

  it('reports no root for sizes the chain never reached', async () => {
    for (const worker of [false, true]) {
      const tree = treeRoots([3, 10], { worker });
      for (const h of entryHashes(5)) tree.push(h);
      const roots = await tree.finish();
      expect([...roots.keys()]).toEqual([3]);
    }
  });
});
