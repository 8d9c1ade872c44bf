import { describe, expect, it } from 'vitest';
import { fenToChineseUppercase, fenToYuanGrouped, fenToYuanString } from './money';

describe('人民币大写', () => {
  it.each([
    [4_610_220_037, '肆仟陆佰壹拾万贰仟贰佰元叁角柒分'],
    [10_000_000_000, '壹亿元整'],
    [100_500, '壹仟零伍元整'],
    [5, '伍分'],
    [1_000_001_010, '壹仟万零壹拾元壹角整'],
    [0, '零元整'],
  ])('%i 分 → %s', (fen, text) => expect(fenToChineseUppercase(fen)).toBe(text));

  it('decimal strings are exact', () => {
    expect(fenToYuanString(4_610_220_037)).toBe('46102200.37');
    expect(fenToYuanString(7)).toBe('0.07');
    expect(fenToYuanGrouped(4_610_220_037)).toBe('46,102,200.37');
    expect(() => fenToChineseUppercase(1.5)).toThrow();
  });
});
