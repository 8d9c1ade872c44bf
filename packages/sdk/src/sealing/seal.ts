/**
 * Sealing a bid package on the bidder's device. Streams: files are read piece by piece and encrypted chunk by
 * chunk, each encrypted piece handed to `write` (await it for back-pressure), so a 20 MB bid never sits in memory.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, encodeUtf8, iterateSource, randomBytes, toBase64, toHex, u32be, type ByteSource, type Bytes } from './bytes';
import { encryptChunk, importContentKey, keyCheckOf, newContentKey } from './aead';
import { splitKey } from './escrow';
import { SealedBidError } from './errors';
import {
  BID_PACKAGE_FORMAT,
  CUSTODIAN_KINDS,
  DEFAULT_CHUNK_SIZE,
  MAGIC_HEADER,
  MAGIC_TRAILER,
  MAX_CHUNK_SIZE,
  MAX_HEADER_BYTES,
  MAX_MANIFEST_BYTES,
  MIN_CHUNK_SIZE,
  SEALED_BID_FORMAT,
  checkFileMeta,
  checkPriceSheet,
  chunkCount,
  parseHeader,
  plainChunkSize,
  signedMessage,
  type BidManifest,
  type CustodianKind,
  type PriceSheet,
  type SealedBidHeader,
} from './format';
import { parsePublicKey, signMessage, type BidKeyPair, type PublicKeyRef } from './keys';
import { wrapKey } from './wrap';

export interface BidFileInput {
  name: string;
  mediaType: string;
  /** Exact byte length (File.size, fs.stat). Sealing fails if the content is longer or shorter. */
  size: number;
  content: ByteSource;
}

/** A custodian of the escrow, with the public key registered for its account. */
export interface Custodian extends PublicKeyRef {
  kind: CustodianKind;
  accountId?: string;
  label?: string;
}

export interface SealBidInput {
  tenderId: string;
  /** Lots (标段/包) the bid is for; the price sheet has one row per lot. */
  lotIds: string[];
  priceSheet: PriceSheet;
  files?: BidFileInput[];
  /** The bidder's key pair (its public key registered with the platform). */
  bidderKey: BidKeyPair;
  custodians: Custodian[];
  /** k of the k-of-n escrow (2 ≤ k ≤ custodians.length). */
  threshold: number;
  chunkSize?: number;
  now?: Date;
}

export interface SealSummary {
  header: SealedBidHeader;
  /** SHA-256 hex of header and ciphertext — what the receipt and the ledger name. */
  digest: string;
  signature: string;
  /** Total envelope bytes written. */
  size: number;
}

const bad = (msg: string) => new SealedBidError('INPUT_INVALID', msg);

/** Plaintext of the bid package: u32be manifest length ‖ manifest JSON ‖ each file's bytes in manifest order. */
async function* packageBytes(manifest: Bytes, files: BidFileInput[]): AsyncGenerator<Uint8Array> {
  yield concat(u32be(manifest.length), manifest);
  for (const f of files) {
    let n = 0;
    for await (const piece of iterateSource(f.content)) {
      n += piece.length;
      if (n > f.size) throw bad(`file ${f.name} is longer than its declared size ${f.size}`);
      yield piece;
    }
    if (n !== f.size) throw bad(`file ${f.name} has ${n} bytes, declared ${f.size}`);
  }
}

/** Build the header (wrapping the content key to the bidder and the escrow). Exposed for tests and tools. */
export async function buildHeader(input: SealBidInput, contentKey: Uint8Array, payloadLength: number): Promise<SealedBidHeader> {
  const { bidderKey, custodians, threshold } = input;
  const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE)
    throw bad(`chunkSize must be an integer in [${MIN_CHUNK_SIZE}, ${MAX_CHUNK_SIZE}]`);
  if (!Array.isArray(custodians) || custodians.length < 2 || custodians.length > 255) throw bad('the escrow needs 2 to 255 custodians');
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > custodians.length)
    throw bad(`threshold k must be an integer with 2 ≤ k ≤ ${custodians.length} (no single custodian may open a bid)`);
  const parsed = custodians.map((c) => {
    if (!CUSTODIAN_KINDS.includes(c.kind)) throw bad(`custodian kind must be one of ${CUSTODIAN_KINDS.join(', ')}`);
    return parsePublicKey(c);
  });
  const fps = parsed.map((p) => p.fingerprint);
  if (new Set(fps).size !== fps.length) throw bad('two custodians share one key: each share must go to a different key');
  if (fps.includes(bidderKey.fingerprint)) throw bad('the bidder cannot be its own escrow custodian');
  const shares = await splitKey(contentKey, custodians.length, threshold);
  const escrowShares = await Promise.all(
    custodians.map(async (c, i) => ({
      custodian: {
        kind: c.kind,
        ...(c.accountId !== undefined ? { accountId: c.accountId } : {}),
        ...(c.label !== undefined ? { label: c.label } : {}),
        algorithm: c.algorithm,
        fingerprint: parsed[i]!.fingerprint,
      },
      wrapped: await wrapKey(shares[i]!, parsed[i]!, 'escrow-share'),
    })),
  );
  for (const s of shares) s.fill(0);
  return {
    format: SEALED_BID_FORMAT,
    tenderId: input.tenderId,
    lotIds: [...input.lotIds],
    bidder: { algorithm: bidderKey.algorithm, fingerprint: bidderKey.fingerprint },
    createdAt: (input.now ?? new Date()).toISOString(),
    payload: {
      aead: 'AES-256-GCM',
      chunkSize,
      length: payloadLength,
      noncePrefix: toBase64(randomBytes(8)),
      keyCheck: keyCheckOf(contentKey),
    },
    bidderKey: await wrapKey(contentKey, bidderKey, 'content-key'),
    escrow: { scheme: 'shamir-gf256', threshold, shares: escrowShares },
  };
}

/**
 * Seal a bid: validate, encrypt, wrap the content key, sign. Each piece of the envelope goes to `write` in order.
 * The content key is generated here and never returned: the bidder recovers it with its private key
 * (unwrapContentKey) at the opening.
 */
export async function sealBid(input: SealBidInput, write: (bytes: Uint8Array) => void | Promise<void>): Promise<SealSummary> {
  if (typeof input.tenderId !== 'string' || input.tenderId.length === 0 || input.tenderId.length > 200) throw bad('tenderId missing');
  if (!Array.isArray(input.lotIds) || input.lotIds.length === 0 || new Set(input.lotIds).size !== input.lotIds.length)
    throw bad('lotIds must be a non-empty list without repeats');
  const priceSheet = checkPriceSheet(input.priceSheet, input.lotIds);
  const files = input.files ?? [];
  const metas = files.map((f) => checkFileMeta({ name: f.name, mediaType: f.mediaType, size: f.size }, 'INPUT_INVALID'));
  if (new Set(metas.map((m) => m.name)).size !== metas.length) throw bad('two files have the same name');
  const manifest: BidManifest = { format: BID_PACKAGE_FORMAT, priceSheet, files: metas };
  const manifestBytes = encodeUtf8(JSON.stringify(manifest));
  if (manifestBytes.length > MAX_MANIFEST_BYTES) throw bad('the price sheet and file list exceed 1 MiB');
  const payloadLength = 4 + manifestBytes.length + metas.reduce((n, m) => n + m.size, 0);
  if (!Number.isSafeInteger(payloadLength)) throw bad('the bid package is too large');

  const contentKey = newContentKey();
  try {
    const header = await buildHeader(input, contentKey, payloadLength);
    const headerBytes = encodeUtf8(JSON.stringify(header));
    if (headerBytes.length > MAX_HEADER_BYTES) throw bad('the header exceeds 64 KiB (too many lots or custodians)');
    parseHeader(JSON.stringify(header)); // what we write must be what readers accept
    const prefix = concat(MAGIC_HEADER, u32be(headerBytes.length), headerBytes);
    const headerHash = sha256(prefix);
    const hasher = sha256.create();
    let size = 0;
    const emit = async (b: Uint8Array, hashed: boolean) => {
      if (hashed) hasher.update(b);
      size += b.length;
      await write(b);
    };
    await emit(prefix, true);

    const aes = await importContentKey(header, contentKey);
    const chunks = chunkCount(header);
    let index = 0;
    let want = plainChunkSize(header, 0);
    let buf = new Uint8Array(want);
    let fill = 0;
    const flush = async () => {
      const final = index === chunks - 1;
      await emit(await encryptChunk(aes, header, headerHash, index, final, buf), true);
      index++;
      if (!final) {
        want = plainChunkSize(header, index);
        buf = new Uint8Array(want);
        fill = 0;
      }
    };
    for await (const piece of packageBytes(manifestBytes, files)) {
      let off = 0;
      while (off < piece.length) {
        if (index >= chunks) throw bad('the bid package is longer than declared');
        const take = Math.min(want - fill, piece.length - off);
        buf.set(piece.subarray(off, off + take), fill);
        fill += take;
        off += take;
        if (fill === want) await flush();
      }
    }
    if (index !== chunks) throw bad('the bid package is shorter than declared');

    const digest = toHex(hasher.digest());
    const signature = signMessage(input.bidderKey, signedMessage(digest));
    const trailer = encodeUtf8(JSON.stringify({ digest, signature }));
    await emit(concat(MAGIC_TRAILER, u32be(trailer.length), trailer), false);
    return { header, digest, signature, size };
  } finally {
    contentKey.fill(0);
  }
}

/** Seal into a Blob (browser: Blob parts may live on disk; upload with fetch(body: blob)). */
export async function sealBidToBlob(input: SealBidInput): Promise<{ blob: Blob; summary: SealSummary }> {
  const parts: Bytes[] = [];
  const summary = await sealBid(input, (b) => {
    parts.push(b as Bytes);
  });
  return { blob: new Blob(parts, { type: 'application/vnd.yiwang.sealed-bid' }), summary };
}
