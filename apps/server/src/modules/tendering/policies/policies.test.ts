import { describe, expect, it } from 'vitest';
import { ANNOUNCEMENT_TYPES } from '@yiwang/contracts';
import { builtinCalendar } from '../../../platform/calendar/index';
import { PROCEDURE_TYPES } from '../../catalog/index';
import { POLICIES } from './catalog';
import {
  bidDeadlineProblem,
  committeeProblems,
  deadlineAfterClarification,
  deadlineAfterPause,
  depositCapFen,
  earliestBidDeadlineDay,
  objectionAnswerDue,
  objectionClosesAt,
} from './engine';
import { applyOverrides, overrideProblem } from './overrides';
import { TENDERING_PROCEDURES, type Period } from './types';

const cal = builtinCalendar();
const bj = (s: string) => new Date(`${s}+08:00`);

describe('procedure policies', () => {
  it('has one policy per tendering procedure code of the catalog, each value with its basis', () => {
    for (const code of TENDERING_PROCEDURES) {
      expect(PROCEDURE_TYPES).toContain(code);
      const p = POLICIES[code];
      expect(p.code).toBe(code);
      const periods = Object.values(p.periods).filter((x): x is Period => !!x && 'unit' in x);
      for (const x of [...periods, p.objections.answerWithin]) {
        expect(x.basis, `${code}`).toMatch(/第.+条|平台/);
        expect(['day', 'working_day']).toContain(x.unit);
      }
      expect(p.minBidders.basis).toMatch(/第.+条/);
      expect(p.deposit.basis).toMatch(/第.+条/);
      for (const t of Object.values(p.announcements)) if (t) expect(ANNOUNCEMENT_TYPES).toContain(t);
      expect(!!p.objections.leadBeforeDeadline !== !!p.objections.windowFromObtaining).toBe(true);
    }
  });

  it('states the statutory figures of DOMAIN §3', () => {
    const w = POLICIES.works_open_tender;
    expect(w.periods.minBidPeriod).toMatchObject({ n: 20, unit: 'day', basis: '招标投标法 第二十四条' });
    expect(w.periods.documentsOnSale).toMatchObject({ n: 5, unit: 'day' });
    expect(w.periods.clarificationLead).toMatchObject({ n: 15, unit: 'day', basis: '招标投标法实施条例 第二十一条' });
    expect(w.objections.leadBeforeDeadline).toMatchObject({ n: 10, unit: 'day' });
    expect(w.objections.answerWithin).toMatchObject({ n: 3, unit: 'day' });
    expect(w.committee).toMatchObject({ minSize: 5, odd: true, expertShare: { num: 2, den: 3 } });
    expect(w.deposit).toMatchObject({ capPercent: 2, base: 'estimate', cashAllowed: true });
    const g = POLICIES.gp_open_tender;
    expect(g.periods.documentsOnSale).toMatchObject({ n: 5, unit: 'working_day' });
    expect(g.deposit.cashAllowed).toBe(false);
    expect(g.objections.answerWithin).toMatchObject({ n: 7, unit: 'working_day' });
    expect(POLICIES.single_source.periods.minBidPeriod).toMatchObject({ n: 5, unit: 'working_day' });
    expect(POLICIES.inquiry.negotiationRounds.value).toBe(false);
    expect(POLICIES.competitive_negotiation.negotiationRounds.value).toBe(true);
    expect(POLICIES.works_invited_tender.announcements.publish).toBeNull();
    expect(POLICIES.works_invited_tender.minInvited?.value).toBe(3);
  });
});

describe('deadline engine', () => {
  it('needs 20 days for a works tender: issued Tue 2026-09-01 → Mon 09-21 at the earliest', () => {
    const p = POLICIES.works_open_tender;
    expect(earliestBidDeadlineDay(cal, p, bj('2026-09-01T09:00:00'))).toBe('2026-09-21');
    expect(bidDeadlineProblem(cal, p, bj('2026-09-01T09:00:00'), bj('2026-09-21T09:30:00'))).toBeNull();
    expect(bidDeadlineProblem(cal, p, bj('2026-09-01T09:00:00'), bj('2026-09-20T23:00:00'))).toEqual({ earliest: '2026-09-21' });
  });

  it('takes the later of the bidding and sale periods: 5 工作日 of sale outlast 10 日 over National Day', () => {
    const p = POLICIES.competitive_consultation;
    // From 09-30: 10 日 → 10-10 (调休 Saturday, a working day); 5 工作日 → 10-08, 09, 10, 12, 13.
    expect(earliestBidDeadlineDay(cal, p, bj('2026-09-30T10:00:00'))).toBe('2026-10-13');
  });

  it('moves the deadline of a late clarification across National Day 2026 (条例 21)', () => {
    const p = POLICIES.works_open_tender;
    const deadline = bj('2026-09-24T09:30:00');
    expect(deadlineAfterClarification(cal, p, bj('2026-09-09T16:00:00'), deadline)).toBeNull(); // exactly 15 days before
    // 09-16 + 15 days = 10-01, a holiday; 10-01..07 rest → Thursday 10-08, same hour.
    expect(deadlineAfterClarification(cal, p, bj('2026-09-16T10:00:00'), deadline)?.toISOString()).toBe('2026-10-08T01:30:00.000Z');
    // A negotiation counts 工作日: 3 working days from Wed 09-30 → 10-08, 09, 10 (调休 Saturday).
    expect(
      deadlineAfterClarification(
        cal,
        POLICIES.competitive_negotiation,
        bj('2026-09-30T10:00:00'),
        bj('2026-10-01T09:30:00'),
      )?.toISOString(),
    ).toBe('2026-10-10T01:30:00.000Z');
    expect(deadlineAfterClarification(cal, POLICIES.single_source, bj('2026-09-30T10:00:00'), bj('2026-10-01T09:30:00'))).toBeNull();
  });

  it('closes works objections 10 days before the deadline and GP 质疑 7 工作日 after obtaining', () => {
    const deadline = bj('2026-10-08T09:30:00');
    expect(objectionClosesAt(cal, POLICIES.works_open_tender, deadline, bj('2026-09-02T10:00:00')).toISOString()).toBe(
      '2026-09-28T16:00:00.000Z',
    );
    // Obtained Mon 09-14: 7 working days → 09-15..18, the 调休 Sunday 09-20, 09-21, 09-22 = 09-22 24:00.
    expect(objectionClosesAt(cal, POLICIES.gp_open_tender, deadline, bj('2026-09-14T10:00:00')).toISOString()).toBe(
      '2026-09-22T16:00:00.000Z',
    );
    // …but never beyond the deadline.
    expect(objectionClosesAt(cal, POLICIES.gp_open_tender, deadline, bj('2026-09-30T10:00:00')).toISOString()).toBe(deadline.toISOString());
  });

  it('gives a works objection 3 days to answer, ending on the 调休 Sunday 2026-09-20', () => {
    expect(objectionAnswerDue(cal, POLICIES.works_open_tender, bj('2026-09-17T10:00:00')).toISOString()).toBe('2026-09-20T16:00:00.000Z');
  });

  it('gives back the remaining days when a pause ran over the deadline', () => {
    const deadline = bj('2026-10-08T09:30:00');
    expect(deadlineAfterPause(cal, bj('2026-09-22T10:00:00'), bj('2026-10-07T10:00:00'), deadline)).toBeNull();
    // Paused 09-22 with 16 days left; answered 10-09 → 10-25 is a Sunday → Monday 10-26.
    expect(deadlineAfterPause(cal, bj('2026-09-22T10:00:00'), bj('2026-10-09T10:00:00'), deadline)?.toISOString()).toBe(
      '2026-10-26T01:30:00.000Z',
    );
  });

  it('refuses to compute in a year without holiday data', () => {
    expect(() => earliestBidDeadlineDay(cal, POLICIES.works_open_tender, bj('2031-03-01T09:00:00'))).toThrow(/2031/);
  });

  it('caps deposits and checks committees', () => {
    expect(depositCapFen(POLICIES.works_open_tender, 3_000_000_00)).toBe(6_000_000);
    expect(depositCapFen(POLICIES.works_open_tender, 199)).toBe(3);
    expect(committeeProblems(POLICIES.works_open_tender, 5, 4)).toEqual([]);
    expect(committeeProblems(POLICIES.works_open_tender, 4, 3)).toEqual(['size', 'odd']);
    expect(committeeProblems(POLICIES.works_open_tender, 7, 4)).toEqual(['experts']);
    expect(committeeProblems(POLICIES.inquiry, 3, 2)).toEqual([]);
  });
});

describe('local overrides', () => {
  const w = POLICIES.works_open_tender;
  it('accepts stricter values and records both bases', () => {
    expect(overrideProblem(w, { key: 'periods.minBidPeriod', n: 25, unit: 'day', basis: '某市规定' })).toBeNull();
    expect(overrideProblem(w, { key: 'periods.minBidPeriod', n: 20, unit: 'working_day', basis: 'x' })).toBeNull();
    const g = POLICIES.gp_open_tender;
    expect(overrideProblem(g, { key: 'periods.refundLosers', n: 3, unit: 'working_day', basis: '赤峰承诺' })).toBeNull();
    const applied = applyOverrides(g, [
      { key: 'periods.refundLosers', n: 3, unit: 'working_day', basis: '赤峰承诺' },
      { key: 'deposit.capPercent', n: 1, basis: '本地' },
    ]);
    expect(applied.periods.refundLosers).toMatchObject({ n: 3, unit: 'working_day' });
    expect(applied.periods.refundLosers.basis).toContain('政府采购法实施条例 第三十三条');
    expect(applied.deposit.capPercent).toBe(1);
    expect(g.deposit.capPercent).toBe(2); // the base is untouched
  });
  it('refuses looser values and ones not provably stricter', () => {
    expect(overrideProblem(w, { key: 'periods.minBidPeriod', n: 15, unit: 'day', basis: 'x' })).not.toBeNull();
    expect(overrideProblem(w, { key: 'periods.clarificationLead', n: 15, unit: 'day', basis: 'x' })).toBeNull();
    // 3 工作日 against 5 日 could be longer over Spring Festival: not provably stricter.
    expect(overrideProblem(w, { key: 'periods.refundLosers', n: 3, unit: 'working_day', basis: 'x' })).not.toBeNull();
    expect(overrideProblem(w, { key: 'deposit.capPercent', n: 3, basis: 'x' })).not.toBeNull();
    expect(overrideProblem(w, { key: 'minBidders', n: 2, basis: 'x' })).not.toBeNull();
    expect(overrideProblem(POLICIES.gp_open_tender, { key: 'deposit.cashAllowed', flag: true, basis: 'x' })).not.toBeNull();
    expect(overrideProblem(w, { key: 'objections.leadBeforeDeadline', n: 12, unit: 'day', basis: 'x' })).not.toBeNull();
    expect(overrideProblem(w, { key: 'periods.awardWithinOfReport', n: 3, unit: 'day', basis: 'x' })).not.toBeNull();
  });
});
