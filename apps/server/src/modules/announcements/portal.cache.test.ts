import { describe, expect, it } from 'vitest';
import { FirstPageCache } from './portal.cache';

describe('FirstPageCache', () => {
  it('answers only for the version an entry was rendered at', () => {
    const c = new FirstPageCache(10);
    c.set('k', 7, '{"items":[]}');
    expect(c.get('k', 7)).toBe('{"items":[]}');
    expect(c.get('k', 8)).toBeUndefined();
    c.set('k', 8, '{"items":[1]}');
    expect(c.get('k', 8)).toBe('{"items":[1]}');
    expect(c.get('k', 7)).toBeUndefined();
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const c = new FirstPageCache(3);
    for (const k of ['a', 'b', 'c']) c.set(k, 1, k);
    expect(c.get('a', 1)).toBe('a'); // a is now the most recently used
    c.set('d', 1, 'd');
    expect(c.size).toBe(3);
    expect(c.get('b', 1)).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => c.get(k, 1))).toEqual(['a', 'c', 'd']);
    for (let i = 0; i < 100; i++) c.set(`x${i}`, 1, 'x');
    expect(c.size).toBe(3);
  });
});
