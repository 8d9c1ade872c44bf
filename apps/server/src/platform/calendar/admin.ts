/**
 * Administrators' changes to the calendar. Each is one transaction that locks the year's row, writes the change,
 * bumps the year's generation (so every node's cache reloads) and records a ledger entry and an outbox event: a
 * deadline computed from the calendar can always be traced back to the calendar as it stood.
 */
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/database';
import { AppError, Errors } from '../http/errors';
import { recordLedger } from '../ledger/append';
import { emitEvent } from '../outbox/emit';
import { isCalendarDate, isWeekend, yearOf, type CalendarDate, type SpecialDay } from './core';
import './calendar.tables';

export interface CalendarYearSummary {
  year: number;
  source: 'builtin' | 'import';
  offDays: number;
  workingWeekends: number;
  updatedAt: Date;
}

export interface CalendarDayView extends SpecialDay {
  source: 'official' | 'admin';
}

export function yearNotFound(year: number): AppError {
  return new AppError('CALENDAR_YEAR_UNKNOWN', 404, `工作日历没有 ${year} 年的数据`, `The working-day calendar has no data for ${year}`, 'year', { year });
}

export async function listYears(db: DbOrTx): Promise<CalendarYearSummary[]> {
  const rows = await db
    .selectFrom('calendar_years as y')
    .leftJoin('calendar_days as d', 'd.year', 'y.year')
    .select([
      'y.year',
      'y.source',
      'y.updated_at',
      sql<number>`count(d.date) FILTER (WHERE d.is_off_day)::int`.as('off_days'),
      sql<number>`count(d.date) FILTER (WHERE NOT d.is_off_day)::int`.as('working_weekends'),
    ])
    .groupBy(['y.year', 'y.source', 'y.updated_at'])
    .orderBy('y.year')
    .execute();
  return rows.map((r) => ({ year: r.year, source: r.source, offDays: r.off_days, workingWeekends: r.working_weekends, updatedAt: r.updated_at }));
}

export async function getYear(db: DbOrTx, year: number): Promise<{ year: number; source: 'builtin' | 'import'; updatedAt: Date; days: CalendarDayView[] }> {
  const y = await db.selectFrom('calendar_years').select(['year', 'source', 'updated_at']).where('year', '=', year).executeTakeFirst();
  if (!y) throw yearNotFound(year);
  const days = await db.selectFrom('calendar_days').select(['date', 'name', 'is_off_day', 'source']).where('year', '=', year).orderBy('date').execute();
  return { year: y.year, source: y.source, updatedAt: y.updated_at, days: days.map((d) => ({ date: d.date, name: d.name, isOffDay: d.is_off_day, source: d.source })) };
}

/** Checks shared by single edits and imports. A working-day entry on a weekday would mean nothing: refuse it. */
function validateDay(year: number, d: { date: string; isOffDay: boolean; name: string }, field: string): void {
  if (!isCalendarDate(d.date) || yearOf(d.date) !== year) {
    throw Errors.validation(field, `${d.date} 不是 ${year} 年的有效日期`, `${d.date} is not a valid date in ${year}`, 'CALENDAR_DATE_INVALID');
  }
  if (!d.isOffDay && !isWeekend(d.date)) {
    throw Errors.validation(field, `${d.date} 是工作日（周一至周五），无需标为调休上班日`, `${d.date} is a weekday; only a weekend can be marked as an adjusted working day`, 'CALENDAR_DAY_REDUNDANT');
  }
  if (d.name.trim().length === 0) throw Errors.validation('name', '请填写节日名称', 'Give the holiday a name');
}

async function lockYear(trx: DbOrTx, year: number) {
  const y = await trx.selectFrom('calendar_years').select(['year']).where('year', '=', year).forUpdate().executeTakeFirst();
  if (!y) throw yearNotFound(year);
}

async function touchYear(trx: DbOrTx, year: number, actorId: string, now: Date) {
  await trx.updateTable('calendar_years').set({ generation: sql`gen_random_uuid()`, updated_at: now, updated_by: actorId }).where('year', '=', year).execute();
}

/** Set one day to a rest day or an adjusted working day, with the holiday's name. */
export async function setDay(db: Db, actorId: string, year: number, date: CalendarDate, input: { isOffDay: boolean; name: string }, now: Date): Promise<CalendarDayView> {
  const day = { date, isOffDay: input.isOffDay, name: input.name.trim() };
  validateDay(year, day, 'date');
  return db.transaction().execute(async (trx) => {
    await lockYear(trx, year);
    const before = await trx.selectFrom('calendar_days').select(['is_off_day', 'name', 'source']).where('date', '=', date).executeTakeFirst();
    await trx
      .insertInto('calendar_days')
      .values({ date, year, is_off_day: day.isOffDay, name: day.name, source: 'admin', updated_at: now })
      .onConflict((oc) => oc.column('date').doUpdateSet({ is_off_day: day.isOffDay, name: day.name, source: 'admin', updated_at: now }))
      .execute();
    await touchYear(trx, year, actorId, now);
    const previous = before ? { isOffDay: before.is_off_day, name: before.name, source: before.source } : null;
    await recordLedger(trx, { type: 'calendar.day_set', subjectType: 'calendar_year', subjectId: String(year), actorId, payload: { date, isOffDay: day.isOffDay, name: day.name, previous } }, now);
    await emitEvent(trx, { type: 'calendar.changed', payload: { year, date } }, now);
    return { ...day, source: 'admin' as const };
  });
}

/** Remove a day's entry: it goes back to the weekly rule (Mon–Fri work, Sat–Sun rest). */
export async function clearDay(db: Db, actorId: string, year: number, date: CalendarDate, now: Date): Promise<void> {
  if (!isCalendarDate(date) || yearOf(date) !== year) {
    throw Errors.validation('date', `${date} 不是 ${year} 年的有效日期`, `${date} is not a valid date in ${year}`, 'CALENDAR_DATE_INVALID');
  }
  await db.transaction().execute(async (trx) => {
    await lockYear(trx, year);
    const removed = await trx.deleteFrom('calendar_days').where('date', '=', date).returning(['is_off_day', 'name', 'source']).executeTakeFirst();
    if (!removed) throw Errors.notFound(`Calendar entry ${date}`, `日历条目 ${date} `);
    await touchYear(trx, year, actorId, now);
    await recordLedger(trx, { type: 'calendar.day_cleared', subjectType: 'calendar_year', subjectId: String(year), actorId, payload: { date, previous: { isOffDay: removed.is_off_day, name: removed.name, source: removed.source } } }, now);
    await emitEvent(trx, { type: 'calendar.changed', payload: { year, date } }, now);
  });
}

/**
 * Import a year's list (the State Council's notice for a new year). A year already present is refused with
 * CALENDAR_YEAR_EXISTS unless `replace` is set, in which case its days are replaced wholesale.
 */
export async function importYear(db: Db, actorId: string, year: number, input: { days: { date: string; isOffDay: boolean; name: string }[]; replace?: boolean }, now: Date): Promise<{ year: number; days: number; replaced: boolean }> {
  const seen = new Set<string>();
  const days = input.days.map((d, i) => {
    const day = { date: d.date, isOffDay: d.isOffDay, name: d.name.trim() };
    validateDay(year, day, `days.${i}.date`);
    if (seen.has(day.date)) throw Errors.validation(`days.${i}.date`, `日期 ${day.date} 重复`, `Date ${day.date} is listed twice`, 'CALENDAR_DATE_DUPLICATE');
    seen.add(day.date);
    return day;
  });
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('calendar_years').select('year').where('year', '=', year).forUpdate().executeTakeFirst();
    if (existing && !input.replace) {
      throw Errors.conflict('CALENDAR_YEAR_EXISTS', `${year} 年的日历已存在；如需整体替换请设置 replace`, `The ${year} calendar already exists; set replace to overwrite it`, 'year');
    }
    if (existing) {
      await trx.deleteFrom('calendar_days').where('year', '=', year).execute();
      await touchYear(trx, year, actorId, now);
    } else {
      await trx.insertInto('calendar_years').values({ year, source: 'import', created_at: now, updated_at: now, updated_by: actorId }).execute();
    }
    if (days.length > 0) {
      await trx
        .insertInto('calendar_days')
        .values(days.map((d) => ({ date: d.date, year, is_off_day: d.isOffDay, name: d.name, source: 'official' as const, updated_at: now })))
        .execute();
    }
    const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
    await recordLedger(trx, { type: 'calendar.year_imported', subjectType: 'calendar_year', subjectId: String(year), actorId, payload: { year, replaced: !!existing, days: sorted } }, now);
    await emitEvent(trx, { type: 'calendar.changed', payload: { year } }, now);
    return { year, days: days.length, replaced: !!existing };
  });
}
