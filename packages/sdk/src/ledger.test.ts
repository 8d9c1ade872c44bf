import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, checkpointMessage, inclusionProof, ledgerLeafHash, merkleRoot, nobleSha256 } from '@yiwang/contracts/merkle';
import { verifyCheckpoint, verifyEntryProof, type LedgerEntryProof } from './ledger';

// A platform in miniature: 11 entries, a signed checkpoint, a proof for entry 6.
const secret = ed25519.utils.randomSecretKey();
const publicKeyHex = bytesToHex(ed25519.getPublicKey(secret));
const entryHashes = Array.from({ length: 11 }, (_, i) => bytesToHex(nobleSha256(new TextEncoder().encode(`entry ${i + 1}`))));
const leaves = entryHashes.map((h) => ledgerLeafHash(h));
const root = bytesToHex(merkleRoot(leaves));
const createdAt = '2026-11-25T06:00:00.000Z';
const signature = bytesToHex(ed25519.sign(new TextEncoder().encode(checkpointMessage({ treeSize: 11, rootHex: root, createdAt })), secret));
const checkpoint = { treeSize: 11, root, signature, keyId: 'ledger-ed25519-1', createdAt };
const proof: LedgerEntryProof = {
  seq: 6,
  entryHash: entryHashes[5]!,
  treeSize: 11,
  path: inclusionProof(leaves, 5).map(bytesToHex),
  checkpoint,
};

describe('SDK ledger verification', () => {
  it('accepts a genuine checkpoint and proof', () => {
    expect(verifyCheckpoint(checkpoint, publicKeyHex)).toBe(true);
    expect(verifyEntryProof(proof, publicKeyHex, entryHashes[5])).toEqual({ ok: true });
  });

  it('rejects a checkpoint signed by another key, or with any field changed', () => {
    const other = bytesToHex(ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
    expect(verifyCheckpoint(checkpoint, other)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, treeSize: 12 }, publicKeyHex)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, createdAt: '2026-11-25T06:00:00.001Z' }, publicKeyHex)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, signature: 'zz' }, publicKeyHex)).toBe(false);
  });

  it('tells which part of a bad proof failed', () => {
    expect(verifyEntryProof(proof, publicKeyHex, entryHashes[4])).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyEntryProof({ ...proof, seq: 5 }, publicKeyHex)).toEqual({ ok: false, reason: 'inclusion' });
    expect(verifyEntryProof({ ...proof, entryHash: entryHashes[4]! }, publicKeyHex)).toEqual({ ok: false, reason: 'inclusion' });
    const forgedRoot = { ...checkpoint, root: bytesToHex(merkleRoot(leaves.slice(0, 10))) };
    expect(verifyEntryProof({ ...proof, checkpoint: forgedRoot }, publicKeyHex)).toEqual({ ok: false, reason: 'signature' });
  });
});
