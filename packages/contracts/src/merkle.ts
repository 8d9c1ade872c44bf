/**
 * Merkle trees over the ledger, RFC 6962 §2.1 (Certificate Transparency) / RFC 9162 §2.1:
 *   leaf  = SHA-256(0x00 || entry hash bytes)
 *   node  = SHA-256(0x01 || left || right)
 *   MTH(D[n]) splits at k, the largest power of two below n.
 * Pure and free of Node APIs (SHA-256 from @noble/hashes) so the SDK and browsers verify with the same code the
 * server proves with. The server passes node:crypto's SHA-256 for speed; results are identical.
 *
 * Ledger sequence numbers start at 1; the tree's leaf index is `seq - 1`.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** SHA-256 over the concatenation of `parts`. */
export type Sha256 = (...parts: Uint8Array[]) => Uint8Array;

export const nobleSha256: Sha256 = (...parts) => {
  const h = sha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`not a hex string: ${hex.slice(0, 20)}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Leaf hash of one ledger entry, given its (hex) entry hash. */
export function ledgerLeafHash(entryHashHex: string, h: Sha256 = nobleSha256): Uint8Array {
  return h(LEAF, hexToBytes(entryHashHex));
}

export function leafHash(data: Uint8Array, h: Sha256 = nobleSha256): Uint8Array {
  return h(LEAF, data);
}

export function nodeHash(left: Uint8Array, right: Uint8Array, h: Sha256 = nobleSha256): Uint8Array {
  return h(NODE, left, right);
}

/** SHA-256 of the empty string: RFC 6962's root of the empty tree. */
export function emptyRoot(h: Sha256 = nobleSha256): Uint8Array {
  return h();
}

/**
 * Streaming tree builder: push leaf hashes in order, read the root of the tree so far at any time.
 * Keeps only the roots of the perfect subtrees that make up the current size (one per set bit), so memory is
 * O(log n) whatever the ledger's length. `frontier`/`fromFrontier` let a checkpoint resume where the last one ended.
 */
export class MerkleAccumulator {
  /** Perfect-subtree roots, largest (leftmost) first; heights strictly decreasing. */
  private stack: { height: number; hash: Uint8Array }[] = [];
  private count = 0;
  /** Called for every perfect subtree completed by `push` (height ≥ 1), e.g. to cache subtree roots for proofs. */
  onNode?: (height: number, index: number, hash: Uint8Array) => void;
  constructor(private readonly h: Sha256 = nobleSha256) {}

  static fromFrontier(size: number, frontier: string[], h: Sha256 = nobleSha256): MerkleAccumulator {
    const acc = new MerkleAccumulator(h);
    const heights: number[] = [];
    for (let bit = 52; bit >= 0; bit--) if (Math.floor(size / 2 ** bit) % 2 === 1) heights.push(bit);
    if (heights.length !== frontier.length) throw new Error(`frontier of ${frontier.length} nodes does not fit size ${size}`);
    acc.stack = heights.map((height, i) => ({ height, hash: hexToBytes(frontier[i]!) }));
    acc.count = size;
    return acc;
  }

  get size(): number {
    return this.count;
  }

  /** Push a leaf hash (already prefixed with 0x00 and hashed). */
  push(leaf: Uint8Array): void {
    let node = { height: 0, hash: leaf };
    let top = this.stack[this.stack.length - 1];
    while (top && top.height === node.height) {
      this.stack.pop();
      node = { height: node.height + 1, hash: this.h(NODE, top.hash, node.hash) };
      // The new subtree ends at leaf `count` (0-based), so it is the ((count + 1) / 2^height − 1)-th of its height.
      this.onNode?.(node.height, (this.count + 1) / 2 ** node.height - 1, node.hash);
      top = this.stack[this.stack.length - 1];
    }
    this.stack.push(node);
    this.count++;
  }

  /** MTH of all leaves pushed so far: fold the perfect subtrees from the smallest (rightmost) leftwards. */
  root(): Uint8Array {
    if (this.stack.length === 0) return this.h();
    let acc = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = this.h(NODE, this.stack[i]!.hash, acc);
    return acc;
  }

  frontier(): string[] {
    return this.stack.map((n) => bytesToHex(n.hash));
  }
}

/** MTH over an in-memory list of leaf hashes. */
export function merkleRoot(leaves: readonly Uint8Array[], h: Sha256 = nobleSha256): Uint8Array {
  const acc = new MerkleAccumulator(h);
  for (const l of leaves) acc.push(l);
  return acc.root();
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The sibling ranges whose roots form the audit path of leaf `index` in a tree of `size` leaves (RFC 6962 §2.1.1
 * PATH), deepest first. The caller computes each range's root — from memory, or streaming from the database.
 */
export function auditPathRanges(index: number, size: number): { start: number; end: number }[] {
  if (!(Number.isInteger(index) && Number.isInteger(size) && index >= 0 && index < size))
    throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const out: { start: number; end: number }[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      out.push({ start: start + k, end });
      end = start + k;
    } else {
      out.push({ start, end: start + k });
      start = start + k;
    }
  }
  return out.reverse();
}

/** Audit path for leaf `index` over an in-memory list of leaf hashes. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number, h: Sha256 = nobleSha256): Uint8Array[] {
  return auditPathRanges(index, leaves.length).map((r) => merkleRoot(leaves.slice(r.start, r.end), h));
}

/**
 * RFC 9162 §2.1.3.2: does `path` prove that `leaf` is at 1-based position `seq` of the tree of `treeSize` leaves
 * whose root is `root`? Hex strings or bytes accepted. Never throws on malformed input; returns false.
 */
export function verifyInclusion(
  leaf: Uint8Array | string,
  seq: number,
  treeSize: number,
  path: readonly (Uint8Array | string)[],
  root: Uint8Array | string,
  h: Sha256 = nobleSha256,
): boolean {
  try {
    const index = seq - 1;
    if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return false;
    const bytes = (x: Uint8Array | string) => (typeof x === 'string' ? hexToBytes(x) : x);
    let fn = index;
    let sn = treeSize - 1;
    let r = bytes(leaf);
    for (const p of path) {
      if (sn === 0) return false;
      const sibling = bytes(p);
      if (fn % 2 === 1 || fn === sn) {
        r = h(NODE, sibling, r);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn = Math.floor(fn / 2);
            sn = Math.floor(sn / 2);
          }
        }
      } else {
        r = h(NODE, r, sibling);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && bytesToHex(r) === bytesToHex(bytes(root));
  } catch {
    return false;
  }
}

/** Convenience for receipts: verify a ledger entry (by its entry hash) against a checkpoint root. */
export function verifyLedgerInclusion(
  entryHashHex: string,
  seq: number,
  treeSize: number,
  path: readonly string[],
  rootHex: string,
  h: Sha256 = nobleSha256,
): boolean {
  try {
    return verifyInclusion(ledgerLeafHash(entryHashHex, h), seq, treeSize, path, rootHex, h);
  } catch {
    return false;
  }
}

/**
 * The exact bytes (UTF-8) a checkpoint signature covers. Versioned: changing it invalidates published signatures.
 * Verify with Ed25519 over `new TextEncoder().encode(checkpointMessage(...))` and the key from /api/ledger/public-key.
 */
export function checkpointMessage(c: { treeSize: number; rootHex: string; createdAt: string }): string {
  return `yiwang-ledger-checkpoint/v1\ntree_size=${c.treeSize}\nroot=${c.rootHex}\ncreated_at=${c.createdAt}\n`;
}
