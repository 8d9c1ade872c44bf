import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors';
import { builtinCalendar } from './index';
import { endOfShanghaiDay, shanghaiDate, WorkingCalendar } from './core';

const cal = builtinCalendar();
/** An instant given in Beijing time, e.g. at('2026-09-30 10:00'). */
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Asia/Shanghai dates', () => {
  it('takes the Beijing date of an instant and ends a day at 24:00 Beijing time', () => {
    expect(shanghaiDate(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
    expect(shanghaiDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(endOfShanghaiDay('2026-10-10').toISOString()).toBe('2026-10-10T16:00:00.000Z');
  });
});

describe('National Day 2026 (Oct 1–7 rest; Sun Sep 20 and Sat Oct 10 are 调休 working days)', () => {
  it('knows which days are worked', () => {
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay('2026-09-20')).toBe(true); // Sunday, worked
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, worked
    expect(cal.isWorkingDay('2026-10-11')).toBe(false); // ordinary Sunday
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.dayInfo('2026-10-03')).toMatchObject({ name: '国庆节', isOffDay: true });
  });

  it('counts the 调休 Saturday in a working-day period', () => {
    // Start day Sep 30 not counted; Oct 8, Oct 9, Oct 10 (Saturday, worked) are the three working days.
    expect(cal.workingDayDeadline(at('2026-09-30 10:00'), 3).toISOString()).toBe('2026-10-10T16:00:00.000Z');
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(cal.workingDaysBetween('2026-10-10', '2026-09-30')).toBe(-3);
    expect(cal.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
  });

  it('uses the Beijing date of the start instant, not the UTC date', () => {
    // 2026-09-30T17:00Z is 01:00 on Oct 1 in Beijing: the start day is Oct 1, so one working day ends on Oct 8.
    expect(cal.workingDayDeadline(new Date('2026-09-30T17:00:00Z'), 1).toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(cal.workingDayDeadline(new Date('2026-09-30T15:00:00Z'), 1).toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(cal.workingDayDeadline(at('2026-09-29 09:00'), 1).toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });

  it('moves a calendar-day period ending in the holiday to the next working day (民法典 203)', () => {
    // 7 days from Sep 24 → Oct 1, a holiday → the period runs to Oct 8.
    expect(cal.calendarDayDeadline(at('2026-09-24 15:00'), 7).toISOString()).toBe('2026-10-08T16:00:00.000Z');
    // 7 days from Oct 3 → Oct 10, a worked Saturday → it ends that day.
    expect(cal.calendarDayDeadline(at('2026-10-03 15:00'), 7).toISOString()).toBe('2026-10-10T16:00:00.000Z');
    // Plain weekend: 5 days from Monday Nov 2 → Saturday Nov 7 → Monday Nov 9.
    expect(cal.calendarDayDeadline(at('2026-11-02 09:00'), 5).toISOString()).toBe('2026-11-09T16:00:00.000Z');
    // A working last day is not moved.
    expect(cal.calendarDayDeadline(at('2026-11-02 09:00'), 3).toISOString()).toBe('2026-11-05T16:00:00.000Z');
  });
});

describe('Spring Festival 2026 (Feb 15–23 rest; Sat Feb 14 and Sat Feb 28 worked)', () => {
  it('counts the worked Saturday and skips the nine days of rest', () => {
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-23')).toBe(false); // a Monday inside the holiday
    expect(cal.workingDayDeadline(at('2026-02-13 16:00'), 1).toISOString()).toBe('2026-02-14T16:00:00.000Z');
    expect(cal.workingDayDeadline(at('2026-02-13 16:00'), 2).toISOString()).toBe('2026-02-24T16:00:00.000Z');
    // 5 working days from Feb 12: 13, 14 (Sat), 24, 25, 26.
    expect(cal.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    expect(cal.workingDaysBetween('2026-02-12', '2026-03-01')).toBe(7); // 13, 14, 24, 25, 26, 27, 28 (Sat)
  });
});

describe('year boundaries and missing years', () => {
  it('crosses from 2025 into 2026 through 元旦 and its worked Sunday', () => {
    // Dec 31 (Wed) 1; Jan 1–3 rest; Jan 4 (Sunday, worked) 2; Jan 5 (Mon) 3.
    expect(cal.workingDayDeadline(at('2025-12-30 11:00'), 3).toISOString()).toBe('2026-01-05T16:00:00.000Z');
    // Days that spill over into the previous year's notice are filed under their own year: 2018-12-29 was worked.
    expect(cal.isWorkingDay('2018-12-29')).toBe(true);
    expect(cal.isWorkingDay('2018-12-31')).toBe(false);
  });

  it('refuses a period that reaches a year without data, naming the year in both languages', () => {
    expect(cal.years.has(2027)).toBe(false);
    const e = refusal(() => cal.workingDayDeadline(at('2026-12-28 10:00'), 5));
    expect(e.code).toBe('CALENDAR_YEAR_UNKNOWN');
    expect(e.zh).toContain('2027');
    expect(e.en).toContain('2027');
    expect(refusal(() => cal.calendarDayDeadline(at('2026-12-25 10:00'), 10)).code).toBe('CALENDAR_YEAR_UNKNOWN');
    expect(refusal(() => cal.isWorkingDay('2014-06-03')).zh).toContain('2014');
    // The same period that stays inside 2026 is fine.
    expect(cal.workingDayDeadline(at('2026-12-28 10:00'), 3).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('does not guess a weekend into a known year from a calendar that lacks it', () => {
    const only2026 = new WorkingCalendar([2026], []);
    expect(refusal(() => only2026.addWorkingDays('2026-12-31', 1)).code).toBe('CALENDAR_YEAR_UNKNOWN');
  });

  it('rejects nonsense period lengths', () => {
    expect(() => cal.workingDayDeadline(at('2026-11-02 09:00'), 0)).toThrow(RangeError);
    expect(() => cal.calendarDayDeadline(at('2026-11-02 09:00'), 1.5)).toThrow(RangeError);
  });
});
