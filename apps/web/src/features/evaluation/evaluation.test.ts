import { describe, expect, it } from 'vitest';
import { scoreProblem, sha256Hex } from './api';
import { EVAL_EN, EVAL_ZH } from './i18n';

describe('evaluation helpers', () => {
  it('accepts points the server accepts, inside the item range', () => {
    const item = { min: '0', max: '40' };
    expect(scoreProblem('35', item)).toBeNull();
    expect(scoreProblem('40.00', item)).toBeNull();
    expect(scoreProblem('0', item)).toBeNull();
    expect(scoreProblem('40.01', item)).toBe('range');
    expect(scoreProblem('12.345', item)).toBe('format');
    expect(scoreProblem('-1', item)).toBe('format');
    expect(scoreProblem('abc', item)).toBe('format');
    expect(scoreProblem('4.5', { min: '5', max: '10' })).toBe('range');
  });
  it('hashes bytes as the server does', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc').buffer as ArrayBuffer)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('has every string in both languages', () => {
    expect(Object.keys(EVAL_EN).sort()).toEqual(Object.keys(EVAL_ZH).sort());
    for (const v of Object.values(EVAL_EN)) expect(v.length).toBeGreaterThan(0);
  });
});
