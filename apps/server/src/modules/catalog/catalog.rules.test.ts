import { describe, expect, it } from 'vitest';
import { decideMandatory, entryProblems, isLeaf, requiredMaterials, versionInForce, versionState, type CatalogEntry } from './catalog.rules';
import { INITIAL_CATALOG } from './catalog.seed';

const d = (s: string) => new Date(s);

describe('catalog rules', () => {
  it('picks the published version with the latest effective-from not after now', () => {
    const vs = [
      { id: 'v1', status: 'published' as const, commentUntil: d('2020-01-01T00:00:00Z'), effectiveFrom: d('2020-01-01T00:00:00Z') },
      { id: 'v2', status: 'published' as const, commentUntil: d('2026-11-10T00:00:00Z'), effectiveFrom: d('2026-12-01T00:00:00Z') },
      { id: 'v3', status: 'draft' as const, commentUntil: null, effectiveFrom: null },
    ];
    expect(versionInForce(vs, d('2026-11-30T23:59:59Z'))?.id).toBe('v1');
    expect(versionInForce(vs, d('2026-12-01T00:00:00Z'))?.id).toBe('v2');
    expect(versionInForce(vs, d('2019-01-01T00:00:00Z'))).toBeUndefined();
    expect(versionState(vs[1]!, 'v1', d('2026-11-05T00:00:00Z'))).toBe('commenting');
    expect(versionState(vs[1]!, 'v1', d('2026-11-20T00:00:00Z'))).toBe('scheduled');
    expect(versionState(vs[0]!, 'v2', d('2026-12-02T00:00:00Z'))).toBe('superseded');
    expect(versionState(vs[2]!, 'v2', d('2026-12-02T00:00:00Z'))).toBe('draft');
  });

  it('decides mandatory entry at or above the threshold for the subject (以上 includes the figure)', () => {
    const housing = INITIAL_CATALOG.find((e) => e.code === 'works.housing')!;
    expect(decideMandatory(housing, 'works', 400_000_000)).toEqual({ mandatory: true, thresholdFen: 400_000_000 });
    expect(decideMandatory(housing, 'works', 399_999_999)).toEqual({ mandatory: false, thresholdFen: 400_000_000 });
    expect(decideMandatory(housing, 'services', 100_000_000)?.mandatory).toBe(true);
    expect(decideMandatory(housing, null, 1)).toBeUndefined();
    expect(decideMandatory(INITIAL_CATALOG.find((e) => e.code === 'land')!, null, 1)).toEqual({ mandatory: true, thresholdFen: null });
    expect(decideMandatory(INITIAL_CATALOG.find((e) => e.code === 'gp.goods')!, 'goods', 99_999_999)?.mandatory).toBe(false);
  });

  it('requires the agency contract only when an agency registers', () => {
    const housing = INITIAL_CATALOG.find((e) => e.code === 'works.housing')!;
    expect(requiredMaterials(housing, false).map((m) => m.code)).not.toContain('agency_contract');
    expect(requiredMaterials(housing, true).map((m) => m.code)).toContain('agency_contract');
  });

  it('ships a consistent two-level initial catalog', () => {
    const codes = INITIAL_CATALOG.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of INITIAL_CATALOG) expect(entryProblems(e, INITIAL_CATALOG)).toEqual([]);
    expect(isLeaf(INITIAL_CATALOG, 'works')).toBe(false);
    expect(isLeaf(INITIAL_CATALOG, 'works.housing')).toBe(true);
    // Every leaf can actually be registered against: it allows at least one procedure.
    for (const e of INITIAL_CATALOG.filter((x) => isLeaf(INITIAL_CATALOG, x.code))) expect(e.procedures.length).toBeGreaterThan(0);
  });

  it('reports structural problems of an entry', () => {
    const base: CatalogEntry = { code: 'x', parentCode: 'works.housing', sortOrder: 0, nameZh: 'x', nameEn: 'x', industry: 'i', thresholds: [], procedures: [], materials: [], basis: '' };
    expect(entryProblems(base, [...INITIAL_CATALOG, base])[0]?.[0]).toBe('parentCode'); // three levels
    const dupT = { ...base, parentCode: null, thresholds: [{ subject: null, amountFen: 1 }, { subject: null, amountFen: 2 }] };
    expect(entryProblems(dupT, [dupT])[0]?.[0]).toBe('thresholds');
  });
});
