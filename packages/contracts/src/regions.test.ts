import { describe, expect, it } from 'vitest';
import { REGIONS, isKnownRegion, regionName } from './regions';

describe('regions (GB/T 2260)', () => {
  it('names known codes in both languages', () => {
    expect(regionName('350203', 'zh')).toBe('思明区');
    expect(regionName('350203', 'en')).toBe('Siming District');
    expect(regionName('350900')).toBe('宁德市');
  });
  it('falls back to the code itself', () => {
    expect(regionName('110000', 'zh')).toBe('110000');
    expect(regionName('', 'en')).toBe('');
    expect(isKnownRegion('350204')).toBe(false);
  });
  it('codes are unique six-digit codes whose parent exists and is a prefix', () => {
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(REGIONS.length);
    for (const r of REGIONS) {
      expect(r.code).toMatch(/^35\d{4}$/);
      if (r.parent) {
        expect(isKnownRegion(r.parent)).toBe(true);
        expect(r.code.startsWith(r.parent.replace(/0+$/, ''))).toBe(true);
      }
    }
  });
});
