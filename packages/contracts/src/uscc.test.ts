import { describe, expect, it } from 'vitest';
import {
  checkUscc,
  isValidResidentId,
  isValidUscc,
  makeResidentId,
  makeUscc,
  orgCodeCheckChar,
  residentIdCheckChar,
  usccCheckChar,
} from './uscc';

describe('USCC (GB 32100-2015)', () => {
  // Codes printed on public business licences (企业信用信息公示系统); they exercise both check characters,
  // including an org-code check of X (Tencent) and check characters that are letters.
  const published = ['9144030071526726XG', '914403001922038216', '91330100716105852F', '91110000802100433B'];

  it.each(published)('accepts the published code %s', (code) => {
    expect(checkUscc(code)).toMatchObject({ ok: true, authority: '9', orgType: '1' });
  });

  it('splits a code into its parts', () => {
    expect(checkUscc('9144030071526726XG')).toEqual({ ok: true, authority: '9', orgType: '1', regionCode: '440300', orgCode: '71526726X' });
  });

  it('computes both check characters by hand-checkable sums', () => {
    // 7*3+1*7+5*9+2*10+6*5+7*8+2*4+6*2 = 199; 199 mod 11 = 1; 11-1 = 10 → X
    expect(orgCodeCheckChar('71526726')).toBe('X');
    expect(usccCheckChar('9144030071526726X')).toBe('G');
  });

  it.each([
    ['', 'LENGTH'],
    ['9144030071526726X', 'LENGTH'],
    ['9144030071526726XGG', 'LENGTH'],
    ['9144030071526726XI', 'CHARSET'],
    ['9144030071526726Xg', 'CHARSET'],
    ['B144030071526726XG', 'AUTHORITY'],
    ['9944030071526726XG', 'ORG_TYPE'],
    ['91A4030071526726XG', 'REGION'],
    ['91000000715267260G', 'REGION'],
    ['914403007152672600', 'ORG_CODE'],
    ['9144030071526726XH', 'CHECK_CHAR'],
    ['91350200MA2XXXXX0A', 'CHECK_CHAR'],
  ])('rejects %j with %s', (code, problem) => {
    const r = checkUscc(code);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.message.zh.length).toBeGreaterThan(0);
    }
  });

  it('detects any single-character substitution in a valid code', () => {
    const code = '914403001922038216';
    for (let i = 0; i < 18; i++) {
      for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
        if (c === code[i]) continue;
        expect(isValidUscc(code.slice(0, i) + c + code.slice(i + 1)), `${i}:${c}`).toBe(false);
      }
    }
  });

  it('makeUscc produces valid, deterministic, distinct codes in the asked region', () => {
    const codes = Array.from({ length: 200 }, (_, i) => makeUscc(i));
    for (const c of codes) expect(isValidUscc(c), c).toBe(true);
    expect(new Set(codes).size).toBe(200);
    expect(makeUscc('acme')).toBe(makeUscc('acme'));
    expect(makeUscc(7, { region: '350203', authority: '5', orgType: '2' })).toMatch(/^52350203/);
    expect(isValidUscc(makeUscc(7, { region: '350203', authority: '5', orgType: '2' }))).toBe(true);
  });
});

describe('resident ID (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it('accepts the standard example and generated numbers', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    for (let i = 0; i < 50; i++) expect(isValidResidentId(makeResidentId(i))).toBe(true);
  });

  it.each(['110105194912310021', '11010519491331002X', '11010519490230002X', '1101051949123100', 'A1010519491231002X'])(
    'rejects %s',
    (id) => {
      expect(isValidResidentId(id)).toBe(false);
    },
  );
});
