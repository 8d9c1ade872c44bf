/**
 * Wrapping a 32-byte secret (the content key, or one escrow share) to a registered public key.
 * - p256:    ECIES — ephemeral P-256 ECDH (x-coordinate), HKDF-SHA256, AES-256-GCM.
 * - ed25519: the Ed25519 key is mapped to X25519 (RFC 7748 birational map, as libsodium's
 *            crypto_sign_ed25519_pk_to_curve25519), then the same ECIES with X25519.
 * - sm2:     SM2 public-key encryption (GB/T 32918.4), ciphertext C1‖C3‖C2 with C1 = 04‖x‖y.
 * HKDF: ikm = shared secret, salt = ephemeral public ‖ recipient public (raw), info = "yiwang-sealed-bid/1 wrap:"
 * + purpose, 44 bytes = AES key ‖ GCM nonce (fresh per wrap because the ephemeral key is). AAD = purpose.
 * Browser-safe (noble, sm-crypto-v2, WebCrypto).
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sm2 } from 'sm-crypto-v2';
import { concat, encodeUtf8, fromBase64, fromHex, own, subtle, toBase64, toHex, type Bytes } from './bytes';
import { SealedBidError } from './errors';
import { parsePublicKey, type BidKeyPair, type KeyAlgorithm, type ParsedPublicKey, type PublicKeyRef } from './keys';

export type WrapScheme = 'ecies-p256-hkdf-sha256-a256gcm' | 'ecies-x25519-hkdf-sha256-a256gcm' | 'sm2-c1c3c2';

/** One wrapped secret as it appears in the sealed-bid header. */
export interface WrappedKey {
  scheme: WrapScheme;
  /** Registry fingerprint of the recipient's public key. */
  recipient: string;
  /** Ephemeral public key, base64 (ECIES schemes only). */
  epk?: string;
  /** base64: AES-GCM ciphertext‖tag (ECIES), or SM2 C1‖C3‖C2. */
  ct: string;
}

export type WrapPurpose = 'content-key' | 'escrow-share';

const SCHEME: Record<KeyAlgorithm, WrapScheme> = {
  p256: 'ecies-p256-hkdf-sha256-a256gcm',
  ed25519: 'ecies-x25519-hkdf-sha256-a256gcm',
  sm2: 'sm2-c1c3c2',
};

async function gcm(op: 'encrypt' | 'decrypt', okm: Uint8Array, data: Uint8Array, aad: Uint8Array): Promise<Bytes> {
  const key = await subtle().importKey('raw', own(okm.subarray(0, 32)), 'AES-GCM', false, [op]);
  const params = { name: 'AES-GCM', iv: own(okm.subarray(32, 44)), additionalData: own(aad) };
  return new Uint8Array(op === 'encrypt' ? await subtle().encrypt(params, key, own(data)) : await subtle().decrypt(params, key, own(data)));
}

const kdf = (shared: Uint8Array, epk: Uint8Array, rpk: Uint8Array, purpose: WrapPurpose) =>
  hkdf(sha256, shared, concat(epk, rpk), encodeUtf8(`yiwang-sealed-bid/1 wrap:${purpose}`), 44);

/** X25519 public key of an Ed25519 registry key. */
function montgomeryPublic(key: ParsedPublicKey): Bytes {
  return own(ed25519.utils.toMontgomery(key.raw));
}

/** Wrap `secret` to `recipient` (a registry public key). */
export async function wrapKey(secret: Uint8Array, recipient: PublicKeyRef | ParsedPublicKey, purpose: WrapPurpose): Promise<WrappedKey> {
  const key = 'raw' in recipient ? recipient : parsePublicKey(recipient);
  const scheme = SCHEME[key.algorithm];
  if (key.algorithm === 'sm2') {
    // sm-crypto-v2 writes C1 as x‖y without the 0x04 point-format byte; the standard encoding has it.
    const hex = sm2.doEncrypt(own(secret), key.publicKey, 1);
    return { scheme, recipient: key.fingerprint, ct: toBase64(fromHex('04' + hex)) };
  }
  let epk: Bytes, rpk: Bytes, shared: Uint8Array;
  if (key.algorithm === 'p256') {
    const e = p256.keygen();
    epk = own(p256.getPublicKey(e.secretKey, false));
    rpk = key.raw;
    shared = p256.getSharedSecret(e.secretKey, rpk, true).subarray(1);
  } else {
    const e = x25519.keygen();
    epk = own(e.publicKey);
    rpk = montgomeryPublic(key);
    shared = x25519.getSharedSecret(e.secretKey, rpk); // rejects low-order points
  }
  const ct = await gcm('encrypt', kdf(shared, epk, rpk, purpose), secret, encodeUtf8(purpose));
  return { scheme, recipient: key.fingerprint, epk: toBase64(epk), ct: toBase64(ct) };
}

/** Open a wrapped secret with the recipient's key pair. Any failure → UNWRAP_FAILED. */
export async function unwrapKey(wrapped: WrappedKey, key: BidKeyPair, purpose: WrapPurpose): Promise<Bytes> {
  if (wrapped.recipient !== key.fingerprint)
    throw new SealedBidError('UNWRAP_FAILED', `this key (${key.fingerprint.slice(0, 16)}…) is not the recipient of the wrapped key`);
  if (wrapped.scheme !== SCHEME[key.algorithm])
    throw new SealedBidError('UNWRAP_FAILED', `scheme ${wrapped.scheme} does not fit a ${key.algorithm} key`);
  subtle(); // a missing WebCrypto is an environment error, not a failed unwrap
  try {
    const ct = fromBase64(wrapped.ct);
    if (key.algorithm === 'sm2') {
      if (ct[0] !== 0x04 || ct.length < 97) throw new Error('not C1‖C3‖C2 with an uncompressed C1');
      const out = sm2.doDecrypt(toHex(ct.subarray(1)), toHex(key.secretKey), 1, { output: 'array' });
      if (out.length === 0) throw new Error('SM2 C3 check failed');
      return own(out);
    }
    const epk = fromBase64(wrapped.epk ?? '');
    let rpk: Bytes, shared: Uint8Array;
    if (key.algorithm === 'p256') {
      rpk = own(p256.getPublicKey(key.secretKey, false));
      shared = p256.getSharedSecret(key.secretKey, epk, true).subarray(1);
    } else {
      rpk = own(x25519.getPublicKey(ed25519.utils.toMontgomerySecret(key.secretKey)));
      shared = x25519.getSharedSecret(ed25519.utils.toMontgomerySecret(key.secretKey), epk);
    }
    return await gcm('decrypt', kdf(shared, epk, rpk, purpose), ct, encodeUtf8(purpose));
  } catch (e) {
    throw new SealedBidError('UNWRAP_FAILED', 'the wrapped key does not open with this private key (altered or not ours)', { cause: e });
  }
}
