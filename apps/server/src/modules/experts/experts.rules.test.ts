import { describe, expect, it } from 'vitest';
import { makeResidentId, residentIdCheckChar } from '@yiwang/contracts';
import type { AppError } from '../../platform/http/errors';
import {
  addYears,
  ageOn,
  assertTransition,
  avoidUntil,
  checkApplicant,
  checkConflict,
  checkLeave,
  checkSpecialties,
  conflictActiveOn,
  expertCode,
  missingMaterials,
  nextReviewDeadline,
  nextStatus,
  overlaps,
  qualificationProblem,
  reviewApplies,
  supervisingIndustries,
  venuePrefixes,
  type SpecialtyNode,
} from './experts.rules';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return undefined;
};
const errOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('qualification (招标投标法 第三十七条; 财库〔2016〕198号)', () => {
  const works = { kinds: ['works'] as const, titleLevel: 'senior' as const, equivalentLevel: false };
  it('works experts need 8 full years and a senior title or the equivalent level', () => {
    expect(qualificationProblem({ ...works, experienceYears: 8 })).toBeUndefined();
    expect(qualificationProblem({ ...works, experienceYears: 7 })?.code).toBe('EXPERT_EXPERIENCE_TOO_SHORT');
    expect(qualificationProblem({ ...works, experienceYears: 7 })?.field).toBe('experienceYears');
    expect(qualificationProblem({ ...works, titleLevel: 'intermediate', experienceYears: 20 })?.code).toBe('EXPERT_TITLE_TOO_LOW');
    expect(qualificationProblem({ ...works, titleLevel: 'none', equivalentLevel: true, experienceYears: 20 })).toBeUndefined();
    expect(qualificationProblem({ ...works, titleLevel: 'full_senior', experienceYears: 30 })).toBeUndefined();
  });
  it('procurement experts: senior (any years) or intermediate with 8 years', () => {
    const gp = { kinds: ['government_procurement'] as const, equivalentLevel: false };
    expect(qualificationProblem({ ...gp, titleLevel: 'senior', experienceYears: 2 })).toBeUndefined();
    expect(qualificationProblem({ ...gp, titleLevel: 'intermediate', experienceYears: 8 })).toBeUndefined();
    expect(qualificationProblem({ ...gp, titleLevel: 'intermediate', experienceYears: 7 })?.code).toBe('EXPERT_EXPERIENCE_TOO_SHORT');
    expect(qualificationProblem({ ...gp, titleLevel: 'none', experienceYears: 30 })?.code).toBe('EXPERT_TITLE_TOO_LOW');
  });
  it('the strictest kind asked for decides', () => {
    expect(qualificationProblem({ kinds: ['government_procurement', 'works'], titleLevel: 'senior', equivalentLevel: false, experienceYears: 5 })?.code).toBe(
      'EXPERT_EXPERIENCE_TOO_SHORT',
    );
  });
  it('messages are bilingual and cite the statute', () => {
    const e = qualificationProblem({ ...works, experienceYears: 3 })!;
    expect(e.zh).toContain('第三十七条');
    expect(e.en).toContain('art. 37');
  });
});

describe('applicant facts', () => {
  const base = {
    name: '邱评审',
    idNumber: makeResidentId('rules-1', '350203'),
    kinds: ['works' as const],
    titleLevel: 'senior' as const,
    equivalentLevel: false,
    experienceYears: 12,
    employer: { name: '厦门某设计院有限公司', uscc: '913502009031Y09H4B' },
    homeRegion: '350203',
    regions: ['350200'],
  };
  it('accepts a complete applicant and normalises the codes', () => {
    const r = checkApplicant({ ...base, idNumber: base.idNumber.toLowerCase() }, '2026-11-02');
    expect(r.idNumber).toBe(base.idNumber.toUpperCase());
  });
  it('refuses a bad ID number, USCC, region or kind list with the field at fault', () => {
    expect(errOf(() => checkApplicant({ ...base, idNumber: '350203199001011234' }, '2026-11-02'))).toMatchObject({ code: 'INVALID_ID_NUMBER', field: 'idNumber' });
    const bad = '913502009031Y09H4' + 'C';
    expect(errOf(() => checkApplicant({ ...base, employer: { name: 'x', uscc: bad } }, '2026-11-02'))).toMatchObject({ code: 'INVALID_USCC', field: 'employer.uscc' });
    expect(errOf(() => checkApplicant({ ...base, regions: ['350200', '110000'] }, '2026-11-02'))).toMatchObject({ code: 'EXPERT_REGION_UNKNOWN', field: 'regions.1' });
    expect(errOf(() => checkApplicant({ ...base, kinds: [] }, '2026-11-02'))).toMatchObject({ code: 'FIELD_REQUIRED', field: 'kinds' });
  });
  it('ages come from the ID number; procurement experts must be under 70', () => {
    const born = '350203' + '19561103' + '001';
    const id = born + residentIdCheckChar(born);
    expect(ageOn(id, '2026-11-02')).toBe(69);
    expect(ageOn(id, '2026-11-03')).toBe(70);
    expect(codeOf(() => checkApplicant({ ...base, idNumber: id, kinds: ['government_procurement'] }, '2026-11-02'))).toBeUndefined();
    expect(codeOf(() => checkApplicant({ ...base, idNumber: id, kinds: ['government_procurement'] }, '2026-11-03'))).toBe('EXPERT_TOO_OLD');
    // Works tenders set no age limit in the statute.
    expect(codeOf(() => checkApplicant({ ...base, idNumber: id }, '2026-11-03'))).toBeUndefined();
  });
});


describe('the conflict window (采购条例 第九条: 3 years)', () => {
  it('adds years, 29 February falling back to 28 February', () => {
    expect(addYears('2023-06-30', 3)).toBe('2026-06-30');
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
  it('an ended employment, directorship or shareholding counts for 3 years; a relation while it lasts', () => {
    expect(avoidUntil({ kind: 'employment', endedOn: '2024-05-31' })).toBe('2027-05-31');
    expect(avoidUntil({ kind: 'director', endedOn: '2024-05-31' })).toBe('2027-05-31');
    expect(avoidUntil({ kind: 'shareholder', endedOn: '2024-05-31' })).toBe('2027-05-31');
    expect(avoidUntil({ kind: 'relative', endedOn: '2024-05-31' })).toBe('2024-05-31');
    expect(avoidUntil({ kind: 'employment', endedOn: null })).toBeNull();
  });
  it('is active through the last day of the window and not after', () => {
    expect(conflictActiveOn('2027-05-31', '2027-05-31')).toBe(true);
    expect(conflictActiveOn('2027-05-31', '2027-06-01')).toBe(false);
    expect(conflictActiveOn(null, '2099-01-01')).toBe(true);
  });
  const employment = { kind: 'employment' as const, orgName: '厦门鹭江建设集团有限公司', orgUscc: '913502009031y09h4b', startedOn: '2015-03-01' };
  it('accepts a former employer that ended within 3 years, refuses one outside the window', () => {
    const ok = checkConflict({ ...employment, endedOn: '2023-11-03' }, '2026-11-02', 'conflicts.0');
    expect(ok).toMatchObject({ orgUscc: '913502009031Y09H4B', avoidUntil: '2026-11-03' });
    expect(errOf(() => checkConflict({ ...employment, endedOn: '2023-11-01' }, '2026-11-02', 'conflicts.0'))).toMatchObject({
      code: 'EXPERT_CONFLICT_OUTSIDE_WINDOW',
      field: 'conflicts.0.endedOn',
    });
  });
  it('checks dates, codes and the relation of a relative', () => {
    expect(errOf(() => checkConflict({ ...employment, endedOn: '2026-11-03' }, '2026-11-02', 'c'))).toMatchObject({ code: 'EXPERT_CONFLICT_DATE_FUTURE', field: 'c.endedOn' });
    expect(errOf(() => checkConflict({ ...employment, endedOn: '2014-01-01' }, '2026-11-02', 'c'))).toMatchObject({ code: 'EXPERT_CONFLICT_DATES' });
    expect(errOf(() => checkConflict({ ...employment, startedOn: null }, '2026-11-02', 'c'))).toMatchObject({ code: 'FIELD_REQUIRED', field: 'c.startedOn' });
    expect(errOf(() => checkConflict({ ...employment, orgUscc: '123' }, '2026-11-02', 'c'))).toMatchObject({ code: 'INVALID_USCC', field: 'c.orgUscc' });
    expect(errOf(() => checkConflict({ kind: 'relative', orgName: '某公司', orgUscc: '913502009031Y09H4B' }, '2026-11-02', 'c'))).toMatchObject({
      code: 'FIELD_REQUIRED',
      field: 'c.relation',
    });
  });
});

describe('leave', () => {
  const at = (s: string) => new Date(s);
  const now = at('2026-11-02T01:00:00Z');
  const p = (a: string, b: string) => ({ startsAt: at(a), endsAt: at(b) });
  it('half-open periods: touching ends do not overlap', () => {
    expect(overlaps(p('2026-11-10T00:00:00Z', '2026-11-12T00:00:00Z'), p('2026-11-12T00:00:00Z', '2026-11-13T00:00:00Z'))).toBe(false);
    expect(overlaps(p('2026-11-10T00:00:00Z', '2026-11-12T00:00:01Z'), p('2026-11-12T00:00:00Z', '2026-11-13T00:00:00Z'))).toBe(true);
    expect(overlaps(p('2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'), p('2026-11-10T00:00:00Z', '2026-11-11T00:00:00Z'))).toBe(true);
  });
  it('refuses an empty, past, too long or overlapping leave', () => {
    const existing = [{ id: 'L1', ...p('2026-11-10T00:00:00Z', '2026-11-15T00:00:00Z') }];
    expect(codeOf(() => checkLeave(p('2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z'), now, existing))).toBeUndefined();
    expect(codeOf(() => checkLeave(p('2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z'), now, existing))).toBe('EXPERT_LEAVE_RANGE');
    expect(codeOf(() => checkLeave(p('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'), now, existing))).toBe('EXPERT_LEAVE_IN_PAST');
    expect(codeOf(() => checkLeave(p('2026-11-20T00:00:00Z', '2027-12-01T00:00:00Z'), now, existing))).toBe('EXPERT_LEAVE_TOO_LONG');
    const clash = errOf(() => checkLeave(p('2026-11-14T00:00:00Z', '2026-11-16T00:00:00Z'), now, existing));
    expect(clash).toMatchObject({ code: 'EXPERT_LEAVE_OVERLAP', status: 409, details: { leaveId: 'L1' } });
    // A leave already under way may still be declared (it ends in the future).
    expect(codeOf(() => checkLeave(p('2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z'), now, existing))).toBeUndefined();
  });
});

describe('specialties and regions', () => {
  const cls = new Map<string, SpecialtyNode>([
    ['A', { code: 'A', level: 1, industry: 'development' }],
    ['A01', { code: 'A01', level: 2, industry: 'construction' }],
    ['A0101', { code: 'A0101', level: 3, industry: 'construction' }],
    ['A0102', { code: 'A0102', level: 3, industry: 'construction' }],
    ['A0301', { code: 'A0301', level: 3, industry: 'transport' }],
    ['C0601', { code: 'C0601', level: 3, industry: 'development' }],
  ]);
  it('takes 1..max distinct leaves', () => {
    expect(codeOf(() => checkSpecialties(['A0101', 'A0301', 'C0601'], cls, 3))).toBeUndefined();
    expect(errOf(() => checkSpecialties(['A0101', 'A0102', 'A0301', 'C0601'], cls, 3))).toMatchObject({ code: 'EXPERT_TOO_MANY_SPECIALTIES', field: 'specialties', details: { max: 3 } });
    expect(codeOf(() => checkSpecialties(['A0101', 'A0102', 'A0301', 'C0601'], cls, 4))).toBeUndefined();
    expect(codeOf(() => checkSpecialties([], cls, 3))).toBe('FIELD_REQUIRED');
    expect(codeOf(() => checkSpecialties(['A0101', 'A0101'], cls, 3))).toBe('EXPERT_SPECIALTY_DUPLICATE');
    expect(errOf(() => checkSpecialties(['A0101', 'A01'], cls, 3))).toMatchObject({ code: 'EXPERT_SPECIALTY_NOT_LEAF', field: 'specialties.1' });
    expect(errOf(() => checkSpecialties(['Z9999'], cls, 3))).toMatchObject({ code: 'EXPERT_SPECIALTY_UNKNOWN', field: 'specialties.0' });
  });
  it('a venue matches the province, city and district prefixes', () => {
    expect(venuePrefixes('350203')).toEqual(['35', '3502', '350203']);
    expect(venuePrefixes('350200')).toEqual(['35', '3502']);
    expect(venuePrefixes('350000')).toEqual(['35']);
  });
  it('supervising industries: finance for procurement, the specialties’ industries otherwise', () => {
    expect(supervisingIndustries(['government_procurement'], ['construction', 'transport'])).toEqual(['government_procurement']);
    expect(supervisingIndustries(['works'], ['construction', 'transport', 'construction'])).toEqual(['construction', 'transport']);
    expect(supervisingIndustries(['works', 'government_procurement'], ['water'])).toEqual(['government_procurement', 'water']);
  });
  it('asks for a title certificate or evidence of the equivalent level', () => {
    expect(missingMaterials({ titleLevel: 'senior', equivalentLevel: false }, [])).toEqual(['title_certificate']);
    expect(missingMaterials({ titleLevel: 'senior', equivalentLevel: false }, ['title_certificate'])).toEqual([]);
    expect(missingMaterials({ titleLevel: 'none', equivalentLevel: true }, ['id_card'])).toEqual(['equivalence_proof']);
  });
});

describe('status machine and numbering', () => {
  it('allows the documented transitions only', () => {
    expect(nextStatus('none', 'apply')).toBe('submitted');
    expect(nextStatus('returned', 'apply')).toBe('submitted');
    expect(nextStatus('submitted', 'apply')).toBeUndefined();
    expect(nextStatus('submitted', 'approve')).toBe('active');
    expect(nextStatus('active', 'approve')).toBeUndefined();
    expect(nextStatus('active', 'suspend')).toBe('suspended');
    expect(nextStatus('suspended', 'reinstate')).toBe('active');
    expect(nextStatus('removed', 'apply')).toBeUndefined();
    expect(nextStatus('exited', 'apply')).toBe('submitted');
    expect(errOf(() => assertTransition('rejected', 'approve'))).toMatchObject({ code: 'EXPERT_INVALID_TRANSITION', status: 409 });
    expect(expertCode(42)).toBe('ZJ000042');
  });
});

describe('annual review calendar', () => {
  it('the review of year Y is due by the deadline day of Y+1 (24:00 Beijing)', () => {
    expect(nextReviewDeadline(new Date('2026-11-02T01:00:00Z'), '03-31')).toEqual({ year: 2026, dueAt: new Date('2027-03-31T16:00:00Z') });
    expect(nextReviewDeadline(new Date('2027-02-01T00:00:00Z'), '03-31')).toEqual({ year: 2026, dueAt: new Date('2027-03-31T16:00:00Z') });
    // 1 April 00:30 Beijing: the 2026 deadline has just passed, the next one is 2027's.
    expect(nextReviewDeadline(new Date('2027-03-31T16:30:00Z'), '03-31')).toEqual({ year: 2027, dueAt: new Date('2028-03-31T16:00:00Z') });
  });
  it('applies to experts admitted before the year under review ended (Beijing time)', () => {
    expect(reviewApplies(new Date('2026-12-31T15:59:59Z'), 2026)).toBe(true);
    expect(reviewApplies(new Date('2026-12-31T16:00:00Z'), 2026)).toBe(false);
    expect(reviewApplies(null, 2026)).toBe(false);
  });
});
