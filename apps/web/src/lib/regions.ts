// Region codes (GB/T 2260) shown as names: the list lives in @yiwang/contracts so the server's validation and the
// UI agree. Unknown codes fall back to the code itself.
import { REGIONS, findRegion, type Region } from '@yiwang/contracts';
import type { Lang } from './i18n/lang';

const PROVINCE = '350000';
const nameOf = (r: Region, lang: Lang) => (lang === 'en' ? r.en : r.zh);

/** "厦门市思明区" / "Siming District, Xiamen" for a district; the plain name for a city or the province. */
export function regionLabel(code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  const r = findRegion(code);
  if (!r) return code;
  const parent = r.parent && r.parent !== PROVINCE ? findRegion(r.parent) : undefined;
  if (!parent) return nameOf(r, lang);
  return lang === 'en' ? `${r.en}, ${parent.en}` : `${parent.zh}${r.zh}`;
}

/** Options for a flat Select: label carries the name and the code so either can be typed to filter. */
export function regionOptions(lang: Lang): { value: string; label: string }[] {
  return REGIONS.map((r) => ({ value: r.code, label: `${regionLabel(r.code, lang)} ${r.code}` }));
}

export interface RegionNode {
  title: string;
  value: string;
  children: RegionNode[];
}

/** Province → cities → districts, for a TreeSelect (the portal's region-prefix filter). */
export function regionTree(lang: Lang): RegionNode[] {
  const build = (parent: string | null): RegionNode[] =>
    REGIONS.filter((r) => r.parent === parent).map((r) => ({ title: nameOf(r, lang), value: r.code, children: build(r.code) }));
  return build(null);
}

/** A region prefix from a URL ("3502") as the six-digit code it stands for ("350200"); other text unchanged. */
export function prefixToCode(prefix: string): string {
  return /^\d{2}(\d{2}){0,2}$/.test(prefix) ? prefix.padEnd(6, '0') : prefix;
}
