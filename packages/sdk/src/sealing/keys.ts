/**
 * Bid-signing keys in the form the platform's key registry takes them (apps/server/src/modules/identity/identity.keys.ts):
 * - ed25519, p256: public key = SPKI PEM; signatures = base64 (Ed25519; ECDSA P-256 with SHA-256, raw r‖s).
 * - sm2 (GB/T 32918): public key = '04' + 128 hex; signatures = hex r‖s with SM3 and the default user id
 *   1234567812345678 (GM/T 0009), i.e. sm-crypto-v2 `doSignature(msg, priv, { hash: true })`.
 * Fingerprint = SHA-256 (hex) of the SPKI DER, or of the 65-byte SM2 point — the registry's `fingerprint` column.
 * Browser-safe (noble + sm-crypto-v2, no Node APIs).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sm2 } from 'sm-crypto-v2';
import { concat, encodeUtf8, equalBytes, fromBase64, fromHex, own, toBase64, toHex, type Bytes } from './bytes';
import { SealedBidError } from './errors';

export type KeyAlgorithm = 'sm2' | 'ed25519' | 'p256';
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['sm2', 'ed25519', 'p256'];

/** A public key as the registry stores it (and as custodians are listed). */
export interface PublicKeyRef {
  algorithm: KeyAlgorithm;
  /** PEM (ed25519, p256) or '04' + 128 hex (sm2). */
  publicKey: string;
}

/** A key pair in memory, after generation or after unlocking a key file. Keep `secretKey` out of logs. */
export interface BidKeyPair extends PublicKeyRef {
  /** 32 bytes: the Ed25519 seed, or the P-256 / SM2 private scalar (big-endian). */
  secretKey: Uint8Array;
  fingerprint: string;
}

/** A public key decoded to raw bytes. */
export interface ParsedPublicKey extends PublicKeyRef {
  /** Ed25519: 32-byte point; P-256 and SM2: 65-byte uncompressed point. */
  raw: Bytes;
  fingerprint: string;
}

// DER prefixes of the SubjectPublicKeyInfo the registry stores (Node exports exactly these).
const ED25519_SPKI = fromHex('302a300506032b6570032100');
const P256_SPKI = fromHex('3059301306072a8648ce3d020106082a8648ce3d030107034200');
const P256_SPKI_COMPRESSED = fromHex('3039301306072a8648ce3d020106082a8648ce3d030107032200');

const invalid = (msg: string) => new SealedBidError('PUBLIC_KEY_INVALID', msg);

function pem(der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

function unpem(text: string): Bytes {
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text);
  if (!m) throw invalid('not a PEM-encoded SPKI public key');
  try {
    return fromBase64(m[1]!);
  } catch {
    throw invalid('the PEM body is not base64');
  }
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  return b.length >= prefix.length && equalBytes(b.subarray(0, prefix.length), prefix);
}

/** Encode a raw public key in the registry's format. */
export function encodePublicKey(algorithm: KeyAlgorithm, raw: Uint8Array): string {
  if (algorithm === 'sm2') return toHex(raw);
  return pem(concat(algorithm === 'ed25519' ? ED25519_SPKI : P256_SPKI, raw));
}

/** Decode and check a public key in the registry's format; throws PUBLIC_KEY_INVALID. */
export function parsePublicKey(ref: PublicKeyRef): ParsedPublicKey {
  const { algorithm } = ref;
  if (algorithm === 'sm2') {
    const hex = ref.publicKey.trim().toLowerCase();
    if (!/^04[0-9a-f]{128}$/.test(hex)) throw invalid("SM2 keys are the uncompressed point: '04' and 128 hex digits");
    let onCurve: boolean;
    try {
      onCurve = sm2.verifyPublicKey(hex);
    } catch {
      onCurve = false;
    }
    if (!onCurve) throw invalid('the point is not on the SM2 curve');
    const raw = fromHex(hex);
    return { algorithm, publicKey: hex, raw, fingerprint: toHex(sha256(raw)) };
  }
  if (algorithm !== 'ed25519' && algorithm !== 'p256') throw invalid(`unknown algorithm ${String(algorithm)}`);
  const der = unpem(ref.publicKey);
  let raw: Bytes;
  try {
    if (algorithm === 'ed25519') {
      if (der.length !== 44 || !startsWith(der, ED25519_SPKI)) throw new Error('not an Ed25519 SPKI');
      raw = own(der.subarray(12));
      ed25519.Point.fromBytes(raw); // on the curve
    } else if (der.length === 91 && startsWith(der, P256_SPKI)) {
      raw = own(der.subarray(26));
      p256.Point.fromBytes(raw);
    } else if (der.length === 59 && startsWith(der, P256_SPKI_COMPRESSED)) {
      raw = own(p256.Point.fromBytes(der.subarray(26)).toBytes(false));
    } else throw new Error('not a P-256 SPKI');
  } catch {
    throw invalid(`the key is not a valid ${algorithm} public key`);
  }
  const canonical = concat(algorithm === 'ed25519' ? ED25519_SPKI : P256_SPKI, raw);
  return { algorithm, publicKey: pem(canonical), raw, fingerprint: toHex(sha256(canonical)) };
}

/** Registry fingerprint of a public key. */
export function fingerprintOf(ref: PublicKeyRef): string {
  return parsePublicKey(ref).fingerprint;
}

function publicRaw(algorithm: KeyAlgorithm, secretKey: Uint8Array): Bytes {
  if (algorithm === 'ed25519') return own(ed25519.getPublicKey(secretKey));
  if (algorithm === 'p256') return own(p256.getPublicKey(secretKey, false));
  return fromHex(sm2.getPublicKeyFromPrivateKey(toHex(secretKey)).padStart(130, '0'));
}

/** The key pair for a 32-byte secret (checks the scalar is in range). */
export function keyPairFromSecret(algorithm: KeyAlgorithm, secretKey: Uint8Array): BidKeyPair {
  if (secretKey.length !== 32) throw new SealedBidError('KEY_FILE_INVALID', 'secret keys are 32 bytes');
  const raw = publicRaw(algorithm, secretKey);
  const parsed = parsePublicKey({ algorithm, publicKey: encodePublicKey(algorithm, raw) });
  return { algorithm, publicKey: parsed.publicKey, secretKey: own(secretKey), fingerprint: parsed.fingerprint };
}

/** A fresh key pair from the platform CSPRNG (crypto.getRandomValues). */
export function generateKeyPair(algorithm: KeyAlgorithm): BidKeyPair {
  if (algorithm === 'ed25519') return keyPairFromSecret(algorithm, ed25519.utils.randomSecretKey());
  if (algorithm === 'p256') return keyPairFromSecret(algorithm, p256.utils.randomSecretKey());
  if (algorithm === 'sm2') return keyPairFromSecret(algorithm, fromHex(sm2.generateKeyPairHex().privateKey.padStart(64, '0')));
  throw new SealedBidError('INPUT_INVALID', `unknown algorithm ${String(algorithm)}`);
}

/** Sign a UTF-8 message the way the registry verifies: base64 (ed25519, p256 r‖s) or hex r‖s (sm2). */
export function signMessage(key: BidKeyPair, message: string): string {
  const data = encodeUtf8(message);
  if (key.algorithm === 'ed25519') return toBase64(ed25519.sign(data, key.secretKey));
  if (key.algorithm === 'p256') return toBase64(p256.sign(data, key.secretKey)); // SHA-256 prehash, compact r‖s, low-S
  return sm2.doSignature(message, toHex(key.secretKey), { hash: true, publicKey: key.publicKey });
}

/** Does `signature` sign `message` under this public key? Malformed input is simply false. */
export function verifyMessage(ref: PublicKeyRef | ParsedPublicKey, message: string, signature: string): boolean {
  try {
    const key = 'raw' in ref ? ref : parsePublicKey(ref);
    if (key.algorithm === 'sm2') {
      const sig = signature.trim().toLowerCase();
      if (!/^[0-9a-f]+$/.test(sig)) return false;
      return sm2.doVerifySignature(message, sig, key.publicKey, { hash: true, der: sig.length !== 128 });
    }
    const data = encodeUtf8(message);
    const sig = fromBase64(signature);
    if (key.algorithm === 'ed25519') return ed25519.verify(sig, data, key.raw);
    // Accept DER as well as r‖s and high-S (WebCrypto and OpenSSL signers), as the registry does.
    return p256.verify(sig, data, key.raw, { lowS: false, format: sig.length === 64 ? 'compact' : 'der' });
  } catch {
    return false;
  }
}

/**
 * Proof of possession for POST /api/identity/keys: sign the challenge from GET /api/identity/keys/challenge
 * (`yiwang-key-proof:<accountId>:<nonce>`, UTF-8) and send { algorithm, publicKey, challenge, proof }.
 */
export function signKeyProof(key: BidKeyPair, challenge: string): string {
  if (!challenge.startsWith('yiwang-key-proof:'))
    throw new SealedBidError('INPUT_INVALID', 'not a key-registration challenge (expected yiwang-key-proof:…)');
  return signMessage(key, challenge);
}
