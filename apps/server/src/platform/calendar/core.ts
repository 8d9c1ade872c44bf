/**
 * Working-day calendar: pure functions, no database. The DB-backed service (service.ts) builds a `WorkingCalendar`
 * from the calendar tables; unit tests and tools can build one straight from the data file.
 *
 * Time zone: all dates are calendar dates in China Standard Time (Asia/Shanghai). China has observed no daylight
 * saving time since 1991, so Asia/Shanghai is UTC+08:00 all year and we convert with a fixed offset instead of
 * depending on the host's tz database.
 *
 * Period rules (民法典 第二百零一条至第二百零三条): the day on which a period starts is not counted, counting begins on
 * the next day; a period whose last day is a statutory rest day ends on the first day after the rest; a period ends
 * at 24:00 of its last day.
 */
import { AppError } from '../http/errors';

/** A calendar date 'YYYY-MM-DD' (no time zone: it is a day in Asia/Shanghai). */
export type CalendarDate = string;

/** One holiday of one year in the compact data file: [name, rest days, 调休 working days], dates 'MM-DD' or 'MM-DD~MM-DD'. */
export type HolidayRow = readonly [name: string, off: string, work: string];

/** A day that differs from the plain rule "Monday–Friday work, Saturday–Sunday rest", or that carries a holiday name. */
export interface SpecialDay {
  date: CalendarDate;
  name: string;
  /** true: a rest day (holiday); false: a working day (调休 weekend). */
  isOffDay: boolean;
}

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `s` a real calendar date 'YYYY-MM-DD' (rejects 2026-02-30)? */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === s;
}

function utcMidnight(date: CalendarDate): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: CalendarDate, n: number): CalendarDate {
  return new Date(utcMidnight(date) + n * DAY_MS).toISOString().slice(0, 10);
}

export function yearOf(date: CalendarDate): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CalendarDate): number {
  return new Date(utcMidnight(date)).getUTCDay();
}

export function isWeekend(date: CalendarDate): boolean {
  const d = weekdayOf(date);
  return d === 0 || d === 6;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): CalendarDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** 24:00 Asia/Shanghai of `date`, i.e. 00:00 of the next day, as an instant (16:00 UTC of `date`). */
export function endOfShanghaiDay(date: CalendarDate): Date {
  return new Date(utcMidnight(date) + DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Expand one year's compact rows from the data file into days. */
export function expandHolidayRows(year: number, rows: readonly HolidayRow[]): SpecialDay[] {
  const out: SpecialDay[] = [];
  const expand = (spec: string, name: string, isOffDay: boolean) => {
    for (const part of spec.split(/\s+/).filter(Boolean)) {
      const [a, b = a] = part.split('~') as [string, string?];
      const from = `${year}-${a}`;
      const to = `${year}-${b}`;
      if (!isCalendarDate(from) || !isCalendarDate(to) || to < from) throw new Error(`bad holiday data ${year} ${name}: ${part}`);
      for (let d = from; d <= to; d = addDays(d, 1)) out.push({ date: d, name, isOffDay });
    }
  };
  for (const [name, off, work] of rows) {
    expand(off, name, true);
    expand(work, name, false);
  }
  return out.sort((x, y) => x.date.localeCompare(y.date));
}

export function calendarYearUnknown(year: number): AppError {
  return new AppError(
    'CALENDAR_YEAR_UNKNOWN',
    422,
    `工作日历没有 ${year} 年的节假日数据，无法计算期限；请管理员先导入 ${year} 年的国务院节假日安排`,
    `The working-day calendar has no holiday data for ${year}, so the period cannot be computed; an administrator must import the ${year} holiday arrangement first`,
    undefined,
    { year },
  );
}

function assertCount(n: number): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`a period length must be an integer, got ${n}`);
}

/**
 * The calendar for the years it knows. Days of those years not listed as special follow the weekly rule; a date in
 * any other year makes every function refuse with CALENDAR_YEAR_UNKNOWN rather than guess.
 */
export class WorkingCalendar {
  private readonly special = new Map<CalendarDate, SpecialDay>();
  readonly years: ReadonlySet<number>;

  constructor(years: Iterable<number>, days: Iterable<SpecialDay>) {
    this.years = new Set(years);
    for (const d of days) this.special.set(d.date, d);
  }

  /** Build from the compact data file's shape (`HOLIDAYS`). */
  static fromData(data: Readonly<Record<number, readonly HolidayRow[]>>): WorkingCalendar {
    const years = Object.keys(data).map(Number);
    return new WorkingCalendar(
      years,
      years.flatMap((y) => expandHolidayRows(y, data[y]!)),
    );
  }

  assertKnown(date: CalendarDate): void {
    const y = yearOf(date);
    if (!this.years.has(y)) throw calendarYearUnknown(y);
  }

  /** The holiday entry for a date, if any. */
  dayInfo(date: CalendarDate): SpecialDay | undefined {
    this.assertKnown(date);
    return this.special.get(date);
  }

  /** A working day: a listed 调休 working day, or a Monday–Friday that is not a listed rest day. */
  isWorkingDay(date: CalendarDate): boolean {
    this.assertKnown(date);
    const s = this.special.get(date);
    return s ? !s.isOffDay : !isWeekend(date);
  }

  /**
   * The date n working days after `date` (the start date itself is not counted). n = 0 returns `date`; a negative n
   * counts backwards (the date that lies |n| working days before `date`).
   */
  addWorkingDays(date: CalendarDate, n: number): CalendarDate {
    assertCount(n);
    this.assertKnown(date);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let d = date;
    while (left > 0) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** The first working day on or after `date`. */
  nextWorkingDayFrom(date: CalendarDate): CalendarDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /**
   * Working days in the half-open interval (from, to]: `from` is not counted, `to` is (the way a period counts).
   * Negative when `to` is before `from`.
   */
  workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
    if (to < from) return -this.workingDaysBetween(to, from);
    this.assertKnown(from);
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }

  /**
   * End of a period of n working days starting at instant `start` (民法典 201, 203): the start day is not counted,
   * the period ends at 24:00 Asia/Shanghai of its n-th working day. n must be ≥ 1.
   */
  workingDayDeadline(start: Date, n: number): Date {
    assertCount(n);
    if (n < 1) throw new RangeError(`a period needs at least one day, got ${n}`);
    return endOfShanghaiDay(this.addWorkingDays(shanghaiDate(start), n));
  }

  /**
   * End of a period of n calendar days starting at instant `start` (民法典 201, 203): the start day is not counted;
   * when the n-th day is a rest day (weekend or holiday, 调休 working weekends excepted) the period runs to the next
   * working day; it ends at 24:00 Asia/Shanghai. n must be ≥ 1.
   */
  calendarDayDeadline(start: Date, n: number): Date {
    assertCount(n);
    if (n < 1) throw new RangeError(`a period needs at least one day, got ${n}`);
    const first = shanghaiDate(start);
    this.assertKnown(first);
    return endOfShanghaiDay(this.nextWorkingDayFrom(addDays(first, n)));
  }
}
