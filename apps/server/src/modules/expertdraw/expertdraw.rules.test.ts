import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDraw } from '@yiwang/contracts/lottery';
import { applyAvoidance, earliestDrawAt, shortages, vacancies, type Candidate } from './expertdraw.rules';

const ORGS = Array.from({ length: 12 }, (_, i) => `91350200MA0000${String(i).padStart(4, '0')}`);
const SPECS = ['A0101', 'A0601', 'B0203'];

/** A generated pool: each expert has an employer and declared relations among a small set of organisations. */
const pool = fc.uniqueArray(
  fc.record({
    n: fc.integer({ min: 0, max: 9999 }),
    employer: fc.constantFrom(...ORGS),
    relations: fc.subarray(ORGS, { maxLength: 3 }),
    groups: fc.subarray(SPECS, { minLength: 1 }),
  }),
  { selector: (e) => e.n, minLength: 5, maxLength: 80 },
);

describe('expert draw rules', () => {
  it('property: an expert employed by, or related to, a bidder or the tenderer is never drawn', () => {
    fc.assert(
      fc.property(pool, fc.subarray(ORGS, { minLength: 1, maxLength: 5 }), fc.constantFrom(...ORGS), fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')), (experts, bidders, tenderer, seed) => {
        const candidates: Candidate[] = experts.map((e) => ({ expertId: `e${e.n}`, accountId: `a${e.n}`, groups: e.groups, avoidOrgCodes: [e.employer, ...e.relations] }));
        const { pool: eligible, excluded } = applyAvoidance(candidates, {
          bidderCodes: new Set(bidders),
          tendererCodes: new Set([tenderer]),
          supervisorCodes: new Set(),
          supervisorAccounts: new Set(),
          frequent: new Set(),
        });
        const conflicted = new Set(experts.filter((e) => [e.employer, ...e.relations].some((c) => bidders.includes(c) || c === tenderer)).map((e) => `e${e.n}`));
        expect(new Set(excluded.map((x) => x.id))).toEqual(conflicted);
        const quotas = [{ code: 'A0101', count: 2 }];
        if (shortages(eligible, quotas).length) return; // the command refuses: nothing is drawn
        const out = runDraw(seed, { drawId: 'd1', purpose: 'expert_selection', subject: 'tender:t/lot:1/experts', replaces: null }, {
          candidates: eligible.map((c) => ({ id: c.expertId, groups: c.groups })),
          strata: quotas.map((q) => ({ group: q.code, count: q.count })),
          exclusions: [],
          assignTo: null,
          entropy: '',
        });
        for (const s of out.selected) expect(conflicted.has(s.id)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('shortage per specialty, and in total when specialties overlap', () => {
    const p = [{ groups: ['A0101'] }, { groups: ['A0101', 'A0601'] }, { groups: ['A0601'] }];
    expect(shortages(p, [{ code: 'A0101', count: 3 }])).toEqual([{ specialty: 'A0101', needed: 3, available: 2 }]);
    expect(shortages(p, [{ code: 'A0101', count: 2 }, { code: 'A0601', count: 2 }])).toEqual([{ specialty: '*', needed: 4, available: 3 }]);
    expect(shortages(p, [{ code: 'A0101', count: 1 }, { code: 'A0601', count: 2 }])).toEqual([]);
  });

  it('vacancies count invited and confirmed seats only', () => {
    const q = [{ code: 'A0101', count: 3 }];
    expect(vacancies(q, [{ specialty: 'A0101', status: 'confirmed' }, { specialty: 'A0101', status: 'declined' }, { specialty: 'A0101', status: 'invited' }])).toEqual([{ code: 'A0101', count: 1 }]);
  });

  it('earliest draw: 00:00 Beijing of the day before (or the day itself)', () => {
    expect(earliestDrawAt(new Date('2026-11-20T01:00:00Z'), 1).toISOString()).toBe('2026-11-18T16:00:00.000Z');
    expect(earliestDrawAt(new Date('2026-11-19T17:00:00Z'), 0).toISOString()).toBe('2026-11-19T16:00:00.000Z');
  });
});
