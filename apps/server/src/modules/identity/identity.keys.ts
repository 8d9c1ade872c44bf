import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { AppError } from '../../platform/http/errors';

/**
 * Bid-signing public keys and their proof of possession. Pure: no I/O.
 * - ed25519, p256: SPKI PEM; proof = base64 signature over the UTF-8 challenge (P-256: SHA-256, DER or raw r‖s).
 * - sm2 (GB/T 32918): uncompressed point '04' + 128 hex; proof = hex signature r‖s (or DER) with SM3 and the
 *   default user id 1234567812345678 (GM/T 0009), as `sm-crypto-v2` `doSignature(msg, priv, { hash: true })` makes.
 */
export type KeyAlgorithm = 'sm2' | 'ed25519' | 'p256';

export interface ParsedKey {
  algorithm: KeyAlgorithm;
  /** The stored form: PEM for ed25519/p256, lowercase hex for sm2. */
  normalized: string;
  /** SHA-256 (hex) of the canonical bytes: SPKI DER, or the 65-byte SM2 point. */
  fingerprint: string;
  keyObject?: KeyObject;
}

const invalidKey = (en: string, zh: string) =>
  new AppError('INVALID_PUBLIC_KEY', 400, `公钥无效：${zh}`, `Invalid public key: ${en}`, 'publicKey');

export function parsePublicKey(algorithm: KeyAlgorithm, publicKey: string): ParsedKey {
  if (algorithm === 'sm2') {
    const hex = publicKey.trim().toLowerCase();
    if (!/^04[0-9a-f]{128}$/.test(hex))
      throw invalidKey("SM2 keys are the uncompressed point: '04' and 128 hex digits", "SM2 公钥应为 '04' 开头的 130 位十六进制");
    let onCurve: boolean;
    try {
      onCurve = sm2.verifyPublicKey(hex);
    } catch {
      // sm-crypto-v2 throws rather than returning false for a point off the curve.
      onCurve = false;
    }
    if (!onCurve) throw invalidKey('the point is not on the SM2 curve', '该点不在 SM2 曲线上');
    return { algorithm, normalized: hex, fingerprint: createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex') };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicKey, format: 'pem' });
  } catch {
    throw invalidKey('not a PEM-encoded SPKI public key', '不是 PEM 格式的 SPKI 公钥');
  }
  const ok =
    algorithm === 'ed25519'
      ? key.asymmetricKeyType === 'ed25519'
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!ok) throw invalidKey(`the key is not ${algorithm}`, `密钥类型不是 ${algorithm}`);
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    algorithm,
    normalized: key.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    keyObject: key,
  };
}

/** Does `proof` sign `message` under this key? Malformed proofs are simply false. */
export function verifyProof(key: ParsedKey, message: string, proof: string): boolean {
  const data = Buffer.from(message, 'utf8');
  try {
    if (key.algorithm === 'sm2') {
      const sig = proof.trim().toLowerCase();
      if (!/^[0-9a-f]+$/.test(sig)) return false;
      return sm2.doVerifySignature(message, sig, key.normalized, { hash: true, der: sig.length !== 128 });
    }
    const sig = Buffer.from(proof, 'base64');
    if (key.algorithm === 'ed25519') return verify(null, data, key.keyObject!, sig);
    return verify('sha256', data, { key: key.keyObject!, dsaEncoding: sig.length === 64 ? 'ieee-p1363' : 'der' }, sig);
  } catch {
    return false;
  }
}
