/**
 * Administrative division codes (GB/T 2260) the platform serves: Fujian province, its nine prefecture-level
 * cities, and the six districts of Xiamen. Facts only — names as published in the national standard.
 */
export interface Region {
  code: string;
  zh: string;
  en: string;
  /** Code of the enclosing division; null for the province. */
  parent: string | null;
}

export const REGIONS: readonly Region[] = [
  { code: '350000', zh: '福建省', en: 'Fujian Province', parent: null },
  { code: '350100', zh: '福州市', en: 'Fuzhou', parent: '350000' },
  { code: '350200', zh: '厦门市', en: 'Xiamen', parent: '350000' },
  { code: '350203', zh: '思明区', en: 'Siming District', parent: '350200' },
  { code: '350205', zh: '海沧区', en: 'Haicang District', parent: '350200' },
  { code: '350206', zh: '湖里区', en: 'Huli District', parent: '350200' },
  { code: '350211', zh: '集美区', en: 'Jimei District', parent: '350200' },
  { code: '350212', zh: '同安区', en: "Tong'an District", parent: '350200' },
  { code: '350213', zh: '翔安区', en: "Xiang'an District", parent: '350200' },
  { code: '350300', zh: '莆田市', en: 'Putian', parent: '350000' },
  { code: '350400', zh: '三明市', en: 'Sanming', parent: '350000' },
  { code: '350500', zh: '泉州市', en: 'Quanzhou', parent: '350000' },
  { code: '350600', zh: '漳州市', en: 'Zhangzhou', parent: '350000' },
  { code: '350700', zh: '南平市', en: 'Nanping', parent: '350000' },
  { code: '350800', zh: '龙岩市', en: 'Longyan', parent: '350000' },
  { code: '350900', zh: '宁德市', en: 'Ningde', parent: '350000' },
];

const BY_CODE = new Map(REGIONS.map((r) => [r.code, r]));

export function findRegion(code: string): Region | undefined {
  return BY_CODE.get(code);
}

export function isKnownRegion(code: string): boolean {
  return BY_CODE.has(code);
}

/** Name of a region in the given language; an unknown code is shown as itself. */
export function regionName(code: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (!code) return '';
  const r = BY_CODE.get(code);
  return r ? r[lang] : code;
}
