import { describe, expect, it } from 'vitest';
import { indexCatalog, normaliseCatalog, normaliseStats } from './api';

describe('portal normalisers', () => {
  it('reads a catalog with nested children and missing optional fields', () => {
    const c = normaliseCatalog({
      version: 3,
      effectiveFrom: '2026-01-01T00:00:00Z',
      categories: [{ code: 'A', name: '工程建设', nameEn: 'Construction', children: [{ code: 'A01', nameZh: '房屋建筑', thresholds: [{ subject: 'works', amountFen: 400_0000_00 }] }] }],
    });
    expect(c.version).toBe('3');
    const idx = indexCatalog(c.categories);
    expect(idx.get('A01')?.name).toBe('房屋建筑');
    expect(idx.get('A01')?.thresholds[0]?.amountFen).toBe(400_0000_00);
    expect(idx.get('A')?.procedures).toEqual([]);
  });
  it('builds the tree from the catalog module\'s flat entries', () => {
    const c = normaliseCatalog({
      version: { id: 'v', versionNo: 1, title: '初始目录', state: 'in_force', effectiveFrom: '2026-01-01T00:00:00Z' },
      entries: [
        { code: 'works.housing', parentCode: 'works', sortOrder: 2, nameZh: '房屋建筑', nameEn: 'Housing', thresholds: [], procedures: ['works_open_tender'], materials: [] },
        { code: 'works', parentCode: null, sortOrder: 1, nameZh: '工程建设', nameEn: 'Works' },
        { code: 'works.road', parentCode: 'works', sortOrder: 1, nameZh: '公路', nameEn: 'Roads' },
        { code: 'land', parentCode: null, sortOrder: 0, nameZh: '土地', nameEn: 'Land' },
      ],
    });
    expect(c.version).toBe('1');
    expect(c.title).toBe('初始目录');
    expect(c.categories.map((n) => n.code)).toEqual(['land', 'works']);
    expect(c.categories[1]!.children.map((n) => n.code)).toEqual(['works.road', 'works.housing']);
    expect(c.categories[1]!.children[1]!.procedures).toEqual(['works_open_tender']);
  });
  it('reads the portal stats shape of the announcements module', () => {
    const s = normaliseStats({
      total: 7,
      byType: [{ type: 'tender_notice', labelZh: '招标/采购公告', count: 5 }, { type: 'award_notice', labelZh: '中标结果公告', count: 2 }],
      byCategory: [{ categoryCode: 'works.housing', count: 7 }],
      byRegion: [{ regionCode: '350203', count: 7 }],
      last30Days: [{ date: '2026-11-24', count: 3 }, { date: '2026-11-25', count: 4 }],
    });
    expect(s.totals.announcements).toBe(7);
    expect(s.totals.last30).toBe(7);
    expect(s.byCategory).toEqual([{ key: 'works.housing', count: 7 }]);
    expect(s.trend.map((d) => d.date)).toEqual(['2026-11-24', '2026-11-25']);
  });
  it('reads statistics as arrays or keyed objects and derives totals', () => {
    const s = normaliseStats({ byType: { tender_notice: 3, result_notice: 2 }, byCategory: [{ category: 'A', count: 4 }], trend: [{ date: '2026-11-01', count: 2 }, { day: '2026-11-02', n: 1 }] });
    expect(s.byType).toEqual([{ key: 'tender_notice', count: 3 }, { key: 'result_notice', count: 2 }]);
    expect(s.totals.announcements).toBe(5);
    expect(s.totals.last30).toBe(3);
    expect(s.trend[1]).toEqual({ date: '2026-11-02', count: 1 });
    expect(s.byCategory[0]).toEqual({ key: 'A', count: 4 });
  });
});
