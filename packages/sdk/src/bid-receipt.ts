/**
 * Bid receipts (回执): what the platform signs when it accepts a sealed bid, and how anyone holding one checks it —
 * a bidder's browser, the yiwang-bid CLI, or the platform itself (POST /api/bidding/receipts/verify).
 *
 * The platform signs the UTF-8 text of `receiptMessage(r)` with its ledger key (Ed25519; raw public key from
 * GET /api/ledger/public-key). The receipt names the ledger entry of the submission (seq + entry hash), so the
 * receipt can also be checked against the ledger and its signed checkpoints (inclusion proofs). Browser-safe.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

export const BID_RECEIPT_FORMAT = 'yiwang-bid-receipt/1';

export interface BidReceipt {
  format: typeof BID_RECEIPT_FORMAT;
  bidId: string;
  tenderId: string;
  lotId: string;
  bidderOrgId: string;
  /** SHA-256 hex of the whole envelope as received (what the content-addressed store names it by). */
  envelopeSha256: string;
  envelopeSize: number;
  /** The digest the bidder signed (header and ciphertext, trailer excluded). */
  sealedDigest: string;
  /** Server time the upload completed and was accepted (ISO 8601, UTC). */
  receivedAt: string;
  /** Replaces this earlier bid of the same bidder for the lot (投标文件的修改), or null. */
  supersedes: string | null;
  ledger: { seq: number; entryHash: string };
  keyId: string;
  /** Ed25519 signature, hex, over receiptMessage(). */
  signature: string;
}

/** The exact text signed. Line-based and ordered, so it is rebuilt identically in any language. */
export function receiptMessage(r: Omit<BidReceipt, 'signature'>): string {
  return (
    `${BID_RECEIPT_FORMAT}\n` +
    `bid=${r.bidId}\ntender=${r.tenderId}\nlot=${r.lotId}\nbidder=${r.bidderOrgId}\n` +
    `envelope_sha256=${r.envelopeSha256}\nenvelope_size=${r.envelopeSize}\nsealed_digest=${r.sealedDigest}\n` +
    `received_at=${r.receivedAt}\nsupersedes=${r.supersedes ?? ''}\n` +
    `ledger_seq=${r.ledger.seq}\nledger_entry_hash=${r.ledger.entryHash}\nkey_id=${r.keyId}\n`
  );
}

const hexBytes = (hex: string): Uint8Array => {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new Error('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
};

/**
 * Is this receipt signed by the platform key `publicKeyHex` (32-byte raw Ed25519, hex)? Also checks its shape, so a
 * receipt with a field altered, added as a different type or missing fails. Never throws.
 */
export function verifyBidReceipt(receipt: unknown, publicKeyHex: string): boolean {
  try {
    const r = receipt as BidReceipt;
    if (!r || r.format !== BID_RECEIPT_FORMAT || typeof r.signature !== 'string' || !/^[0-9a-f]{128}$/.test(r.signature)) return false;
    const strings = [r.bidId, r.tenderId, r.lotId, r.bidderOrgId, r.envelopeSha256, r.sealedDigest, r.receivedAt, r.keyId, r.ledger?.entryHash];
    if (!strings.every((s) => typeof s === 'string' && s.length > 0 && !s.includes('\n'))) return false;
    if (r.supersedes !== null && (typeof r.supersedes !== 'string' || r.supersedes.length === 0 || r.supersedes.includes('\n'))) return false; // '' would sign like null
    if (!Number.isSafeInteger(r.envelopeSize) || !Number.isSafeInteger(r.ledger.seq)) return false;
    return ed25519.verify(hexBytes(r.signature), new TextEncoder().encode(receiptMessage(r)), hexBytes(publicKeyHex));
  } catch {
    return false;
  }
}
