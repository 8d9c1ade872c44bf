import { describe, expect, it } from 'vitest';
import { documentTokens, highlight, queryTokens, toTsquery } from './search-tokens';
import { filterTags } from './search-tags';

describe('CJK search tokens', () => {
  it('cuts CJK runs into bigrams and keeps latin/digit words, folding full-width forms', () => {
    expect(documentTokens('厦门道路 ＸＭ２０２６-01')).toEqual(['厦门', '门道', '道路', 'xm2026', '01']);
  });
  it('indexes a lone CJK character and matches it as a prefix in queries', () => {
    expect(documentTokens('路')).toEqual(['路']);
    expect(queryTokens('路')).toEqual([{ lexeme: '路', prefix: true }]);
  });
  it('ANDs every query token and quotes lexemes so no input can break the tsquery', () => {
    expect(toTsquery(queryTokens('道路 排水'))).toBe("'道路' & '排水'");
    expect(toTsquery(queryTokens("'); DROP TABLE x; -- ｜ & !"))).toBe("'drop' & 'table' & 'x'");
    expect(queryTokens('!!! ...')).toEqual([]);
  });
  it('builds hierarchical filter tags that user queries can never produce', () => {
    expect(filterTags({ categoryCode: 'works.municipal', type: 'tender_notice', regionCode: '350203' })).toEqual(['c:works', 'c:works.municipal', 't:tender_notice', 'r:35', 'r:3502', 'r:350203']);
    expect(queryTokens('c:works').map((t) => t.lexeme)).toEqual(['c', 'works']);
  });
  it('marks matches without producing markup', () => {
    expect(highlight('<b>道路</b>工程', ['道路'])).toEqual([{ text: '<b>', match: false }, { text: '道路', match: true }, { text: '</b>工程', match: false }]);
  });
});
