import { describe, expect, it } from 'vitest';
import {
  aggregateBid,
  benchmarkFen,
  deviating,
  feeFen,
  formatCenti,
  parseCenti,
  priceScores,
  qualifies,
  rankGroups,
  roundDiv,
  templateProblem,
  type ScoreItem,
} from './evaluation.rules';

const items: ScoreItem[] = [
  { code: 'tech', name: '技术方案', category: 'technical', minCenti: 0, maxCenti: 4000 },
  { code: 'biz', name: '商务', category: 'commercial', minCenti: 0, maxCenti: 3000 },
];

describe('evaluation arithmetic', () => {
  it('parses and prints decimal strings as hundredths, refusing a third decimal', () => {
    expect(parseCenti('12.5')).toBe(1250);
    expect(parseCenti('0.07')).toBe(7);
    expect(parseCenti('30')).toBe(3000);
    expect(parseCenti('1.005')).toBeNull();
    expect(parseCenti('-1')).toBeNull();
    expect(parseCenti('01')).toBeNull();
    expect(formatCenti(1250)).toBe('12.50');
    expect(formatCenti(7)).toBe('0.07');
  });

  it('rounds half up once', () => {
    expect(roundDiv(5n, 2n)).toBe(3n);
    expect(roundDiv(7n, 3n)).toBe(2n);
    expect(roundDiv(8n, 3n)).toBe(3n);
  });

  it('price score with the lowest price as benchmark: 基准价/报价 × 分值', () => {
    const s = priceScores({ benchmark: 'lowest', maxCenti: 3000 }, [
      { bidId: 'a', priceFen: 100_000_00 },
      { bidId: 'b', priceFen: 120_000_00 },
      { bidId: 'c', priceFen: 300_000_00 },
    ]);
    expect(s.get('a')).toBe(3000);
    expect(s.get('b')).toBe(2500); // 100/120 × 30 = 25.00
    expect(s.get('c')).toBe(1000);
    // 30 × 1/3 = 9.999… → 10.00; 30 × 2/3 = 19.999… → 20.00 (a float sum of thirds would drift here)
    const t = priceScores({ benchmark: 'lowest', maxCenti: 3000 }, [
      { bidId: 'x', priceFen: 3 },
      { bidId: 'y', priceFen: 7 },
    ]);
    expect(t.get('y')).toBe(1286); // 30 × 3/7 = 12.857… → 12.86
  });

  it('price score against an average-based benchmark with a coefficient', () => {
    const rule = { benchmark: 'average' as const, maxCenti: 3000, coefficientBp: 9500, aboveCenti: 100, belowCenti: 50 };
    const bids = [
      { bidId: 'a', priceFen: 90_00 },
      { bidId: 'b', priceFen: 100_00 },
      { bidId: 'c', priceFen: 110_00 },
    ];
    expect(benchmarkFen(rule, bids.map((b) => b.priceFen))).toBe(95_00); // mean 100 × 0.95
    const s = priceScores(rule, bids);
    // a: 90 is 5.263…% below 95 → 30 − 5.263… × 0.5 = 27.368… → 27.37
    expect(s.get('a')).toBe(2737);
    // b: 5.263…% above → 30 − 5.26 = 24.74
    expect(s.get('b')).toBe(2474);
    // c: 15.789…% above → 30 − 15.79 = 14.21
    expect(s.get('c')).toBe(1421);
    // never below zero
    expect(priceScores({ ...rule, aboveCenti: 1000 }, bids).get('c')).toBe(0);
  });

  it('validates a template: items + price total 100, ranges, codes', () => {
    const ok = { method: 'comprehensive' as const, items, price: { benchmark: 'lowest' as const, maxCenti: 3000 }, trimmed: false, deviationBp: 3000 };
    expect(templateProblem(ok)).toBeNull();
    expect(templateProblem({ ...ok, price: { benchmark: 'lowest', maxCenti: 2000 } })?.field).toBe('items');
    expect(templateProblem({ ...ok, items: [items[0]!, { ...items[1]!, code: 'tech' }] })?.zh).toContain('重复');
    expect(templateProblem({ method: 'lowest_price' })).toBeNull();
  });

  it('qualification by majority', () => {
    expect(qualifies([true, true, false])).toBe(true);
    expect(qualifies([true, false, false])).toBe(false);
    expect(qualifies([true, false])).toBe(false);
  });

  it('flags a score further than the configured share from the mean, exactly at the edge not flagged', () => {
    // mean 20; 30 % of it = 6: 26 is exactly at the edge (not flagged), 27 is over
    expect(deviating([{ member: 'a', centi: 1800 }, { member: 'b', centi: 1600 }, { member: 'c', centi: 2600 }], 3000)).toEqual([]);
    expect(deviating([{ member: 'a', centi: 1700 }, { member: 'b', centi: 1600 }, { member: 'c', centi: 2700 }], 3000)).toEqual(['c']);
    expect(deviating([{ member: 'a', centi: 0 }, { member: 'b', centi: 0 }], 1000)).toEqual([]);
  });

  it('aggregates by mean, or trimmed mean dropping the highest and lowest member totals', () => {
    const sheets = [
      { member: 'm1', seat: 1, scores: { tech: 3000, biz: 2000 } }, // 50
      { member: 'm2', seat: 2, scores: { tech: 3500, biz: 2500 } }, // 60
      { member: 'm3', seat: 3, scores: { tech: 1000, biz: 1000 } }, // 20 (lowest)
      { member: 'm4', seat: 4, scores: { tech: 4000, biz: 3000 } }, // 70 (highest)
      { member: 'm5', seat: 5, scores: { tech: 3300, biz: 2100 } }, // 54
    ];
    const plain = aggregateBid(items, sheets, false);
    expect(plain).toMatchObject({ subjectiveCenti: 5080, technicalCenti: 2960, commercialCenti: 2120, dropped: [] });
    const trimmed = aggregateBid(items, sheets, true);
    expect(trimmed.dropped.sort()).toEqual(['m3', 'm4']);
    expect(trimmed.subjectiveCenti).toBe(5467); // (50 + 60 + 54) / 3 = 54.666… → 54.67
    // fewer than 5 members: no trimming
    expect(aggregateBid(items, sheets.slice(0, 3), true).dropped).toEqual([]);
  });

  it('ranks by total, then lower price, then technical score; what remains tied is one group for the draw', () => {
    const g = rankGroups('comprehensive', [
      { bidId: 'a', priceFen: 100, totalCenti: 9000, technicalCenti: 4000 },
      { bidId: 'b', priceFen: 90, totalCenti: 9000, technicalCenti: 3000 },
      { bidId: 'c', priceFen: 95, totalCenti: 8000, technicalCenti: 3000 },
      { bidId: 'd', priceFen: 95, totalCenti: 8000, technicalCenti: 3000 },
      { bidId: 'e', priceFen: 95, totalCenti: 8000, technicalCenti: 3500 },
    ]);
    expect(g).toEqual([['b'], ['a'], ['e'], ['c', 'd']]);
    expect(rankGroups('lowest_price', [
      { bidId: 'a', priceFen: 100, totalCenti: 0, technicalCenti: 0 },
      { bidId: 'b', priceFen: 90, totalCenti: 0, technicalCenti: 0 },
      { bidId: 'c', priceFen: 100, totalCenti: 0, technicalCenti: 0 },
    ])).toEqual([['b'], ['a', 'c']]);
  });

  it('fees from half-day, full-day and overtime rules', () => {
    const r = { halfDayMinutes: 240, halfDayFen: 500_00, fullDayMinutes: 480, fullDayFen: 800_00, overtimeHourFen: 100_00 };
    expect(feeFen(r, 120)).toBe(500_00);
    expect(feeFen(r, 241)).toBe(800_00);
    expect(feeFen(r, 480)).toBe(800_00);
    expect(feeFen(r, 481)).toBe(900_00);
    expect(feeFen(r, 600)).toBe(1000_00);
  });
});
