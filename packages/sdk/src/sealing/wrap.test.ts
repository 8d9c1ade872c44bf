import { describe, expect, it } from 'vitest';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { fromBase64, toBase64, toHex } from './bytes';
import { combineEscrowShares, unwrapContentKey, unwrapEscrowShare } from './escrow';
import { SealedBidError } from './errors';
import { generateKeyPair, parsePublicKey } from './keys';
import { baseInput, custodians, sealToBytes, ALGS } from './testing';
import { unwrapKey, wrapKey } from './wrap';
import { readSealedBidHeader } from './open';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof SealedBidError ? e.code : `not a SealedBidError: ${String(e)}`;
  }
  return 'no error';
};

describe.each(ALGS)('wrapping to %s', (alg) => {
  it('unwraps with the recipient key only, and fails on any alteration', async () => {
    const key = generateKeyPair(alg);
    const other = generateKeyPair(alg);
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const w = await wrapKey(secret, { algorithm: alg, publicKey: key.publicKey }, 'content-key');
    expect(w.recipient).toBe(key.fingerprint);
    expect(toHex(await unwrapKey(w, key, 'content-key'))).toBe(toHex(secret));
    // Two wraps of the same secret differ (fresh ephemeral key / SM2 k).
    expect((await wrapKey(secret, key, 'content-key')).ct).not.toBe(w.ct);
    expect(await code(unwrapKey(w, other, 'content-key'))).toBe('UNWRAP_FAILED');
    expect(await code(unwrapKey({ ...w, recipient: other.fingerprint }, other, 'content-key'))).toBe('UNWRAP_FAILED');
    const ct = fromBase64(w.ct);
    ct[ct.length - 1]! ^= 1;
    expect(await code(unwrapKey({ ...w, ct: toBase64(ct) }, key, 'content-key'))).toBe('UNWRAP_FAILED');
    if (alg !== 'sm2') expect(await code(unwrapKey(w, key, 'escrow-share'))).toBe('UNWRAP_FAILED'); // purpose is bound
  });
});

describe('Ed25519 → X25519', () => {
  it('maps the public key and the secret key to the same X25519 pair (RFC 7748 birational map)', () => {
    const key = generateKeyPair('ed25519');
    const xPub = ed25519.utils.toMontgomery(parsePublicKey(key).raw);
    expect(toHex(x25519.getPublicKey(ed25519.utils.toMontgomerySecret(key.secretKey)))).toBe(toHex(xPub));
  });
});

describe('sm2 wrap', () => {
  it('is GB/T 32918.4 C1‖C3‖C2 with an uncompressed C1 (65 + 32 + 32 bytes for a content key)', async () => {
    const key = generateKeyPair('sm2');
    const w = await wrapKey(new Uint8Array(32).fill(7), key, 'content-key');
    const ct = fromBase64(w.ct);
    expect(ct.length).toBe(129);
    expect(ct[0]).toBe(4);
  });
});

describe('escrow', () => {
  it('any k of n custodians rebuild the content key; k-1 cannot; shares of another bid do not fit', async () => {
    const bidder = generateKeyPair('p256');
    const cust = custodians(['sm2', 'ed25519', 'p256', 'sm2']);
    const { bytes } = await sealToBytes(baseInput(bidder, cust, { threshold: 3 }));
    const header = await readSealedBidHeader(bytes);
    expect(header.escrow).toMatchObject({ scheme: 'shamir-gf256', threshold: 3 });
    expect(header.escrow.shares.map((s) => s.custodian.algorithm)).toEqual(['sm2', 'ed25519', 'p256', 'sm2']);
    const key = await unwrapContentKey(header, bidder);
    const shares = await Promise.all(cust.map((c) => unwrapEscrowShare(header, c)));
    expect(shares.map((s) => s.position)).toEqual([0, 1, 2, 3]);
    for (const subset of [
      [0, 1, 2],
      [0, 1, 3],
      [0, 2, 3],
      [1, 2, 3],
      [0, 1, 2, 3],
    ])
      expect(
        toHex(
          await combineEscrowShares(
            header,
            subset.map((i) => shares[i]!),
          ),
        ),
      ).toBe(toHex(key));
    expect(await code(combineEscrowShares(header, [shares[0]!, shares[1]!]))).toBe('ESCROW_INSUFFICIENT');
    expect(await code(combineEscrowShares(header, [shares[0]!, shares[1]!, shares[1]!]))).toBe('ESCROW_INSUFFICIENT');
    // Shares from another bid to the same custodians: they combine to some key, but not this bid's.
    const other = await readSealedBidHeader((await sealToBytes(baseInput(bidder, cust, { threshold: 3 }))).bytes);
    const foreign = await unwrapEscrowShare(other, cust[2]!);
    expect(await code(combineEscrowShares(header, [shares[0]!, shares[1]!, foreign]))).toBe('ESCROW_INSUFFICIENT');
    // Custodians cannot use their share as the bidder's copy, and outsiders hold no share.
    expect(await code(unwrapContentKey(header, cust[0]!))).toBe('UNWRAP_FAILED');
    expect(await code(unwrapEscrowShare(header, generateKeyPair('sm2')))).toBe('UNWRAP_FAILED');
    expect(await code(unwrapEscrowShare(header, bidder))).toBe('UNWRAP_FAILED');
  });

  it('refuses a threshold of one, a bidder among the custodians and a key used twice', async () => {
    const bidder = generateKeyPair('sm2');
    const cust = custodians();
    expect(await code(sealToBytes(baseInput(bidder, cust, { threshold: 1 })))).toBe('INPUT_INVALID');
    expect(await code(sealToBytes(baseInput(bidder, cust, { threshold: 4 })))).toBe('INPUT_INVALID');
    expect(await code(sealToBytes(baseInput(bidder, [...cust.slice(0, 2), { ...bidder, kind: 'tenderer' }])))).toBe('INPUT_INVALID');
    expect(await code(sealToBytes(baseInput(bidder, [cust[0]!, { ...cust[0]!, kind: 'regulator' }])))).toBe('INPUT_INVALID');
  });
});
