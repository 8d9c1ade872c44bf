import { describe, expect, it } from 'vitest';
import { lotPriceFen } from '@yiwang/sdk/sealing';
import { normaliseYuan } from './price';

describe('normaliseYuan', () => {
  it('keeps the amount exact as a two-decimal string', () => {
    expect(normaliseYuan('4,860,000.5')).toBe('4860000.50');
    expect(normaliseYuan('¥ 12')).toBe('12.00');
    expect(normaliseYuan('0.07')).toBe('0.07');
    // 0.1 + 0.2 style float noise never appears: the string is what the SDK turns into 分.
    expect(lotPriceFen({ lotId: 'x', priceYuan: normaliseYuan('9007199254740.99')! })).toBe(900719925474099n);
  });
  it('refuses what is not a money amount', () => {
    for (const bad of ['', '-1', '1.234', '1e6', '01.5', 'abc', '1.2.3', '12345678901234567']) expect(normaliseYuan(bad), bad).toBeNull();
  });
});
