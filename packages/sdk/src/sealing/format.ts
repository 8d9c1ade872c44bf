/**
 * The sealed-bid envelope, format `yiwang-sealed-bid/1` (spec: docs/adr/0008-sealed-bids.md). Layout:
 *
 *   "YWSB" | u32be H | header JSON (H bytes, UTF-8)            ← the "prefix"; headerHash = SHA-256(prefix)
 *   chunk 0 … chunk C-1: AES-256-GCM(ciphertext ‖ 16-byte tag)  ← payload.length bytes of plaintext in chunkSize pieces
 *   "YWSG" | u32be T | trailer JSON (T bytes) = { digest, signature }
 *
 * digest = SHA-256(prefix ‖ chunks); the bidder signs the UTF-8 text `yiwang-sealed-bid/1 sha256:<digest hex>`.
 * Chunk i: nonce = noncePrefix (8 bytes) ‖ u32be i; AAD = headerHash ‖ u32be i ‖ final (1 byte: 1 on the last chunk).
 * Pure and browser-safe.
 */
import { SealedBidError } from './errors';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './keys';
import type { WrappedKey } from './wrap';

export const SEALED_BID_FORMAT = 'yiwang-sealed-bid/1';
export const BID_PACKAGE_FORMAT = 'yiwang-bid-package/1';
export const MAGIC_HEADER = new Uint8Array([0x59, 0x57, 0x53, 0x42]); // "YWSB"
export const MAGIC_TRAILER = new Uint8Array([0x59, 0x57, 0x53, 0x47]); // "YWSG"
export const TAG_BYTES = 16;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
export const MIN_CHUNK_SIZE = 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_TRAILER_BYTES = 4 * 1024;
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export type CustodianKind = 'center' | 'regulator' | 'tenderer';
export const CUSTODIAN_KINDS: readonly CustodianKind[] = ['center', 'regulator', 'tenderer'];

export interface CustodianRef {
  kind: CustodianKind;
  /** Platform account id of the custodian (free text to this library). */
  accountId?: string;
  label?: string;
  algorithm: KeyAlgorithm;
  fingerprint: string;
}

export interface SealedBidHeader {
  format: typeof SEALED_BID_FORMAT;
  tenderId: string;
  lotIds: string[];
  bidder: { algorithm: KeyAlgorithm; fingerprint: string };
  /** The bidder's clock; informational only (the platform's receipt time is what counts). */
  createdAt: string;
  payload: {
    aead: 'AES-256-GCM';
    chunkSize: number;
    /** Plaintext bytes (bid package). Public: the ciphertext length reveals it anyway. */
    length: number;
    /** base64 of 8 random bytes. */
    noncePrefix: string;
    /** hex HMAC-SHA256(contentKey, "yiwang-sealed-bid/1 key-check"): tells a wrong key from tampering. */
    keyCheck: string;
  };
  /** The content key wrapped to the bidder's registered key (opened by the bidder at the opening). */
  bidderKey: WrappedKey;
  /** k-of-n Shamir shares of the content key, each wrapped to one custodian's registered key. */
  escrow: { scheme: 'shamir-gf256'; threshold: number; shares: Array<{ custodian: CustodianRef; wrapped: WrappedKey }> };
}

export interface SealedBidTrailer {
  digest: string;
  signature: string;
}

// ---- price sheet (开标一览表) -------------------------------------------------------------------------------

export interface PriceSheetLot {
  lotId: string;
  /** 投标报价 in 元 as a decimal string with at most 2 decimals ("1234567.89"). Exactly one of priceYuan/priceFen. */
  priceYuan?: string;
  /** 投标报价 in integer 分. */
  priceFen?: number;
  /** 工期/交货期 in calendar days. */
  durationDays?: number;
  /** 质量标准/质量承诺. */
  quality?: string;
  /** Any other column of the sheet (下浮率, 项目负责人, 投标保证金…), text values. */
  fields?: Record<string, string>;
}

export interface PriceSheet {
  currency: 'CNY';
  lots: PriceSheetLot[];
  fields?: Record<string, string>;
}

export interface BidFileMeta {
  name: string;
  mediaType: string;
  size: number;
}

export interface BidManifest {
  format: typeof BID_PACKAGE_FORMAT;
  priceSheet: PriceSheet;
  files: BidFileMeta[];
}

const YUAN = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

/** The lot's price in 分 (exact; bigint because 元 strings may exceed 2^53 分 in theory). */
export function lotPriceFen(lot: PriceSheetLot): bigint {
  if (lot.priceFen !== undefined) return BigInt(lot.priceFen);
  const [int, frac = ''] = lot.priceYuan!.split('.');
  return BigInt(int!) * 100n + BigInt(frac.padEnd(2, '0'));
}

type Fail = (msg: string) => never;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const text = (x: unknown, max: number) => typeof x === 'string' && x.length > 0 && x.length <= max;

function checkFields(x: unknown, where: string, fail: Fail): void {
  if (x === undefined) return;
  if (!isObj(x)) fail(`${where}.fields must be an object of strings`);
  const entries = Object.entries(x);
  if (entries.length > 200) fail(`${where}.fields has more than 200 entries`);
  for (const [k, v] of entries)
    if (!text(k, 200) || typeof v !== 'string' || v.length > 10_000) fail(`${where}.fields.${k} must be a string`);
}

/** Validate a price sheet against the lots the bid is for. Throws `code` (INPUT_INVALID when sealing). */
export function checkPriceSheet(
  sheet: unknown,
  lotIds: readonly string[],
  code: 'INPUT_INVALID' | 'PAYLOAD_INVALID' = 'INPUT_INVALID',
): PriceSheet {
  const fail: Fail = (msg) => {
    throw new SealedBidError(code, `price sheet: ${msg}`);
  };
  if (!isObj(sheet)) fail('not an object');
  if (sheet.currency !== 'CNY') fail('currency must be "CNY"');
  if (!Array.isArray(sheet.lots) || sheet.lots.length === 0) fail('lots must be a non-empty array');
  checkFields(sheet.fields, 'sheet', fail);
  const seen = new Set<string>();
  for (const [i, lot] of (sheet.lots as unknown[]).entries()) {
    const w = `lots[${i}]`;
    if (!isObj(lot)) fail(`${w} is not an object`);
    if (!text(lot.lotId, 200)) fail(`${w}.lotId missing`);
    const id = lot.lotId as string;
    if (!lotIds.includes(id)) fail(`${w}.lotId ${id} is not one of the lots the bid is sealed for`);
    if (seen.has(id)) fail(`lot ${id} appears twice`);
    seen.add(id);
    const hasYuan = lot.priceYuan !== undefined;
    const hasFen = lot.priceFen !== undefined;
    if (hasYuan === hasFen) fail(`${w}: give exactly one of priceYuan (decimal string) and priceFen (integer)`);
    if (hasYuan && (typeof lot.priceYuan !== 'string' || !YUAN.test(lot.priceYuan)))
      fail(`${w}.priceYuan must be a decimal string in 元 with at most 2 decimals, e.g. "1234.50" (never a float)`);
    if (hasFen && !(Number.isSafeInteger(lot.priceFen) && (lot.priceFen as number) >= 0))
      fail(`${w}.priceFen must be a non-negative integer (分)`);
    if (lot.durationDays !== undefined && !(Number.isSafeInteger(lot.durationDays) && (lot.durationDays as number) >= 0))
      fail(`${w}.durationDays must be a non-negative integer`);
    if (lot.quality !== undefined && !text(lot.quality, 2000)) fail(`${w}.quality must be text`);
    checkFields(lot.fields, w, fail);
    const known = new Set(['lotId', 'priceYuan', 'priceFen', 'durationDays', 'quality', 'fields']);
    for (const k of Object.keys(lot)) if (!known.has(k)) fail(`${w}.${k} is not a price-sheet column (put it in fields)`);
  }
  for (const id of lotIds) if (!seen.has(id)) fail(`lot ${id} has no row`);
  return sheet as unknown as PriceSheet;
}

/** File names travel inside the sealed package; refuse anything that could escape an output directory. */
export function checkFileMeta(f: unknown, code: 'INPUT_INVALID' | 'PAYLOAD_INVALID'): BidFileMeta {
  const fail: Fail = (msg) => {
    throw new SealedBidError(code, `file: ${msg}`);
  };
  if (!isObj(f)) fail('not an object');
  // eslint-disable-next-line no-control-regex
  if (!text(f.name, 255) || /[/\\\u0000-\u001f]/.test(f.name as string) || f.name === '.' || f.name === '..')
    fail(`name ${JSON.stringify(f.name)} must be a plain file name (no path separators or control characters)`);
  if (typeof f.mediaType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(f.mediaType))
    fail(`${String(f.name)}: mediaType must be type/subtype`);
  if (!Number.isSafeInteger(f.size) || (f.size as number) < 0) fail(`${String(f.name)}: size must be a non-negative integer`);
  return { name: f.name as string, mediaType: f.mediaType as string, size: f.size as number };
}

// ---- header ----------------------------------------------------------------------------------------------

const HEX64 = /^[0-9a-f]{64}$/;

function checkWrapped(x: unknown, fail: Fail, where: string): WrappedKey {
  if (!isObj(x)) fail(`${where} missing`);
  const ok =
    ['ecies-p256-hkdf-sha256-a256gcm', 'ecies-x25519-hkdf-sha256-a256gcm', 'sm2-c1c3c2'].includes(x.scheme as string) &&
    typeof x.recipient === 'string' &&
    HEX64.test(x.recipient) &&
    text(x.ct, 1000) &&
    (x.scheme === 'sm2-c1c3c2' ? x.epk === undefined : text(x.epk, 200));
  if (!ok) fail(`${where} is not a wrapped key`);
  return x as unknown as WrappedKey;
}

/** Parse and validate header JSON. FORMAT_UNSUPPORTED for another version, FORMAT_INVALID otherwise. */
export function parseHeader(json: string): SealedBidHeader {
  const fail: Fail = (msg) => {
    throw new SealedBidError('FORMAT_INVALID', `header: ${msg}`);
  };
  let h: unknown;
  try {
    h = JSON.parse(json);
  } catch {
    fail('not JSON');
  }
  if (!isObj(h)) fail('not an object');
  if (h.format !== SEALED_BID_FORMAT) {
    if (typeof h.format === 'string' && h.format.startsWith('yiwang-sealed-bid/'))
      throw new SealedBidError('FORMAT_UNSUPPORTED', `format ${h.format} is not supported (this code reads ${SEALED_BID_FORMAT})`);
    fail('format id missing');
  }
  if (!text(h.tenderId, 200)) fail('tenderId missing');
  if (!Array.isArray(h.lotIds) || h.lotIds.length === 0 || h.lotIds.length > 500 || !h.lotIds.every((l) => text(l, 200)))
    fail('lotIds must be a non-empty array of ids');
  if (new Set(h.lotIds).size !== h.lotIds.length) fail('lotIds repeat');
  const b = h.bidder;
  if (!isObj(b) || !KEY_ALGORITHMS.includes(b.algorithm as KeyAlgorithm) || typeof b.fingerprint !== 'string' || !HEX64.test(b.fingerprint))
    fail('bidder must name an algorithm and a fingerprint');
  if (typeof h.createdAt !== 'string') fail('createdAt missing');
  const p = h.payload;
  if (!isObj(p) || p.aead !== 'AES-256-GCM') fail('payload.aead must be AES-256-GCM');
  if (!Number.isInteger(p.chunkSize) || (p.chunkSize as number) < MIN_CHUNK_SIZE || (p.chunkSize as number) > MAX_CHUNK_SIZE)
    fail(`payload.chunkSize must be an integer in [${MIN_CHUNK_SIZE}, ${MAX_CHUNK_SIZE}]`);
  if (!Number.isSafeInteger(p.length) || (p.length as number) < 1) fail('payload.length must be a positive integer');
  if (Math.ceil((p.length as number) / (p.chunkSize as number)) > 2 ** 32 - 1) fail('too many chunks');
  if (typeof p.noncePrefix !== 'string' || !/^[A-Za-z0-9+/]{11}=$/.test(p.noncePrefix)) fail('payload.noncePrefix must be 8 bytes, base64');
  if (typeof p.keyCheck !== 'string' || !HEX64.test(p.keyCheck)) fail('payload.keyCheck must be 64 hex digits');
  const bidderKey = checkWrapped(h.bidderKey, fail, 'bidderKey');
  if (bidderKey.recipient !== b.fingerprint) fail('bidderKey is not wrapped to the bidder key');
  const e = h.escrow;
  if (!isObj(e) || e.scheme !== 'shamir-gf256' || !Array.isArray(e.shares)) fail('escrow must be shamir-gf256 with shares');
  const n = e.shares.length;
  if (!Number.isInteger(e.threshold) || (e.threshold as number) < 2 || (e.threshold as number) > n || n > 255)
    fail('escrow.threshold must be an integer with 2 ≤ k ≤ n ≤ 255');
  for (const [i, s] of (e.shares as unknown[]).entries()) {
    if (!isObj(s) || !isObj(s.custodian)) fail(`escrow.shares[${i}] missing custodian`);
    const c = s.custodian;
    if (
      !CUSTODIAN_KINDS.includes(c.kind as CustodianKind) ||
      !KEY_ALGORITHMS.includes(c.algorithm as KeyAlgorithm) ||
      typeof c.fingerprint !== 'string' ||
      !HEX64.test(c.fingerprint)
    )
      fail(`escrow.shares[${i}].custodian must name a kind, an algorithm and a fingerprint`);
    const w = checkWrapped(s.wrapped, fail, `escrow.shares[${i}].wrapped`);
    if (w.recipient !== c.fingerprint) fail(`escrow.shares[${i}] is not wrapped to its custodian`);
  }
  return h as unknown as SealedBidHeader;
}

/** Number of chunks and the plaintext size of chunk i. */
export function chunkCount(h: SealedBidHeader): number {
  return Math.ceil(h.payload.length / h.payload.chunkSize);
}

export function plainChunkSize(h: SealedBidHeader, i: number): number {
  return Math.min(h.payload.chunkSize, h.payload.length - i * h.payload.chunkSize);
}

/** Bytes of ciphertext between header and trailer. */
export function ciphertextLength(h: SealedBidHeader): number {
  return h.payload.length + chunkCount(h) * TAG_BYTES;
}

/** The text the bidder signs. Domain-separated from key-registration proofs (`yiwang-key-proof:`). */
export function signedMessage(digestHex: string): string {
  return `${SEALED_BID_FORMAT} sha256:${digestHex}`;
}
