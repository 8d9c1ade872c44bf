/**
 * The content key and the chunked AES-256-GCM (STREAM construction, Hoang–Reyhanitabar–Rogaway–Vizár 2015):
 * nonce = 8-byte random prefix ‖ u32be chunk index; AAD = SHA-256(envelope prefix) ‖ u32be index ‖ final flag.
 * Reordering or swapping chunks changes the index, dropping the tail leaves no chunk with final = 1, and any edit
 * of the header changes every chunk's AAD. WebCrypto only, so the same path runs in browsers and Node.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, encodeUtf8, equalBytes, fromBase64, fromHex, own, randomBytes, subtle, toHex, type Bytes } from './bytes';
import { SealedBidError } from './errors';
import type { SealedBidHeader } from './format';

export type AesKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

export function newContentKey(): Bytes {
  return randomBytes(32);
}

export function keyCheckOf(contentKey: Uint8Array): string {
  return toHex(hmac(sha256, contentKey, encodeUtf8('yiwang-sealed-bid/1 key-check')));
}

/** True if `contentKey` is this envelope's key (compares the header's key check value). */
export function contentKeyMatches(header: SealedBidHeader, contentKey: Uint8Array): boolean {
  return contentKey.length === 32 && equalBytes(fromHex(keyCheckOf(contentKey)), fromHex(header.payload.keyCheck));
}

export async function importContentKey(header: SealedBidHeader, contentKey: Uint8Array): Promise<AesKey> {
  if (!contentKeyMatches(header, contentKey))
    throw new SealedBidError('WRONG_CONTENT_KEY', 'the content key does not belong to this sealed bid (key check differs)');
  return subtle().importKey('raw', own(contentKey), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function chunkParams(header: SealedBidHeader, headerHash: Uint8Array, index: number, final: boolean) {
  const idx = new Uint8Array(4);
  new DataView(idx.buffer).setUint32(0, index, false);
  return {
    name: 'AES-GCM',
    iv: concat(fromBase64(header.payload.noncePrefix), idx),
    additionalData: concat(headerHash, idx, new Uint8Array([final ? 1 : 0])),
    tagLength: 128,
  };
}

export async function encryptChunk(
  key: AesKey,
  header: SealedBidHeader,
  headerHash: Uint8Array,
  index: number,
  final: boolean,
  plain: Uint8Array,
): Promise<Bytes> {
  return new Uint8Array(await subtle().encrypt(chunkParams(header, headerHash, index, final), key, own(plain)));
}

export async function decryptChunk(
  key: AesKey,
  header: SealedBidHeader,
  headerHash: Uint8Array,
  index: number,
  final: boolean,
  sealed: Uint8Array,
): Promise<Bytes> {
  try {
    return new Uint8Array(await subtle().decrypt(chunkParams(header, headerHash, index, final), key, own(sealed)));
  } catch (e) {
    throw new SealedBidError('CHUNK_AUTH_FAILED', `chunk ${index} failed authentication (altered, reordered, swapped or cut)`, {
      cause: e,
    });
  }
}
