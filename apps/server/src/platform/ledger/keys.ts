import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { DbOrTx } from '../db/database';
import './ledger.tables';

/**
 * The platform's Ed25519 signing key (checkpoints now; receipts later). Generated on first use and kept in
 * `platform_keys`. With YIWANG_MASTER_KEY set, the private key is stored AES-256-GCM encrypted under a key derived
 * from it, so a database dump alone cannot forge checkpoints; without it the key is stored in clear (development).
 * The private key never leaves this module: callers get `sign()`, and the API publishes only the public key.
 */
export const LEDGER_KEY_ID = 'ledger-ed25519-1';

export interface SigningKey {
  id: string;
  publicKeyPem: string;
  /** Raw 32-byte Ed25519 public key, hex (what browsers import with WebCrypto or @noble/curves). */
  publicKeyHex: string;
  sign(message: string): string;
}

function masterKey(): Buffer | undefined {
  // Read directly (not via Config) so the secret is not carried around in the context object.
  const secret = process.env.YIWANG_MASTER_KEY;
  return secret ? createHash('sha256').update('yiwang-master-key/v1\n').update(secret).digest() : undefined;
}

function seal(pem: string, key: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(pem, 'utf8'), c.final()]);
  return [iv, c.getAuthTag(), ct].map((b) => b.toString('base64')).join('.');
}

function unseal(sealed: string, key: Buffer): string {
  const [iv, tag, ct] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
  const d = createDecipheriv('aes-256-gcm', key, iv!);
  d.setAuthTag(tag!);
  return Buffer.concat([d.update(ct!), d.final()]).toString('utf8');
}

export function rawPublicKeyHex(pem: string): string {
  const der = createPublicKey(pem).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('hex');
}

export function verifySignature(publicKeyPem: string, message: string, signatureHex: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

const cache = new WeakMap<object, SigningKey>();

/** The signing key, created on first call (concurrent first starts converge on one row). */
export async function signingKey(db: DbOrTx, now: Date, id = LEDGER_KEY_ID): Promise<SigningKey> {
  const hit = cache.get(db);
  if (hit && hit.id === id) return hit;
  let row = await db.selectFrom('platform_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const mk = masterKey();
    await db
      .insertInto('platform_keys')
      .values({
        id,
        algorithm: 'Ed25519',
        public_key_pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        private_key_protection: mk ? 'aes-256-gcm' : 'none',
        private_key: mk ? seal(pem, mk) : pem,
        created_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await db.selectFrom('platform_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
  let priv: KeyObject | undefined;
  const stored = row;
  const key: SigningKey = {
    id,
    publicKeyPem: stored.public_key_pem,
    publicKeyHex: rawPublicKeyHex(stored.public_key_pem),
    sign(message) {
      if (!priv) {
        let pem = stored.private_key;
        if (stored.private_key_protection === 'aes-256-gcm') {
          const mk = masterKey();
          if (!mk)
            throw new Error('平台私钥已加密，但未配置 YIWANG_MASTER_KEY / the platform key is encrypted but YIWANG_MASTER_KEY is not set');
          try {
            pem = unseal(pem, mk);
          } catch {
            throw new Error('YIWANG_MASTER_KEY 无法解密平台私钥 / YIWANG_MASTER_KEY does not decrypt the platform key');
          }
        }
        priv = createPrivateKey(pem);
      }
      return sign(null, Buffer.from(message, 'utf8'), priv).toString('hex');
    },
  };
  cache.set(db, key);
  return key;
}

/** Public keys by id, for verification (no private material is read). */
export async function publicKeys(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.selectFrom('platform_keys').select(['id', 'public_key_pem']).execute();
  return new Map(rows.map((r) => [r.id, r.public_key_pem]));
}
