/**
 * Verify what the platform says about its ledger, trusting only its published Ed25519 public key
 * (GET /api/ledger/public-key → publicKeyHex; better: a copy obtained out of band and pinned).
 * Runs in browsers and Node alike (@noble/curves, @noble/hashes; no Node APIs).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { checkpointMessage, hexToBytes, verifyLedgerInclusion } from '@yiwang/contracts/merkle';

export interface SignedCheckpoint {
  treeSize: number;
  root: string;
  signature: string;
  keyId: string;
  createdAt: string;
}

/** GET /api/ledger/entries/:seq/proof */
export interface LedgerEntryProof {
  seq: number;
  entryHash: string;
  treeSize: number;
  path: string[];
  checkpoint: SignedCheckpoint;
}

/** True if the checkpoint's root, size and time carry a valid platform signature. */
export function verifyCheckpoint(c: SignedCheckpoint, publicKeyHex: string): boolean {
  try {
    const message = new TextEncoder().encode(checkpointMessage({ treeSize: c.treeSize, rootHex: c.root, createdAt: c.createdAt }));
    return ed25519.verify(hexToBytes(c.signature), message, hexToBytes(publicKeyHex));
  } catch {
    return false;
  }
}

export type ProofVerdict = { ok: true } | { ok: false; reason: 'signature' | 'inclusion' | 'mismatch' };

/**
 * Check an inclusion proof end to end: the checkpoint is signed by the platform, the proof is for that checkpoint's
 * size, and the entry hash (e.g. the one on your bid receipt) is at `seq` of that tree. Pass `expectedEntryHash` to
 * bind the proof to a receipt you hold rather than to whatever hash the server returned.
 */
export function verifyEntryProof(p: LedgerEntryProof, publicKeyHex: string, expectedEntryHash?: string): ProofVerdict {
  if (expectedEntryHash !== undefined && expectedEntryHash.toLowerCase() !== p.entryHash.toLowerCase())
    return { ok: false, reason: 'mismatch' };
  if (p.treeSize !== p.checkpoint.treeSize) return { ok: false, reason: 'mismatch' };
  if (!verifyCheckpoint(p.checkpoint, publicKeyHex)) return { ok: false, reason: 'signature' };
  if (!verifyLedgerInclusion(p.entryHash, p.seq, p.treeSize, p.path, p.checkpoint.root)) return { ok: false, reason: 'inclusion' };
  return { ok: true };
}
