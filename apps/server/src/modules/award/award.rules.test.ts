import { describe, expect, it } from 'vitest';
import { builtinCalendar } from '../../platform/calendar/index';
import { POLICIES } from '../tendering/index';
import {
  awardDue,
  candidateProblems,
  contractDue,
  contractPublicationDue,
  lateWarning,
  objectionWindow,
  publicityWindow,
  refundPlan,
} from './award.rules';

const cal = builtinCalendar();
const bj = (s: string) => new Date(`${s}+08:00`);
const works = POLICIES.works_open_tender;
const gp = POLICIES.gp_open_tender;

describe('award rules (deadlines after the opening)', () => {
  it('works publicity: within 3 日 of the report, at least 3 日, across National Day 2026 (条例 54; 民法典 203)', () => {
    const w = publicityWindow(cal, works, bj('2026-09-28T10:00:00'), bj('2026-09-29T10:00:00'));
    // 09-29 + 3 日 = 10-02, a holiday → the next working day 10-08 (Oct 1–7 rest), 24:00 Beijing.
    expect(w.endsAt.toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(w.due?.toISOString()).toBe('2026-10-08T16:00:00.000Z'); // 09-28 + 3 日 = 10-01 → 10-08
    expect(publicityWindow(cal, works, bj('2026-11-25T10:00:00'), bj('2026-11-26T10:00:00'), 1).n).toBe(3); // never shorter than the minimum
    expect(publicityWindow(cal, works, bj('2026-11-25T10:00:00'), bj('2026-11-26T10:00:00'), 5).endsAt.toISOString()).toBe(
      '2026-12-01T16:00:00.000Z',
    );
  });

  it('works 异议 during the publicity only; government procurement 质疑 until 7 工作日 after the 1-working-day result announcement', () => {
    const wk = objectionWindow(cal, works, {
      publicity_starts_at: bj('2026-11-26T10:00:00'),
      publicity_ends_at: new Date('2026-11-30T16:00:00Z'),
      notice_issued_at: null,
    });
    expect(wk).toMatchObject({ kind: 'objection', closesAt: new Date('2026-11-30T16:00:00Z'), answerWithin: { n: 3, unit: 'day' } });
    expect(objectionWindow(cal, works, { publicity_starts_at: null, publicity_ends_at: null, notice_issued_at: null })).toBeNull();
    // Announced Tue 09-29: announcement period ends 09-30; 7 工作日 after 09-30 → 10-08, 10-09, 10-10 (调休), 10-12, 13, 14, 15.
    const g = objectionWindow(cal, gp, { publicity_starts_at: null, publicity_ends_at: null, notice_issued_at: bj('2026-09-29T10:00:00') });
    expect(g).toMatchObject({ kind: 'challenge', answerWithin: { n: 7, unit: 'working_day' } });
    expect(g!.closesAt.toISOString()).toBe('2026-10-15T16:00:00.000Z');
  });

  it('government procurement: award within 5 工作日 of the report, contract published within 2 工作日 of signing; works have neither', () => {
    expect(awardDue(cal, gp, bj('2026-11-25T10:00:00'))?.toISOString()).toBe('2026-12-02T16:00:00.000Z');
    expect(awardDue(cal, works, bj('2026-11-25T10:00:00'))).toBeNull();
    expect(contractPublicationDue(cal, gp, bj('2026-12-11T10:00:00'))?.toISOString()).toBe('2026-12-15T16:00:00.000Z'); // Fri → Mon, Tue
    expect(contractPublicationDue(cal, works, bj('2026-12-11T10:00:00'))).toBeNull();
    expect(contractDue(cal, works, bj('2026-12-01T10:00:00'))).toEqual({ due: new Date('2026-12-31T16:00:00.000Z'), estimated: false });
    // Into 2027 (no holiday data): the unextended 30th day, flagged as estimated, instead of refusing the award.
    expect(contractDue(cal, works, bj('2026-12-03T10:00:00'))).toEqual({ due: new Date('2027-01-02T16:00:00.000Z'), estimated: true });
    expect(lateWarning('X', 'x', 'x', new Date('2026-12-02T16:00:00Z'), new Date('2026-12-02T15:59:59Z'))).toBeNull();
    expect(lateWarning('X', 'x', 'x', new Date('2026-12-02T16:00:00Z'), new Date('2026-12-02T16:00:01Z'))).toMatchObject({ code: 'X' });
  });

  it('refunds: works after the contract for everyone (条例 57); government procurement losers after the award (采购条例 33)', () => {
    expect(refundPlan(works)).toMatchObject({ losersAt: 'contract', losers: { n: 5, unit: 'day' }, winner: { n: 5, unit: 'day' } });
    expect(refundPlan(gp)).toMatchObject({
      losersAt: 'award',
      losers: { n: 5, unit: 'working_day' },
      winner: { n: 5, unit: 'working_day' },
    });
  });

  it('candidates: 1–3, ranks without gaps, distinct valid bidders (条例 53)', () => {
    const valid = new Set(['a', 'b', 'c', 'd']);
    expect(
      candidateProblems(
        [
          { rank: 1, bidderOrgId: 'a' },
          { rank: 2, bidderOrgId: 'b' },
        ],
        valid,
      ),
    ).toBeNull();
    expect(candidateProblems([], valid)?.code).toBe('AWARD_CANDIDATES_COUNT');
    expect(
      candidateProblems(
        ['a', 'b', 'c', 'd'].map((o, i) => ({ rank: i + 1, bidderOrgId: o })),
        valid,
      )?.code,
    ).toBe('AWARD_CANDIDATES_COUNT');
    expect(
      candidateProblems(
        [
          { rank: 1, bidderOrgId: 'a' },
          { rank: 3, bidderOrgId: 'b' },
        ],
        valid,
      )?.code,
    ).toBe('AWARD_CANDIDATES_RANKS');
    expect(
      candidateProblems(
        [
          { rank: 1, bidderOrgId: 'a' },
          { rank: 2, bidderOrgId: 'a' },
        ],
        valid,
      )?.code,
    ).toBe('AWARD_CANDIDATE_DUPLICATE');
    expect(candidateProblems([{ rank: 1, bidderOrgId: 'x' }], valid)).toMatchObject({
      code: 'AWARD_CANDIDATE_NOT_BIDDER',
      field: 'candidates.0.bidderOrgId',
    });
  });
});
