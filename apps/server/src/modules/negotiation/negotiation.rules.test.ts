import { describe, expect, it } from 'vitest';
import { finalDeadlineProblem, kindOf, minimumFor, missingRounds, priceScores, priceWeightRange, rankByPrice, roundNoProblem } from './negotiation.rules';

describe('negotiation rules', () => {
  it('knows which procedures negotiate', () => {
    expect(kindOf('competitive_negotiation')).toBe('negotiation');
    expect(kindOf('competitive_consultation')).toBe('consultation');
    expect(kindOf('single_source')).toBe('single_source');
    expect(kindOf('inquiry')).toBeNull(); // 询价: 一次报出不得更改的价格 (采购法 40)
    expect(kindOf('gp_open_tender')).toBeNull();
  });

  it('needs 3 final offers, 2 only under the exception each procedure allows', () => {
    expect(minimumFor('negotiation', null)?.value).toBe(3);
    expect(minimumFor('consultation', null)?.value).toBe(3);
    expect(minimumFor('single_source', null)?.value).toBe(1);
    expect(minimumFor('negotiation', 'gp_two_suppliers_approved')).toMatchObject({ value: 2, basis: expect.stringContaining('第二十七条第二款') });
    expect(minimumFor('consultation', 'research_project')).toMatchObject({ value: 2, basis: expect.stringContaining('第二十一条第三款') });
    expect(minimumFor('consultation', 'government_services')?.value).toBe(2);
    // Exceptions of the other procedure are refused.
    expect(minimumFor('negotiation', 'research_project')).toBeNull();
    expect(minimumFor('consultation', 'gp_two_suppliers_approved')).toBeNull();
    expect(minimumFor('single_source', 'research_project')).toBeNull();
  });

  it('scores prices by the 低价优先法 of 214号文 第二十四条', () => {
    const s = priceScores(
      [
        { orgId: 'a', priceFen: 100_000_00 },
        { orgId: 'b', priceFen: 125_000_00 },
        { orgId: 'c', priceFen: 300_000_00 },
      ],
      30,
    );
    expect(s.get('a')).toBe(30); // the benchmark scores the full weight
    expect(s.get('b')).toBe(24); // 100/125 × 30
    expect(s.get('c')).toBe(10); // 100/300 × 30
    expect(priceWeightRange('goods').value).toEqual({ min: 30, max: 60 });
    expect(priceWeightRange('services').value).toEqual({ min: 10, max: 30 });
  });

  it('ranks by final price, ties sharing a rank (74号令 第三十五条)', () => {
    const r = rankByPrice([
      { orgId: 'a', priceFen: 3 },
      { orgId: 'b', priceFen: 1 },
      { orgId: 'c', priceFen: 3 },
      { orgId: 'd', priceFen: 2 },
    ]);
    expect(r.map((x) => [x.orgId, x.rank])).toEqual([
      ['b', 1],
      ['d', 2],
      ['a', 3],
      ['c', 3],
    ]);
  });

  it('finds unequal rounds (74号令 第三十一条) and gaps in round numbers', () => {
    const rounds = [
      { roundNo: 1, orgId: 'a' },
      { roundNo: 1, orgId: 'b' },
      { roundNo: 2, orgId: 'a' },
    ];
    expect(missingRounds(['a', 'b'], rounds)).toEqual([{ orgId: 'b', rounds: [2] }]);
    expect(missingRounds(['a'], rounds)).toEqual([]); // b eliminated: only those still in count
    expect(missingRounds(['c'], rounds)).toEqual([{ orgId: 'c', rounds: [1, 2] }]);
    expect(roundNoProblem(1, 0)).toBeNull();
    expect(roundNoProblem(3, 1)).toMatch(/skips round 2/);
    expect(roundNoProblem(0, 1)).not.toBeNull();
  });

  it('wants a final-offer deadline 10 minutes to 30 days ahead', () => {
    const now = new Date('2026-11-25T02:00:00Z');
    expect(finalDeadlineProblem(now, new Date('2026-11-25T02:05:00Z'))).toBe('too_soon');
    expect(finalDeadlineProblem(now, new Date('2026-11-25T03:00:00Z'))).toBeNull();
    expect(finalDeadlineProblem(now, new Date('2027-01-25T03:00:00Z'))).toBe('too_late');
  });
});
