/**
 * Reading sealed bids.
 * - SealedBidVerifier / verifySealedBid: what the SERVER runs while an upload streams in — no key needed. Parses and
 *   checks the header early (so a bad upload is refused before its body is stored), hashes incrementally, checks the
 *   trailer digest and the bidder's signature against the registered key.
 * - openSealedBid: decrypts with the content key (at the opening, 不见面开标), authenticating every chunk.
 * Browser-safe.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ByteReader, concat, decodeUtf8, equalBytes, toHex, type ByteSource, type Bytes } from './bytes';
import { decryptChunk, importContentKey } from './aead';
import { SealedBidError } from './errors';
import {
  BID_PACKAGE_FORMAT,
  MAGIC_HEADER,
  MAGIC_TRAILER,
  MAX_HEADER_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_TRAILER_BYTES,
  checkFileMeta,
  checkPriceSheet,
  chunkCount,
  ciphertextLength,
  parseHeader,
  plainChunkSize,
  signedMessage,
  TAG_BYTES,
  type BidFileMeta,
  type CustodianKind,
  type PriceSheet,
  type SealedBidHeader,
  type SealedBidTrailer,
} from './format';
import { parsePublicKey, verifyMessage, type PublicKeyRef } from './keys';

export interface Expectations {
  /** The tender the upload is for. */
  tenderId?: string;
  /** Lots open for bidding: every lot in the header must be one of them. */
  lotIds?: readonly string[];
  /** A digest the caller already holds (e.g. from the bidder's receipt request): the envelope must hash to it. */
  digest?: string;
  /**
   * The tender's escrow: the header must use exactly this k and wrap one share to each of these keys (any order), so a
   * bidder cannot choose custodians of its own and the platform can count on recovery.
   */
  escrow?: { threshold: number; custodians: ReadonlyArray<PublicKeyRef & { kind?: CustodianKind }> };
}

/**
 * An incremental SHA-256: @noble/hashes' `sha256.create()` (the default: pure JS, browser-safe) or an adapter over
 * node:crypto's Hash (`copy()` as clone), which a server passes because it is many times faster.
 */
export interface Sha256Hasher {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
  /** An independent copy of the running state. */
  clone(): Sha256Hasher;
}

export interface VerifyOptions {
  /**
   * The bidder's registered public key, or a lookup by the header (e.g. the account's key with
   * header.bidder.fingerprint). The server must always pass it; `null` skips the signature (inspection tools only).
   */
  bidderKey: null | PublicKeyRef | ((header: SealedBidHeader) => PublicKeyRef | Promise<PublicKeyRef>);
  expect?: Expectations;
  /** Refuse envelopes larger than this many bytes (TOO_LARGE), checked from the header before the body arrives. */
  maxBytes?: number;
  /** The SHA-256 implementation (default: @noble/hashes). */
  hasher?: () => Sha256Hasher;
}

export interface VerifiedSealedBid {
  header: SealedBidHeader;
  /** SHA-256 hex of header and ciphertext. */
  digest: string;
  signature: string;
  /** Envelope bytes, trailer included. */
  size: number;
  /**
   * SHA-256 hex of the whole envelope, trailer included: the content hash a file store names it by and the receipt's
   * envelopeSha256. The sealed digest covers a prefix of the same bytes, so one running hash gives both (the state is
   * cloned at the end of the ciphertext): a server storing the envelope need not hash it a second time.
   */
  envelopeSha256: string;
  /** False only when verification ran without a bidder key. */
  signatureVerified: boolean;
}

function readU32(b: Uint8Array, off: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, false);
}

/** Check magic and length of an 8-byte header or trailer prefix. */
function framing(prefix: Uint8Array, magic: Uint8Array, max: number, what: string): number {
  if (!equalBytes(prefix.subarray(0, 4), magic))
    throw new SealedBidError('FORMAT_INVALID', `${what}: bad magic (not a sealed bid, or misaligned)`);
  const n = readU32(prefix, 4);
  if (n < 2 || n > max) throw new SealedBidError('FORMAT_INVALID', `${what}: length ${n} out of range`);
  return n;
}

function parseTrailer(bytes: Uint8Array): SealedBidTrailer {
  let t: unknown;
  try {
    t = JSON.parse(decodeUtf8(bytes));
  } catch {
    throw new SealedBidError('FORMAT_INVALID', 'trailer: not JSON');
  }
  const o = t as Partial<SealedBidTrailer> | null;
  if (
    !o ||
    typeof o.digest !== 'string' ||
    !/^[0-9a-f]{64}$/.test(o.digest) ||
    typeof o.signature !== 'string' ||
    o.signature.length > 1000
  )
    throw new SealedBidError('FORMAT_INVALID', 'trailer: digest and signature required');
  return { digest: o.digest, signature: o.signature };
}

function decodeHeader(bytes: Uint8Array): SealedBidHeader {
  let json: string;
  try {
    json = decodeUtf8(bytes);
  } catch {
    throw new SealedBidError('FORMAT_INVALID', 'header: not UTF-8');
  }
  return parseHeader(json);
}

function checkExpectations(header: SealedBidHeader, expect: Expectations | undefined): void {
  if (!expect) return;
  if (expect.tenderId !== undefined && header.tenderId !== expect.tenderId)
    throw new SealedBidError('HEADER_MISMATCH', `sealed for tender ${header.tenderId}, not ${expect.tenderId}`);
  if (expect.lotIds)
    for (const l of header.lotIds)
      if (!expect.lotIds.includes(l)) throw new SealedBidError('HEADER_MISMATCH', `lot ${l} is not open for this bid`);
  if (expect.escrow) {
    const { threshold, custodians } = expect.escrow;
    if (header.escrow.threshold !== threshold)
      throw new SealedBidError('HEADER_MISMATCH', `escrow threshold is ${header.escrow.threshold}, the tender requires ${threshold}`);
    const want = custodians.map((c) => ({ fingerprint: parsePublicKey(c).fingerprint, kind: c.kind }));
    const got = header.escrow.shares.map((s) => s.custodian);
    const same =
      want.length === got.length &&
      want.every((w) => got.some((g) => g.fingerprint === w.fingerprint && (w.kind === undefined || g.kind === w.kind)));
    if (!same) throw new SealedBidError('HEADER_MISMATCH', 'the escrow shares are not wrapped to the tender’s custodians');
  }
}

/** Digest and signature against the trailer, the caller's expectations and the registered key. */
function checkSeal(
  header: SealedBidHeader,
  computed: string,
  trailer: SealedBidTrailer,
  key: PublicKeyRef | undefined,
  expect?: Expectations,
): void {
  if (computed !== trailer.digest)
    throw new SealedBidError('DIGEST_MISMATCH', 'the envelope does not hash to the digest in its trailer (altered)');
  if (expect?.digest !== undefined && computed !== expect.digest.toLowerCase())
    throw new SealedBidError('DIGEST_MISMATCH', `the envelope hashes to ${computed}, expected ${expect.digest}`);
  if (key && !verifyMessage(parsePublicKey(key), signedMessage(computed), trailer.signature))
    throw new SealedBidError('SIGNATURE_INVALID', 'the bidder signature does not verify under the registered key');
}

function checkKey(header: SealedBidHeader, key: PublicKeyRef): void {
  const parsed = parsePublicKey(key);
  if (parsed.algorithm !== header.bidder.algorithm || parsed.fingerprint !== header.bidder.fingerprint)
    throw new SealedBidError(
      'KEY_MISMATCH',
      `sealed with key ${header.bidder.fingerprint.slice(0, 16)}…, not the registered ${parsed.fingerprint.slice(0, 16)}…`,
    );
}

/**
 * Push-style verifier for a streaming upload: `await v.update(piece)` for every piece as it arrives (store it in
 * parallel), then `await v.finish()`. Errors are thrown as early as they can be known: header problems, key
 * mismatch and TOO_LARGE at the header, TRAILING_DATA at the first extra byte, the rest at finish().
 * Memory: the header (≤ 64 KiB) and the trailer (≤ 4 KiB); body bytes are hashed and dropped. Every byte is hashed
 * once: the sealed digest is read from a clone of the running hash where the ciphertext ends, and the same hash, fed
 * the trailer too, gives envelopeSha256 (the content hash a server stores the envelope under).
 */
export class SealedBidVerifier {
  private state: 'prefix' | 'header' | 'body' | 'tprefix' | 'trailer' | 'done' = 'prefix';
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  private need = 8;
  private bodyLeft = 0;
  private readonly hasher: Sha256Hasher;
  /** The sealed digest (prefix ‖ chunks), taken when the last ciphertext byte has been hashed. */
  private sealedDigest: string | undefined;
  private size = 0;
  private key: PublicKeyRef | undefined;
  private trailer: SealedBidTrailer | undefined;
  private failed: unknown;
  header: SealedBidHeader | undefined;

  constructor(private readonly options: VerifyOptions) {
    this.hasher = options.hasher ? options.hasher() : sha256.create();
  }

  private take(b: Uint8Array): Uint8Array {
    const n = Math.min(this.need - this.pendingLen, b.length);
    this.pending.push(b.slice(0, n)); // a copy: the caller may reuse its buffer after update() returns
    this.pendingLen += n;
    return b.subarray(n);
  }

  private collected(): Bytes {
    const out = concat(...this.pending);
    this.pending = [];
    this.pendingLen = 0;
    return out;
  }

  async update(piece: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    try {
      await this.step(piece);
    } catch (e) {
      this.failed = e;
      throw e;
    }
  }

  private async step(piece: Uint8Array): Promise<void> {
    let b = piece;
    this.size += b.length;
    if (this.options.maxBytes !== undefined && this.size > this.options.maxBytes)
      throw new SealedBidError('TOO_LARGE', `the envelope exceeds ${this.options.maxBytes} bytes`);
    while (b.length > 0) {
      switch (this.state) {
        case 'prefix':
        case 'tprefix':
        case 'header':
        case 'trailer': {
          const before = b;
          b = this.take(b);
          this.hasher.update(before.subarray(0, before.length - b.length));
          if (this.pendingLen < this.need) break;
          await this.advance(this.collected());
          break;
        }
        case 'body': {
          const n = Math.min(this.bodyLeft, b.length);
          this.hasher.update(b.subarray(0, n));
          this.bodyLeft -= n;
          b = b.subarray(n);
          if (this.bodyLeft === 0) {
            this.sealedDigest = toHex(this.hasher.clone().digest()); // the trailer is not part of what was signed
            this.state = 'tprefix';
            this.need = 8;
          }
          break;
        }
        case 'done':
          throw new SealedBidError('TRAILING_DATA', 'bytes follow the trailer');
      }
    }
  }

  private async advance(bytes: Bytes): Promise<void> {
    if (this.state === 'prefix') {
      this.need = framing(bytes, MAGIC_HEADER, MAX_HEADER_BYTES, 'header');
      this.state = 'header';
    } else if (this.state === 'header') {
      const header = decodeHeader(bytes);
      checkExpectations(header, this.options.expect);
      const k = this.options.bidderKey;
      this.key = typeof k === 'function' ? await k(header) : (k ?? undefined);
      if (this.key) checkKey(header, this.key);
      this.bodyLeft = ciphertextLength(header);
      const total = 8 + bytes.length + this.bodyLeft + 8;
      if (this.options.maxBytes !== undefined && total > this.options.maxBytes)
        throw new SealedBidError('TOO_LARGE', `the envelope declares ${total}+ bytes, more than ${this.options.maxBytes}`);
      this.header = header;
      this.state = 'body';
    } else if (this.state === 'tprefix') {
      this.need = framing(bytes, MAGIC_TRAILER, MAX_TRAILER_BYTES, 'trailer');
      this.state = 'trailer';
    } else if (this.state === 'trailer') {
      this.trailer = parseTrailer(bytes);
      this.state = 'done';
    }
  }

  async finish(): Promise<VerifiedSealedBid> {
    if (this.failed) throw this.failed;
    if (this.state !== 'done' || !this.header || !this.trailer || this.sealedDigest === undefined)
      throw new SealedBidError(
        'TRUNCATED',
        `the envelope ended early (while reading the ${this.state === 'body' ? 'ciphertext' : this.state})`,
      );
    const digest = this.sealedDigest;
    checkSeal(this.header, digest, this.trailer, this.key, this.options.expect);
    const envelopeSha256 = toHex(this.hasher.digest());
    return { header: this.header, digest, signature: this.trailer.signature, size: this.size, envelopeSha256, signatureVerified: this.key !== undefined };
  }
}

/** Verify a whole envelope from any byte source (see SealedBidVerifier for the streaming form). */
export async function verifySealedBid(source: ByteSource, options: VerifyOptions): Promise<VerifiedSealedBid> {
  const v = new SealedBidVerifier(options);
  const reader = new ByteReader(source);
  try {
    for (;;) {
      const piece = await reader.readSome(1 << 20);
      if (piece.length === 0) break;
      await v.update(piece);
    }
  } finally {
    await reader.close();
  }
  return v.finish();
}

/** Read just the header (for `inspect`, or to find which key to unwrap with). */
export async function readSealedBidHeader(source: ByteSource): Promise<SealedBidHeader> {
  const reader = new ByteReader(source);
  try {
    const len = framing(await reader.read(8, 'the header prefix'), MAGIC_HEADER, MAX_HEADER_BYTES, 'header');
    return decodeHeader(await reader.read(len, 'the header'));
  } finally {
    await reader.close();
  }
}

export interface OpenedFile extends BidFileMeta {
  /** The file bytes, when no onFile callback took them. */
  bytes?: Uint8Array;
}

export interface OpenOptions {
  /** Verify the bidder's signature too (recommended at the opening). */
  bidderKey?: PublicKeyRef;
  expect?: Expectations;
  /**
   * Receive each file as a stream instead of in memory. Consume `content` before returning (what is left is drained).
   * Chunks are authenticated before their bytes are passed on, but the envelope as a whole is only known good when
   * openSealedBid resolves: treat what was written as provisional until then (delete it on error).
   */
  onFile?: (file: BidFileMeta, content: AsyncIterable<Uint8Array>) => Promise<void>;
}

export interface OpenedSealedBid extends VerifiedSealedBid {
  priceSheet: PriceSheet;
  files: OpenedFile[];
}

/**
 * Decrypt a sealed bid with its content key (from unwrapContentKey or combineEscrowShares). Authenticates every
 * chunk; WRONG_CONTENT_KEY before any decryption if the key does not belong to the envelope.
 */
export async function openSealedBid(source: ByteSource, contentKey: Uint8Array, options: OpenOptions = {}): Promise<OpenedSealedBid> {
  const env = new ByteReader(source);
  try {
    const prefix = await env.read(8, 'the header prefix');
    const headerBytes = await env.read(framing(prefix, MAGIC_HEADER, MAX_HEADER_BYTES, 'header'), 'the header');
    const header = decodeHeader(headerBytes);
    checkExpectations(header, options.expect);
    if (options.bidderKey) checkKey(header, options.bidderKey);
    const aes = await importContentKey(header, contentKey);
    const headerHash = sha256(concat(prefix, headerBytes));
    const hasher = sha256.create().update(prefix).update(headerBytes);
    const chunks = chunkCount(header);

    async function* plaintext(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < chunks; i++) {
        const sealed = await env.read(plainChunkSize(header, i) + TAG_BYTES, `chunk ${i}`);
        hasher.update(sealed);
        yield await decryptChunk(aes, header, headerHash, i, i === chunks - 1, sealed);
      }
    }
    const plain = new ByteReader(plaintext());
    const payloadInvalid = (msg: string) => new SealedBidError('PAYLOAD_INVALID', msg);
    const mlen = readU32(await plain.read(4, 'the manifest length'), 0);
    if (mlen > MAX_MANIFEST_BYTES || 4 + mlen > header.payload.length) throw payloadInvalid('manifest length out of range');
    let manifest: { format?: unknown; priceSheet?: unknown; files?: unknown };
    try {
      manifest = JSON.parse(decodeUtf8(await plain.read(mlen, 'the manifest')));
    } catch (e) {
      if (e instanceof SealedBidError) throw e;
      throw payloadInvalid('the manifest is not JSON');
    }
    if (!manifest || manifest.format !== BID_PACKAGE_FORMAT || !Array.isArray(manifest.files))
      throw payloadInvalid('not a yiwang-bid-package/1 manifest');
    const priceSheet = checkPriceSheet(manifest.priceSheet, header.lotIds, 'PAYLOAD_INVALID');
    const metas = manifest.files.map((f) => checkFileMeta(f, 'PAYLOAD_INVALID'));
    if (4 + mlen + metas.reduce((n, m) => n + m.size, 0) !== header.payload.length)
      throw payloadInvalid('file sizes do not add up to the payload length');

    const files: OpenedFile[] = [];
    for (const meta of metas) {
      let left = meta.size;
      async function* content(): AsyncGenerator<Uint8Array> {
        while (left > 0) {
          const piece = await plain.readSome(Math.min(left, 1 << 20));
          if (piece.length === 0) throw new SealedBidError('TRUNCATED', `the envelope ended inside file ${meta.name}`);
          left -= piece.length;
          yield piece;
        }
      }
      if (options.onFile) {
        await options.onFile(meta, content());
        for await (const _ of content()) void _; // drain what the callback left
        files.push({ ...meta });
      } else {
        const parts: Uint8Array[] = [];
        for await (const p of content()) parts.push(p);
        files.push({ ...meta, bytes: concat(...parts) });
      }
    }
    if (!(await plain.atEnd())) throw payloadInvalid('bytes after the last file');

    const digest = toHex(hasher.clone().digest());
    const trailerPrefix = await env.read(8, 'the trailer prefix');
    const trailerBytes = await env.read(framing(trailerPrefix, MAGIC_TRAILER, MAX_TRAILER_BYTES, 'trailer'), 'the trailer');
    const trailer = parseTrailer(trailerBytes);
    if (!(await env.atEnd())) throw new SealedBidError('TRAILING_DATA', 'bytes follow the trailer');
    checkSeal(header, digest, trailer, options.bidderKey, options.expect);
    const envelopeSha256 = toHex(hasher.update(trailerPrefix).update(trailerBytes).digest());
    const size = env.consumed;
    return { header, digest, signature: trailer.signature, size, envelopeSha256, priceSheet, files, signatureVerified: options.bidderKey !== undefined };
  } finally {
    await env.close();
  }
}
