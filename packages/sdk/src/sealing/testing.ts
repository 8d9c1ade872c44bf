/** Shared fixtures for the sealing tests (not exported from the package). */
import { generateKeyPair, type BidKeyPair, type KeyAlgorithm } from './keys';
import { sealBid, type BidFileInput, type Custodian, type SealBidInput, type SealSummary } from './seal';
import { concat } from './bytes';
import type { CustodianKind } from './format';

export const ALGS: KeyAlgorithm[] = ['sm2', 'ed25519', 'p256'];
export const CHEAP_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface Party extends BidKeyPair {
  kind: CustodianKind;
}

export function custodians(algs: KeyAlgorithm[] = ALGS): Party[] {
  const kinds: CustodianKind[] = ['center', 'regulator', 'tenderer'];
  return algs.map((a, i) => ({ ...generateKeyPair(a), kind: kinds[i % 3]! }));
}

export const asCustodian = (p: Party): Custodian => ({
  kind: p.kind,
  algorithm: p.algorithm,
  publicKey: p.publicKey,
  accountId: `acc-${p.kind}`,
});

export function textFile(name: string, text: string): BidFileInput {
  const bytes = new TextEncoder().encode(text);
  return { name, mediaType: 'text/plain', size: bytes.length, content: bytes };
}

export function baseInput(bidderKey: BidKeyPair, cust: Party[], over: Partial<SealBidInput> = {}): SealBidInput {
  return {
    tenderId: 'T-2026-001',
    lotIds: ['L1', 'L2'],
    priceSheet: {
      currency: 'CNY',
      lots: [
        { lotId: 'L1', priceYuan: '1234567.89', durationDays: 180, quality: '合格', fields: { 项目经理: '张三' } },
        { lotId: 'L2', priceFen: 98_765_432, durationDays: 90 },
      ],
      fields: { 投标人: '某某建设有限公司' },
    },
    files: [textFile('商务标.txt', '商务标内容'), textFile('技术标.txt', 'x'.repeat(5000))],
    bidderKey,
    custodians: cust.map(asCustodian),
    threshold: 2,
    chunkSize: 1024,
    ...over,
  };
}

/** Seal into memory (small test bids only). */
export async function sealToBytes(input: SealBidInput): Promise<{ bytes: Uint8Array; summary: SealSummary }> {
  const parts: Uint8Array[] = [];
  const summary = await sealBid(input, (b) => {
    parts.push(b);
  });
  return { bytes: concat(...parts), summary };
}
