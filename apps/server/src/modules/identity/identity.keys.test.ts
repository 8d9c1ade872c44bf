import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import type { AppError } from '../../platform/http/errors';
import { parsePublicKey, verifyProof } from './identity.keys';

const msg = 'yiwang-key-proof:test:abc';

describe('signing keys: proof of possession', () => {
  it('ed25519: accepts its own signature, refuses another message or key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const k = parsePublicKey('ed25519', pem);
    expect(k.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyProof(k, msg, sign(null, Buffer.from(msg), privateKey).toString('base64'))).toBe(true);
    expect(verifyProof(k, msg + 'x', sign(null, Buffer.from(msg), privateKey).toString('base64'))).toBe(false);
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(verifyProof(k, msg, sign(null, Buffer.from(msg), other).toString('base64'))).toBe(false);
  });

  it('p256: accepts DER and raw r||s signatures', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const k = parsePublicKey('p256', publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(verifyProof(k, msg, sign('sha256', Buffer.from(msg), privateKey).toString('base64'))).toBe(true);
    expect(verifyProof(k, msg, sign('sha256', Buffer.from(msg), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'))).toBe(
      true,
    );
    expect(verifyProof(k, 'other', sign('sha256', Buffer.from(msg), privateKey).toString('base64'))).toBe(false);
  });

  it('sm2: accepts an SM3-with-user-id signature, refuses a tampered one', () => {
    const kp = sm2.generateKeyPairHex();
    const k = parsePublicKey('sm2', kp.publicKey);
    const sig = sm2.doSignature(msg, kp.privateKey, { hash: true });
    expect(verifyProof(k, msg, sig)).toBe(true);
    expect(verifyProof(k, msg, sm2.doSignature(msg, kp.privateKey, { hash: true, der: true }))).toBe(true);
    expect(verifyProof(k, msg, (sig[0] === '0' ? '1' : '0') + sig.slice(1))).toBe(false);
    expect(verifyProof(k, msg, 'zz')).toBe(false);
  });

  it('rejects keys of the wrong type or off the curve', () => {
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as AppError).code;
      }
    };
    expect(codeOf(() => parsePublicKey('p256', ed))).toBe('INVALID_PUBLIC_KEY');
    expect(codeOf(() => parsePublicKey('ed25519', 'not a key'))).toBe('INVALID_PUBLIC_KEY');
    expect(codeOf(() => parsePublicKey('sm2', '04' + '11'.repeat(64)))).toBe('INVALID_PUBLIC_KEY');
    expect(codeOf(() => parsePublicKey('sm2', '02' + '11'.repeat(32)))).toBe('INVALID_PUBLIC_KEY');
  });
});
