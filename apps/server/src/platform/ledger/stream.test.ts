import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ledgerLeafHash, bytesToHex, nobleSha256 } from '@yiwang/contracts/merkle';
import { canonicalJson } from './canonical';
import { canonicalJsonOfParsed, leafOf, nodeSha256, recomputeHash, recomputeHashReference, type EntryRow } from './stream';

// Deterministic pseudo-random JSON, including the awkward bits: unicode, escapes, -0, exponents, deep nesting.
function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
function randomJson(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 3 ? 4 : 6));
  const strings = ['', 'a', '中文', 'quote"back\\slash', 'line\nbreak', '\u2028', 'é', 'Z', 'aa', 'B'];
  switch (k) {
    case 0:
      return null;
    case 1:
      return [1.5, -0, 1e21, 123456789.123, 0.1, -7][Math.floor(r() * 6)];
    case 2:
      return strings[Math.floor(r() * strings.length)];
    case 3:
      return r() > 0.5;
    case 4:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(r() * 5); i++) o[strings[Math.floor(r() * strings.length)]! + i] = randomJson(r, depth + 1);
      return o;
    }
  }
}

describe('fast ledger hashing used by verify', () => {
  it('canonicalises parsed JSON exactly like canonicalJson', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const v = JSON.parse(JSON.stringify(randomJson(r)));
      expect(canonicalJsonOfParsed(v)).toBe(canonicalJson(v));
    }
  });

  it('recomputes entry hashes exactly like entryHash', () => {
    const r = rng(11);
    for (let i = 0; i < 500; i++) {
      const row: EntryRow = {
        seq: i + 1,
        recorded_at: new Date(1_800_000_000_000 + i * 1234),
        type: ['bid.submitted', 'lot.closed', '类型'][i % 3]!,
        subject_type: 'bid',
        subject_id: `s-${i}"x`,
        actor_id: i % 2 ? null : '0b7e2a9c-4a62-4f7e-9a43-2c1d4f7a9b10',
        payload: JSON.parse(JSON.stringify({ v: randomJson(r) })),
        prev_hash: createHash('sha256').update(String(i)).digest('hex'),
        entry_hash: '',
      };
      expect(recomputeHash(row)).toBe(recomputeHashReference(row));
    }
  });

  it('agrees with the shared (browser) Merkle code on leaf and node hashes', () => {
    const e = 'ab'.repeat(32);
    expect(bytesToHex(leafOf(e))).toBe(bytesToHex(ledgerLeafHash(e)));
    const a = new Uint8Array([1, 2, 3]);
    expect(bytesToHex(nodeSha256(a, a))).toBe(bytesToHex(nobleSha256(a, a)));
  });
});
