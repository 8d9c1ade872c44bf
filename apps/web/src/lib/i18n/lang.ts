export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const LANG_STORAGE_KEY = 'yw.lang';

/** The stored choice if valid, else Chinese: the platform's users are in China, so zh-CN is the default. */
export function initialLang(stored: string | null | undefined): Lang {
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

/** Pick the right side of a bilingual value. */
export function pick(value: { zh: string; en: string } | null | undefined, lang: Lang): string {
  if (!value) return '';
  return lang === 'en' ? value.en || value.zh : value.zh || value.en;
}

/** Replace `{name}` placeholders. */
export function interpolate(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
