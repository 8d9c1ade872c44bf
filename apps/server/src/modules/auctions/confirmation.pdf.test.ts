import { describe, expect, it } from 'vitest';
import { renderConfirmation, shanghaiDateTime } from './confirmation.pdf';

describe('成交确认书', () => {
  it('shows times in Beijing time, across the UTC date line', () => {
    expect(shanghaiDateTime(new Date('2026-11-04T02:03:30Z'))).toBe('2026年11月4日 10:03:30');
    expect(shanghaiDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027年1月1日 00:00:00');
  });

  it('renders the same bytes for the same content (its hash can be ledgered and checked later)', async () => {
    const data = {
      confirmationNo: 'CJ2026-TEST0001',
      auctionTitle: '某地块国有建设用地使用权',
      policyLabel: '拍卖',
      organiserName: '某拍卖代理有限公司',
      buyerName: '某竞买公司',
      buyerNo: 3,
      finalPriceFen: 1_030_000_00,
      depositAppliedFen: 50_000_00,
      bidCount: 3,
      startedAt: new Date('2026-11-04T01:00:00Z'),
      closedAt: new Date('2026-11-04T02:00:00Z'),
      via: 'close',
      issuedAt: new Date('2026-11-04T02:00:00Z'),
      verification: { ledgerSeq: 26, contentSha256: 'ab'.repeat(32), url: '/verify?seq=26' },
    };
    const a = await renderConfirmation(data);
    const b = await renderConfirmation(data);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, await renderConfirmation({ ...data, finalPriceFen: 1_040_000_00 }))).not.toBe(0);
  }, 30_000);
});
