/**
 * Password-protected key files ("generate, register, download"). The private key never leaves the bidder's device
 * in the clear: the web app generates it, offers this JSON for download, and registers only the public key.
 *
 *   { "format": "yiwang-bid-key/1", "algorithm", "publicKey" (registry format), "fingerprint", "label"?, "createdAt",
 *     "kdf": { "name": "scrypt", "N", "r", "p", "dkLen": 32, "salt": base64(16) },
 *     "cipher": { "name": "AES-256-GCM", "nonce": base64(12), "ciphertext": base64(32-byte secret ‖ 16-byte tag) } }
 *
 * AAD = UTF-8 "yiwang-bid-key/1\n<algorithm>\n<fingerprint>", so the public half cannot be swapped under the
 * encrypted private half; after decryption the public key is recomputed and compared as well.
 * The password is NFC-normalised so the same password typed in a browser or a terminal opens the file.
 * Browser-safe (scrypt from @noble/hashes, AES-GCM from WebCrypto).
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { encodeUtf8, fromBase64, randomBytes, subtle, toBase64, type Bytes } from './bytes';
import { SealedBidError } from './errors';
import { KEY_ALGORITHMS, keyPairFromSecret, parsePublicKey, type BidKeyPair, type KeyAlgorithm } from './keys';

export const KEY_FILE_FORMAT = 'yiwang-bid-key/1';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt setting (N=2^17, r=8, p=1: 128 MiB, about a second in a browser). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** Loading refuses parameters beyond these, so a crafted file cannot exhaust a browser's memory. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  algorithm: KeyAlgorithm;
  publicKey: string;
  fingerprint: string;
  label?: string;
  createdAt: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; dkLen: 32; salt: string };
  cipher: { name: 'AES-256-GCM'; nonce: string; ciphertext: string };
}

const bad = (msg: string) => new SealedBidError('KEY_FILE_INVALID', msg);

function checkScrypt(p: ScryptParams): void {
  const { N, r, p: par } = p;
  const ok =
    Number.isInteger(N) &&
    N >= 2 ** 10 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(par) &&
    par >= 1 &&
    par <= 16 &&
    128 * N * r <= MAX_SCRYPT_MEMORY;
  if (!ok) throw bad(`scrypt parameters out of range (N power of two in [2^10, …], r ≤ 32, p ≤ 16, 128·N·r ≤ 256 MiB)`);
}

async function deriveKey(password: string, salt: Uint8Array, p: ScryptParams) {
  const dk = await scryptAsync(encodeUtf8(password.normalize('NFC')), salt, {
    N: p.N,
    r: p.r,
    p: p.p,
    dkLen: 32,
    maxmem: MAX_SCRYPT_MEMORY + 4096,
  });
  const key = await subtle().importKey('raw', new Uint8Array(dk), 'AES-GCM', false, ['encrypt', 'decrypt']);
  dk.fill(0);
  return key;
}

const aadFor = (algorithm: string, fingerprint: string) => encodeUtf8(`${KEY_FILE_FORMAT}\n${algorithm}\n${fingerprint}`);

/** Encrypt a key pair under a password. `scrypt` defaults to DEFAULT_SCRYPT (tests pass a cheaper N). */
export async function exportKeyFile(
  key: BidKeyPair,
  password: string,
  options: { label?: string; scrypt?: ScryptParams; now?: Date } = {},
): Promise<KeyFile> {
  if (password.length === 0) throw new SealedBidError('INPUT_INVALID', 'an empty password does not protect a key file');
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  checkScrypt(params);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const aesKey = await deriveKey(password, salt, params);
  const ct = await subtle().encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: aadFor(key.algorithm, key.fingerprint) },
    aesKey,
    new Uint8Array(key.secretKey),
  );
  return {
    format: KEY_FILE_FORMAT,
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    fingerprint: key.fingerprint,
    ...(options.label ? { label: options.label } : {}),
    createdAt: (options.now ?? new Date()).toISOString(),
    kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, dkLen: 32, salt: toBase64(salt) },
    cipher: { name: 'AES-256-GCM', nonce: toBase64(nonce), ciphertext: toBase64(new Uint8Array(ct)) },
  };
}

/** Check the shape of a parsed key file (e.g. JSON.parse of an upload) without the password. */
export function parseKeyFile(input: unknown): KeyFile {
  const f = (typeof input === 'string' ? safeJson(input) : input) as Partial<KeyFile> | null;
  if (!f || typeof f !== 'object') throw bad('not a JSON object');
  if (f.format !== KEY_FILE_FORMAT) throw bad(`format is not ${KEY_FILE_FORMAT}`);
  if (!KEY_ALGORITHMS.includes(f.algorithm as KeyAlgorithm)) throw bad('unknown algorithm');
  if (typeof f.publicKey !== 'string' || typeof f.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(f.fingerprint))
    throw bad('publicKey / fingerprint missing');
  if (parsePublicKey({ algorithm: f.algorithm!, publicKey: f.publicKey }).fingerprint !== f.fingerprint)
    throw bad('fingerprint does not match publicKey');
  const k = f.kdf;
  if (!k || k.name !== 'scrypt' || k.dkLen !== 32 || typeof k.salt !== 'string') throw bad('kdf must be scrypt with dkLen 32');
  checkScrypt(k);
  const c = f.cipher;
  if (!c || c.name !== 'AES-256-GCM' || typeof c.nonce !== 'string' || typeof c.ciphertext !== 'string')
    throw bad('cipher must be AES-256-GCM');
  return f as KeyFile;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw bad('not JSON');
  }
}

/** Decrypt a key file. Wrong password → KEY_FILE_PASSWORD; malformed → KEY_FILE_INVALID. */
export async function importKeyFile(input: KeyFile | string | unknown, password: string): Promise<BidKeyPair> {
  const f = parseKeyFile(input);
  let salt: Bytes, nonce: Bytes, ct: Bytes;
  try {
    salt = fromBase64(f.kdf.salt);
    nonce = fromBase64(f.cipher.nonce);
    ct = fromBase64(f.cipher.ciphertext);
  } catch {
    throw bad('salt, nonce or ciphertext is not base64');
  }
  if (nonce.length !== 12 || ct.length !== 48) throw bad('nonce or ciphertext has the wrong length');
  const aesKey = await deriveKey(password, salt, f.kdf);
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(
      await subtle().decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aadFor(f.algorithm, f.fingerprint) }, aesKey, ct),
    );
  } catch (e) {
    throw new SealedBidError('KEY_FILE_PASSWORD', 'wrong password, or the key file was altered', { cause: e });
  }
  const pair = keyPairFromSecret(f.algorithm, secret);
  secret.fill(0);
  if (pair.fingerprint !== f.fingerprint) throw bad('the private key does not match the public key in the file');
  return pair;
}
