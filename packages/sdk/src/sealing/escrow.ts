/**
 * Getting the content key back out of a sealed-bid header: the bidder unwraps its copy; each custodian unwraps its
 * Shamir share; any k shares rebuild the key. Every result is checked against the header's key check value, so a
 * wrong or missing share is reported (ESCROW_INSUFFICIENT) instead of yielding a wrong key.
 * Shamir over GF(256): `shamir-secret-sharing` (audited by Cure53 and Zellic; see ADR 0008).
 */
import { combine, split } from 'shamir-secret-sharing';
import { fromBase64, fromHex, own, toBase64, toHex, type Bytes } from './bytes';
import { contentKeyMatches } from './aead';
import { SealedBidError } from './errors';
import type { CustodianKind, SealedBidHeader } from './format';
import type { BidKeyPair } from './keys';
import { unwrapKey } from './wrap';

/** Split a 32-byte key into n shares, any k of which rebuild it (2 ≤ k ≤ n ≤ 255). Each share is 33 bytes. */
export async function splitKey(key: Uint8Array, n: number, k: number): Promise<Bytes[]> {
  return (await split(own(key), n, k)).map(own);
}

/** The bidder's own copy of the content key. */
export async function unwrapContentKey(header: SealedBidHeader, bidderKey: BidKeyPair): Promise<Bytes> {
  const key = await unwrapKey(header.bidderKey, bidderKey, 'content-key');
  if (!contentKeyMatches(header, key)) throw new SealedBidError('UNWRAP_FAILED', 'the unwrapped key fails the key check (header altered?)');
  return key;
}

export interface EscrowShare {
  /** Position of the share in header.escrow.shares. */
  position: number;
  kind: CustodianKind;
  /** 33 bytes (32 share bytes ‖ x-coordinate); reveal only to whoever combines the shares. */
  share: Bytes;
}

/** A custodian's share, found by its key's fingerprint. */
export async function unwrapEscrowShare(header: SealedBidHeader, custodianKey: BidKeyPair): Promise<EscrowShare> {
  const position = header.escrow.shares.findIndex((s) => s.custodian.fingerprint === custodianKey.fingerprint);
  if (position < 0) throw new SealedBidError('UNWRAP_FAILED', 'this key holds no escrow share of the sealed bid');
  const s = header.escrow.shares[position]!;
  const share = await unwrapKey(s.wrapped, custodianKey, 'escrow-share');
  if (share.length !== 33) throw new SealedBidError('UNWRAP_FAILED', 'the escrow share has the wrong length');
  return { position, kind: s.custodian.kind, share };
}

/** Rebuild the content key from at least k shares (raw bytes or EscrowShare). */
export async function combineEscrowShares(header: SealedBidHeader, shares: ReadonlyArray<Uint8Array | EscrowShare>): Promise<Bytes> {
  const raw = shares.map((s) => own(s instanceof Uint8Array ? s : s.share));
  const distinct = new Set(raw.map((s) => toHex(s)));
  const k = header.escrow.threshold;
  if (distinct.size < k) throw new SealedBidError('ESCROW_INSUFFICIENT', `${distinct.size} distinct share(s) given, ${k} needed`);
  let key: Bytes;
  try {
    key = own(await combine([...distinct].map((h) => fromHex(h))));
  } catch (e) {
    throw new SealedBidError('ESCROW_INSUFFICIENT', 'the shares do not combine (malformed or duplicated x-coordinates)', { cause: e });
  }
  if (!contentKeyMatches(header, key)) throw new SealedBidError('ESCROW_INSUFFICIENT', 'the shares do not rebuild this bid’s content key');
  return key;
}

/** Transport encodings: content keys as 64 hex digits, shares as base64 (what the CLI prints). */
export const encodeContentKey = (key: Uint8Array): string => toHex(key);
export function decodeContentKey(text: string): Bytes {
  const t = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(t)) throw new SealedBidError('WRONG_CONTENT_KEY', 'a content key is 64 hex digits');
  return fromHex(t);
}
export const encodeShare = (share: Uint8Array): string => toBase64(share);
export function decodeShare(text: string): Bytes {
  try {
    const b = fromBase64(text.trim());
    if (b.length === 33) return b;
  } catch {
    // fall through
  }
  throw new SealedBidError('ESCROW_INSUFFICIENT', 'an escrow share is 33 bytes, base64');
}
