import { describe, expect, it } from 'vitest';
import { prefixToCode, regionLabel, regionOptions, regionTree } from './regions';

describe('region labels', () => {
  it('names a district with its city, a city alone, and falls back to the code', () => {
    expect(regionLabel('350203', 'zh-CN')).toBe('厦门市思明区');
    expect(regionLabel('350203', 'en')).toBe('Siming District, Xiamen');
    expect(regionLabel('350100', 'zh-CN')).toBe('福州市');
    expect(regionLabel('350000', 'en')).toBe('Fujian Province');
    expect(regionLabel('350102', 'zh-CN')).toBe('350102');
    expect(regionLabel(null, 'zh-CN')).toBe('');
  });
  it('offers every region once, filterable by name or code', () => {
    const opts = regionOptions('zh-CN');
    expect(opts).toHaveLength(16);
    expect(opts.find((o) => o.value === '350211')!.label).toBe('厦门市集美区 350211');
  });
  it('builds province → city → district', () => {
    const [fujian] = regionTree('zh-CN');
    expect(fujian!.value).toBe('350000');
    expect(fujian!.children.map((c) => c.value)).toEqual(['350100', '350200', '350300', '350400', '350500', '350600', '350700', '350800', '350900']);
    expect(fujian!.children[1]!.children.map((c) => c.title)).toEqual(['思明区', '海沧区', '湖里区', '集美区', '同安区', '翔安区']);
  });
  it('reads a URL prefix as the code it stands for', () => {
    expect(prefixToCode('3502')).toBe('350200');
    expect(prefixToCode('35')).toBe('350000');
    expect(prefixToCode('350203')).toBe('350203');
    expect(prefixToCode('abc')).toBe('abc');
  });
});
