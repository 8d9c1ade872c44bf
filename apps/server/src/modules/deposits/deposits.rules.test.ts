import { describe, expect, it } from 'vitest';
import {
  bankSignature,
  bankSignatureValid,
  decideDeposit,
  guaranteeProblems,
  luhnCheckDigit,
  luhnValid,
  namesMatch,
  newSubAccountNumber,
  parseBankTimestamp,
  withinSkew,
  type GuaranteeDocument,
  type GuaranteeExpectation,
} from './deposits.rules';

describe('payer names', () => {
  it('match across full-width brackets, spaces and letter case', () => {
    expect(namesMatch('厦门（鹭岛）建设有限公司', ' 厦门(鹭岛)建设 有限公司')).toBe(true);
    expect(namesMatch('ＡＢＣ科技有限公司', 'abc科技有限公司')).toBe(true);
    expect(namesMatch('厦门鹭岛建设有限公司', '厦门鹭岛建筑有限公司')).toBe(false);
  });
});

describe('sub-account numbers', () => {
  it('Luhn check digit of the textbook example 7992739871 is 3', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
  it('carry the prefix, ten random digits and a valid check digit', () => {
    const n = newSubAccountNumber('95580001');
    expect(n).toMatch(/^95580001[0-9]{11}$/);
    expect(luhnValid(n)).toBe(true);
    const fixed = newSubAccountNumber('1234', () => 7);
    expect(fixed).toBe(`12347777777777${luhnCheckDigit('12347777777777')}`);
  });
});

describe('bank signature', () => {
  const secret = 'bank-secret-0123456789-0123456789-xyz';
  it('verifies the exact bytes, timestamp and nonce it was made over', () => {
    const body = '{"type":"credit","amountFen":100}';
    const sig = `v1=${bankSignature(secret, '1790000000', 'nonce-0123456789ab', body)}`;
    expect(bankSignatureValid(secret, '1790000000', 'nonce-0123456789ab', Buffer.from(body), sig)).toBe(true);
    expect(bankSignatureValid(secret, '1790000000', 'nonce-0123456789ab', body.replace('100', '1000'), sig)).toBe(false);
    expect(bankSignatureValid(secret, '1790000001', 'nonce-0123456789ab', body, sig)).toBe(false);
    expect(bankSignatureValid(secret, '1790000000', 'nonce-0123456789ac', body, sig)).toBe(false);
    expect(bankSignatureValid('another-secret-0123456789-0123456789', '1790000000', 'nonce-0123456789ab', body, sig)).toBe(false);
    expect(bankSignatureValid(secret, '1790000000', 'nonce-0123456789ab', body, 'v1=zz')).toBe(false);
  });
  it('timestamps are Unix seconds within five minutes', () => {
    const now = new Date('2026-11-02T01:00:00Z');
    expect(parseBankTimestamp('2026-11-02T01:00:00Z')).toBeUndefined();
    const t = parseBankTimestamp(String(now.getTime() / 1000 - 299))!;
    expect(withinSkew(t, now)).toBe(true);
    expect(withinSkew(parseBankTimestamp(String(now.getTime() / 1000 - 301))!, now)).toBe(false);
  });
});

describe('guarantee checks', () => {
  const want: GuaranteeExpectation = {
    issuerCode: 'demo_issuer',
    guaranteeNo: 'BH001',
    tenderId: 'T1',
    lotId: 'L1',
    bidder: { name: '甲建设有限公司', uscc: '91350200MA00000001' },
    beneficiary: { name: '厦门市某局', uscc: null },
    requiredFen: 200_000_00,
    bidValidUntil: new Date('2027-02-01T00:00:00Z'),
    now: new Date('2026-11-02T01:00:00Z'),
  };
  const doc: GuaranteeDocument = {
    guaranteeNo: 'BH001',
    issuerCode: 'demo_issuer',
    status: 'valid',
    applicant: { name: '甲建设有限公司（曾用名）', uscc: '91350200MA00000001' },
    beneficiary: { name: '厦门市某局' },
    tenderId: 'T1',
    lotId: 'L1',
    amountFen: 200_000_00,
    validFrom: '2026-11-01T00:00:00Z',
    validUntil: '2027-02-01T00:00:00Z',
  };
  it('accepts a guarantee that names the bidder (by USCC), the tenderer, the lot, enough money and time', () => {
    expect(guaranteeProblems(doc, want)).toEqual([]);
  });
  it('lists every problem', () => {
    const bad = {
      ...doc,
      status: 'revoked' as const,
      beneficiary: { name: '别的单位' },
      lotId: 'L2',
      amountFen: 199_999_99,
      validUntil: '2027-01-31T23:59:59Z',
    };
    expect(guaranteeProblems(bad, want)).toEqual([
      'not_valid_status',
      'wrong_beneficiary',
      'wrong_lot',
      'amount_too_small',
      'validity_too_short',
    ]);
    expect(guaranteeProblems({ ...doc, applicant: { name: '甲建设有限公司', uscc: '91350200MA00000009' } }, want)).toEqual([
      'wrong_applicant',
    ]);
    expect(guaranteeProblems({ ...doc, validFrom: '2026-11-03T00:00:00Z' }, want)).toEqual(['not_yet_valid']);
  });
});

describe('deposit verdict', () => {
  const t = new Date('2026-11-02T01:00:00Z');
  const credit = (amountFen: number, payerNameMatches = true, creditedAt = t) => ({ amountFen, payerNameMatches, creditedAt });
  it('missing when nothing arrived; insufficient when short; satisfied by own cash', () => {
    expect(decideDeposit({ requiredFen: 1000, cashAllowed: true, credits: [], guarantees: [] }).status).toBe('missing');
    expect(decideDeposit({ requiredFen: 1000, cashAllowed: true, credits: [credit(999)], guarantees: [] }).status).toBe('insufficient');
    const v = decideDeposit({ requiredFen: 1000, cashAllowed: true, credits: [credit(600), credit(400)], guarantees: [] });
    expect([v.status, v.by, v.cashFen]).toEqual(['satisfied', 'cash', 1000]);
  });
  it('third-party money does not count but is reported', () => {
    const v = decideDeposit({ requiredFen: 1000, cashAllowed: true, credits: [credit(1000, false)], guarantees: [] });
    expect([v.status, v.cashFen, v.flaggedCashFen]).toEqual(['insufficient', 0, 1000]);
  });
  it('cash does not count where cash is not allowed; a big enough guarantee does', () => {
    const v = decideDeposit({ requiredFen: 1000, cashAllowed: false, credits: [credit(5000)], guarantees: [] });
    expect([v.status, v.cashNotAllowedFen]).toEqual(['missing', 5000]);
    const g = decideDeposit({
      requiredFen: 1000,
      cashAllowed: false,
      credits: [],
      guarantees: [{ id: 'g', amountFen: 1000, validUntil: t }],
    });
    expect([g.status, g.by, g.guaranteeId]).toEqual(['satisfied', 'guarantee', 'g']);
  });
  it('asOf ignores late cash; validThrough ignores short guarantees', () => {
    const late = decideDeposit({
      requiredFen: 1000,
      cashAllowed: true,
      credits: [credit(1000, true, new Date(t.getTime() + 1))],
      guarantees: [],
      asOf: t,
    });
    expect(late.status).toBe('missing');
    const short = decideDeposit({
      requiredFen: 1000,
      cashAllowed: true,
      credits: [],
      guarantees: [{ id: 'g', amountFen: 1000, validUntil: t }],
      validThrough: new Date(t.getTime() + 1),
    });
    expect(short.status).toBe('insufficient');
  });
  it('nothing required is satisfied', () => {
    expect(decideDeposit({ requiredFen: 0, cashAllowed: false, credits: [], guarantees: [] }).by).toBe('none_required');
  });
});
