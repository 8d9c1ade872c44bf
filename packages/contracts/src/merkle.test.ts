import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditPathRanges,
  bytesToHex,
  inclusionProof,
  leafHash,
  MerkleAccumulator,
  merkleRoot,
  nobleSha256,
  type Sha256,
  verifyInclusion,
} from './merkle';

// Reference: RFC 6962 §2.1 written literally (recursive), to check the streaming and proof code against.
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return nobleSha256();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nobleSha256(new Uint8Array([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leaves = Array.from({ length: 40 }, (_, i) => leafHash(new TextEncoder().encode(`entry ${i}`)));
const nodeSha: Sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

describe('RFC 6962 Merkle tree', () => {
  it('empty tree root is SHA-256 of the empty string', () => {
    expect(bytesToHex(merkleRoot([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('streaming root equals the recursive definition at every size, and node:crypto agrees with noble', () => {
    const acc = new MerkleAccumulator();
    for (let n = 1; n <= leaves.length; n++) {
      acc.push(leaves[n - 1]!);
      expect(bytesToHex(acc.root())).toBe(bytesToHex(mth(leaves.slice(0, n))));
    }
    expect(bytesToHex(merkleRoot(leaves, nodeSha))).toBe(bytesToHex(merkleRoot(leaves)));
  });

  it('reports every completed perfect subtree with its position', () => {
    const acc = new MerkleAccumulator();
    const seen: string[] = [];
    acc.onNode = (height, index, hash) => {
      const size = 2 ** height;
      expect(bytesToHex(hash)).toBe(bytesToHex(mth(leaves.slice(index * size, (index + 1) * size))));
      seen.push(`${height}:${index}`);
    };
    leaves.slice(0, 8).forEach((l) => acc.push(l));
    expect(seen).toEqual(['1:0', '1:1', '2:0', '1:2', '1:3', '2:1', '3:0']);
  });

  it('resumes from a frontier', () => {
    const a = new MerkleAccumulator();
    leaves.slice(0, 13).forEach((l) => a.push(l));
    const b = MerkleAccumulator.fromFrontier(13, a.frontier());
    leaves.slice(13).forEach((l) => b.push(l));
    expect(bytesToHex(b.root())).toBe(bytesToHex(mth(leaves)));
  });

  it('proves and verifies every leaf of every tree size up to 40', () => {
    for (let n = 1; n <= leaves.length; n++) {
      const root = mth(leaves.slice(0, n));
      for (let i = 0; i < n; i++) {
        const path = inclusionProof(leaves.slice(0, n), i);
        expect(path.length).toBe(auditPathRanges(i, n).length);
        expect(verifyInclusion(leaves[i]!, i + 1, n, path, root)).toBe(true);
      }
    }
  });

  it('rejects a wrong leaf, position, size, path or root', () => {
    const n = 11;
    const root = mth(leaves.slice(0, n));
    const path = inclusionProof(leaves.slice(0, n), 4);
    expect(verifyInclusion(leaves[4]!, 5, n, path, root)).toBe(true);
    expect(verifyInclusion(leaves[5]!, 5, n, path, root)).toBe(false);
    expect(verifyInclusion(leaves[4]!, 6, n, path, root)).toBe(false);
    expect(verifyInclusion(leaves[4]!, 5, 5, path, root)).toBe(false);
    expect(verifyInclusion(leaves[4]!, 5, 4, path, root)).toBe(false);
    expect(verifyInclusion(leaves[4]!, 5, n, path.slice(1), root)).toBe(false);
    expect(verifyInclusion(leaves[4]!, 5, n, [...path, path[0]!], root)).toBe(false);
    expect(verifyInclusion(leaves[4]!, 5, n, path, mth(leaves.slice(0, n + 1)))).toBe(false);
    expect(verifyInclusion(leaves[4]!, 0, n, path, root)).toBe(false);
    expect(verifyInclusion('zz', 5, n, path, root)).toBe(false);
  });
});
