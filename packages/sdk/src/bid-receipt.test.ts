import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { BID_RECEIPT_FORMAT, receiptMessage, verifyBidReceipt, type BidReceipt } from './bid-receipt';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('bid receipts', () => {
  const secret = ed25519.utils.randomSecretKey();
  const pub = hex(ed25519.getPublicKey(secret));
  const body: Omit<BidReceipt, 'signature'> = {
    format: BID_RECEIPT_FORMAT,
    bidId: '2f1c7a8e-1111-4a2b-9c3d-000000000001',
    tenderId: '2f1c7a8e-2222-4a2b-9c3d-000000000002',
    lotId: '2f1c7a8e-3333-4a2b-9c3d-000000000003',
    bidderOrgId: '2f1c7a8e-4444-4a2b-9c3d-000000000004',
    envelopeSha256: 'a'.repeat(64),
    envelopeSize: 20_971_520,
    sealedDigest: 'b'.repeat(64),
    receivedAt: '2026-09-24T01:29:59.123Z',
    supersedes: null,
    ledger: { seq: 42, entryHash: 'c'.repeat(64) },
    keyId: 'ledger-ed25519-1',
  };
  const signed: BidReceipt = { ...body, signature: hex(ed25519.sign(new TextEncoder().encode(receiptMessage(body)), secret)) };

  it('verifies a receipt signed over its message', () => {
    expect(verifyBidReceipt(signed, pub)).toBe(true);
  });

  it('fails when any field changes, a field is smuggled in through a newline, or the key is another', () => {
    expect(verifyBidReceipt({ ...signed, receivedAt: '2026-09-24T01:30:01.000Z' }, pub)).toBe(false);
    expect(verifyBidReceipt({ ...signed, ledger: { seq: 43, entryHash: signed.ledger.entryHash } }, pub)).toBe(false);
    expect(verifyBidReceipt({ ...signed, supersedes: '' }, pub)).toBe(false);
    expect(verifyBidReceipt({ ...signed, bidId: `${signed.bidId}\nlot=x` }, pub)).toBe(false);
    expect(verifyBidReceipt(signed, hex(ed25519.getPublicKey(ed25519.utils.randomSecretKey())))).toBe(false);
    expect(verifyBidReceipt({ ...signed, signature: 'zz' }, pub)).toBe(false);
    expect(verifyBidReceipt(null, pub)).toBe(false);
  });
});
