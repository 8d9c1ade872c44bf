import { describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import { createHash, createPublicKey } from 'node:crypto';
// The registry's own checks: keys and proofs made here must pass exactly these.
import { parsePublicKey as registryParse, verifyProof as registryVerify } from '../../../../apps/server/src/modules/identity/identity.keys';
import { SealedBidError } from './errors';
import { exportKeyFile, importKeyFile, parseKeyFile } from './keyfile';
import { fingerprintOf, generateKeyPair, parsePublicKey, signKeyProof, signMessage, verifyMessage } from './keys';
import { ALGS, CHEAP_SCRYPT } from './testing';

const code = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e instanceof SealedBidError ? e.code : `not a SealedBidError: ${String(e)}`;
  }
  return 'no error';
};

describe.each(ALGS)('%s keys', (alg) => {
  it('are accepted by the key registry: same normalized form, fingerprint and proof of possession', () => {
    const key = generateKeyPair(alg);
    const reg = registryParse(alg, key.publicKey);
    expect(reg.normalized).toBe(key.publicKey);
    expect(reg.fingerprint).toBe(key.fingerprint);
    const challenge = 'yiwang-key-proof:7f1c:AbCdEf0123456789abcdefABCDEF0123';
    const proof = signKeyProof(key, challenge);
    expect(registryVerify(reg, challenge, proof)).toBe(true);
    expect(registryVerify(reg, challenge + 'x', proof)).toBe(false);
    if (alg !== 'sm2') {
      const der = createPublicKey(key.publicKey).export({ type: 'spki', format: 'der' });
      expect(createHash('sha256').update(der).digest('hex')).toBe(key.fingerprint);
    }
  });

  it('verify signatures under their own key only', () => {
    const key = generateKeyPair(alg);
    const other = generateKeyPair(alg);
    const sig = signMessage(key, 'yiwang-sealed-bid/1 sha256:00');
    expect(verifyMessage(key, 'yiwang-sealed-bid/1 sha256:00', sig)).toBe(true);
    expect(verifyMessage(other, 'yiwang-sealed-bid/1 sha256:00', sig)).toBe(false);
    expect(verifyMessage(key, 'yiwang-sealed-bid/1 sha256:01', sig)).toBe(false);
    expect(verifyMessage(key, 'yiwang-sealed-bid/1 sha256:00', 'garbage!')).toBe(false);
  });

  it('round-trip through a password-protected key file', async () => {
    const key = generateKeyPair(alg);
    const file = await exportKeyFile(key, '正确的密码 horse battery', { scrypt: CHEAP_SCRYPT, label: 'bid key' });
    expect(file).toMatchObject({ format: 'yiwang-bid-key/1', algorithm: alg, publicKey: key.publicKey, fingerprint: key.fingerprint });
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 1024, r: 8, p: 1, dkLen: 32 });
    expect(JSON.stringify(file)).not.toContain(Buffer.from(key.secretKey).toString('base64'));
    const back = await importKeyFile(JSON.stringify(file), '正确的密码 horse battery');
    expect(Buffer.from(back.secretKey).equals(Buffer.from(key.secretKey))).toBe(true);
    expect(back.publicKey).toBe(key.publicKey);
    expect(await code(importKeyFile(file, 'wrong password'))).toBe('KEY_FILE_PASSWORD');
  });
});

describe('key files', () => {
  it('refuse a swapped public half, bad parameters and garbage', async () => {
    const key = generateKeyPair('ed25519');
    const other = generateKeyPair('ed25519');
    const file = await exportKeyFile(key, 'pw', { scrypt: CHEAP_SCRYPT });
    // Swapping in another public key + fingerprint: the AAD binds them, so decryption fails.
    expect(await code(importKeyFile({ ...file, publicKey: other.publicKey, fingerprint: other.fingerprint }, 'pw'))).toBe(
      'KEY_FILE_PASSWORD',
    );
    expect(await code(importKeyFile({ ...file, fingerprint: other.fingerprint }, 'pw'))).toBe('KEY_FILE_INVALID');
    expect(await code(() => parseKeyFile({ ...file, kdf: { ...file.kdf, N: 2 ** 24 } }))).toBe('KEY_FILE_INVALID');
    expect(await code(() => parseKeyFile({ ...file, kdf: { ...file.kdf, N: 1000 } }))).toBe('KEY_FILE_INVALID');
    expect(await code(() => parseKeyFile('{not json'))).toBe('KEY_FILE_INVALID');
    expect(await code(exportKeyFile(key, '', { scrypt: CHEAP_SCRYPT }))).toBe('INPUT_INVALID');
  });

  it('open with the same password typed in another Unicode normal form', async () => {
    const key = generateKeyPair('p256');
    const file = await exportKeyFile(key, 'caf\u00e9', { scrypt: CHEAP_SCRYPT });
    expect((await importKeyFile(file, 'cafe\u0301')).fingerprint).toBe(key.fingerprint);
  });
});

describe('public keys', () => {
  it('are parsed in the registry format and refused otherwise', async () => {
    const sm = generateKeyPair('sm2');
    expect(parsePublicKey({ algorithm: 'sm2', publicKey: sm.publicKey.toUpperCase() }).publicKey).toBe(sm.publicKey);
    expect(await code(() => parsePublicKey({ algorithm: 'sm2', publicKey: '04' + '11'.repeat(64) }))).toBe('PUBLIC_KEY_INVALID');
    const ed = generateKeyPair('ed25519');
    expect(await code(() => parsePublicKey({ algorithm: 'p256', publicKey: ed.publicKey }))).toBe('PUBLIC_KEY_INVALID');
    expect(await code(() => parsePublicKey({ algorithm: 'ed25519', publicKey: 'hello' }))).toBe('PUBLIC_KEY_INVALID');
    // A compressed P-256 SPKI (as some tools write) maps to the registry's uncompressed form and fingerprint.
    const p = generateKeyPair('p256');
    const point = p256.Point.fromBytes(parsePublicKey(p).raw).toBytes(true);
    const der = Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), point]);
    const pem = `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
    expect(createPublicKey(pem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1'); // a real SPKI
    expect(parsePublicKey({ algorithm: 'p256', publicKey: pem }).publicKey).toBe(p.publicKey);
    expect(fingerprintOf({ algorithm: 'p256', publicKey: pem })).toBe(p.fingerprint);
  });

  it('refuse challenges that are not key-registration challenges', async () => {
    expect(await code(() => signKeyProof(generateKeyPair('sm2'), 'yiwang-sealed-bid/1 sha256:00'))).toBe('INPUT_INVALID');
  });
});
