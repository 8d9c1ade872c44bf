import { describe, expect, it } from 'vitest';
import { en, zh } from './dict';
import { initialLang, interpolate, pick } from './lang';

describe('dictionary', () => {
  it('has an English text for every Chinese key and no empty strings', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe('');
  });
  it('keeps placeholders the same in both languages', () => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(zh) as (keyof typeof zh)[]) expect(vars(en[k]), k).toEqual(vars(zh[k]));
  });
});

describe('lang helpers', () => {
  it('defaults to Chinese unless English was stored', () => {
    expect(initialLang(null)).toBe('zh-CN');
    expect(initialLang('fr')).toBe('zh-CN');
    expect(initialLang('en')).toBe('en');
  });
  it('interpolates and picks', () => {
    expect(interpolate('欢迎，{name}', { name: '张三' })).toBe('欢迎，张三');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
    expect(pick({ zh: '中', en: 'En' }, 'en')).toBe('En');
    expect(pick({ zh: '中', en: '' }, 'en')).toBe('中');
  });
});
