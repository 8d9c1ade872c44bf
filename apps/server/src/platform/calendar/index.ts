/**
 * Working-day calendar (issue 2 §7; DOMAIN §3 "Periods"). Import from here only.
 *
 * Deadlines — use these from commands, passing the transaction you are in:
 *   workingDayDeadline(db, start, n)   period of n 工作日 starting at instant `start`
 *   calendarDayDeadline(db, start, n)  period of n 日 starting at instant `start`
 * Both follow 民法典 201–203 (start day not counted; a period ending on a rest day runs to the next working day;
 * it ends at 24:00 Asia/Shanghai, fixed UTC+08:00) and throw AppError CALENDAR_YEAR_UNKNOWN (HTTP 422) when the
 * period touches a year the calendar has no data for — never a guess.
 *
 * Calendar-date helpers (dates are 'YYYY-MM-DD' in Asia/Shanghai): isWorkingDay, addWorkingDays,
 * workingDaysBetween, shanghaiDate, endOfShanghaiDay. For many computations at once, `loadCalendar(db)` returns the
 * pure `WorkingCalendar` with the same methods, synchronous.
 */
export {
  addWorkingDays,
  calendarDayDeadline,
  ensureCalendarSeeded,
  isWorkingDay,
  loadCalendar,
  workingDayDeadline,
  workingDaysBetween,
} from './service';
export {
  WorkingCalendar,
  addDays,
  calendarYearUnknown,
  endOfShanghaiDay,
  isCalendarDate,
  shanghaiDate,
  SHANGHAI_OFFSET_MS,
  type CalendarDate,
  type SpecialDay,
} from './core';
export { clearDay, getYear, importYear, listYears, setDay, type CalendarDayView, type CalendarYearSummary } from './admin';

import { WorkingCalendar } from './core';
import { HOLIDAYS } from './holidays.data';

/** The calendar exactly as shipped in holidays.data.ts, without administrators' edits (tools, unit tests). */
export function builtinCalendar(): WorkingCalendar {
  return WorkingCalendar.fromData(HOLIDAYS);
}
