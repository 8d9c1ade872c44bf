import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { calendarDayDeadline, ensureCalendarSeeded, workingDayDeadline } from '../../platform/calendar/index';

describeEngines('working-day calendar API', (engine) => {
  let t: TestApp;
  let admin: Session;
  let bidder: Session;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedAccount(t.ctx, { username: 'cal-admin', roles: [{ role: 'admin' }] });
    await seedAccount(t.ctx, { username: 'cal-bidder', roles: [{ role: 'bidder' }], org: { name: '厦门日历测试有限公司', uscc: '91350200MA2CAL0001' } });
    admin = await login(t.app, 'cal-admin');
    bidder = await login(t.app, 'cal-bidder');
  });
  afterAll(() => t.close());

  it('publishes the years with data and a year\'s holidays to anyone', async () => {
    const years = await t.app.inject('/api/calendar/years');
    expect(years.statusCode).toBe(200);
    const list = years.json<{ items: { year: number }[] }>().items.map((y) => y.year);
    expect(list).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    const y2026 = await t.app.inject('/api/calendar/2026');
    expect(y2026.statusCode).toBe(200);
    const days = y2026.json<{ days: { date: string; name: string; isOffDay: boolean }[] }>().days;
    expect(days).toContainEqual(expect.objectContaining({ date: '2026-10-01', name: '国庆节', isOffDay: true }));
    expect(days).toContainEqual(expect.objectContaining({ date: '2026-09-20', name: '国庆节', isOffDay: false }));
    const missing = await t.app.inject('/api/calendar/2027');
    expect(missing.statusCode).toBe(404);
    expect(problem(missing).code).toBe('CALENDAR_YEAR_UNKNOWN');
  });

  it('computes a deadline for anyone, and refuses a year without data', async () => {
    const q = (start: string, days: number, unit: string) => t.app.inject(`/api/calendar/deadline?start=${encodeURIComponent(start)}&days=${days}&unit=${unit}`);
    const w = await q('2026-09-30T10:00:00+08:00', 3, 'working');
    expect(w.statusCode).toBe(200);
    expect(w.json()).toEqual({ start: '2026-09-30T02:00:00.000Z', days: 3, unit: 'working', deadline: '2026-10-10T16:00:00.000Z' });
    expect((await q('2026-09-24T15:00:00+08:00', 7, 'calendar')).json().deadline).toBe('2026-10-08T16:00:00.000Z');
    const refused = await q('2026-12-20T10:00:00+08:00', 20, 'working');
    expect(refused.statusCode).toBe(422);
    expect(problem(refused)).toMatchObject({ code: 'CALENDAR_YEAR_UNKNOWN' });
    expect(problem(refused).message.en).toContain('2027');
    expect(problem(await q('yesterday', 3, 'working')).code).toBe('VALIDATION_FAILED');
  });

  it('lets only administrators edit', async () => {
    const anon = await t.app.inject({ method: 'PUT', url: '/api/calendar/2026/days/2026-11-03', payload: { isOffDay: true, name: '临时休息日' } });
    expect(anon.statusCode).toBe(401);
    const res = await bidder.put('/api/calendar/2026/days/2026-11-03', { isOffDay: true, name: '临时休息日' });
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('FORBIDDEN_ROLE');
    const imp = await bidder.post('/api/calendar/2027', { days: [{ date: '2027-01-01', isOffDay: true, name: '元旦' }] });
    expect(imp.statusCode).toBe(403);
    // Nothing changed: Tuesday Nov 3 is still a working day.
    expect((await workingDayDeadline(t.ctx.db, new Date('2026-11-02T01:00:00Z'), 1)).toISOString()).toBe('2026-11-03T16:00:00.000Z');
  });

  it('applies an admin edit to the next computation, ledgers it, and can undo it', async () => {
    const start = new Date('2026-11-02T01:00:00Z'); // Monday 09:00 Beijing
    expect((await workingDayDeadline(t.ctx.db, start, 1)).toISOString()).toBe('2026-11-03T16:00:00.000Z');
    const res = await admin.put('/api/calendar/2026/days/2026-11-03', { isOffDay: true, name: '临时休息日' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ date: '2026-11-03', isOffDay: true, name: '临时休息日', source: 'admin' });
    expect((await workingDayDeadline(t.ctx.db, start, 1)).toISOString()).toBe('2026-11-04T16:00:00.000Z');
    // A calendar-day period ending on the new rest day moves to the next working day.
    expect((await calendarDayDeadline(t.ctx.db, start, 1)).toISOString()).toBe('2026-11-04T16:00:00.000Z');
    const entry = await t.ctx.db.selectFrom('ledger_entries').selectAll().where('type', '=', 'calendar.day_set').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ subject_type: 'calendar_year', subject_id: '2026' });
    expect(entry.payload).toMatchObject({ date: '2026-11-03', isOffDay: true, previous: null });
    // Restarting does not overwrite the edit.
    expect(await ensureCalendarSeeded(t.ctx.db)).toEqual([]);
    expect((await workingDayDeadline(t.ctx.db, start, 1)).toISOString()).toBe('2026-11-04T16:00:00.000Z');

    const del = await admin.delete('/api/calendar/2026/days/2026-11-03');
    expect(del.statusCode).toBe(204);
    expect((await workingDayDeadline(t.ctx.db, start, 1)).toISOString()).toBe('2026-11-03T16:00:00.000Z');
    expect(problem(await admin.delete('/api/calendar/2026/days/2026-11-03')).code).toBe('NOT_FOUND');
  });

  it('refuses edits that make no sense', async () => {
    const weekday = await admin.put('/api/calendar/2026/days/2026-11-04', { isOffDay: false, name: '调休' });
    expect(weekday.statusCode).toBe(400);
    expect(problem(weekday).code).toBe('CALENDAR_DAY_REDUNDANT');
    const wrongYear = await admin.put('/api/calendar/2026/days/2025-11-04', { isOffDay: true, name: 'x' });
    expect(problem(wrongYear).code).toBe('CALENDAR_DATE_INVALID');
    const noDay = await admin.put('/api/calendar/2026/days/2026-02-30', { isOffDay: true, name: 'x' });
    expect(problem(noDay).code).toBe('CALENDAR_DATE_INVALID');
    const unknown = await admin.put('/api/calendar/2030/days/2030-01-01', { isOffDay: true, name: '元旦' });
    expect(unknown.statusCode).toBe(404);
    expect(problem(unknown).code).toBe('CALENDAR_YEAR_UNKNOWN');
  });

  it('refuses a period into 2027 until 2027 is imported, then computes across the year boundary', async () => {
    const start = new Date('2026-12-28T02:00:00Z'); // Monday 10:00 Beijing
    await expect(workingDayDeadline(t.ctx.db, start, 5)).rejects.toMatchObject({ code: 'CALENDAR_YEAR_UNKNOWN', details: { year: 2027 } });
    const days = [
      { date: '2027-01-01', isOffDay: true, name: '元旦' },
      { date: '2027-01-02', isOffDay: true, name: '元旦' },
      { date: '2027-01-03', isOffDay: true, name: '元旦' },
    ];
    const imp = await admin.post('/api/calendar/2027', { days });
    expect(imp.statusCode).toBe(201);
    expect(imp.json()).toEqual({ year: 2027, days: 3, replaced: false });
    // Dec 29, 30, 31; Jan 1–3 rest; Jan 4 (Mon), Jan 5 → the fifth working day is Jan 5.
    expect((await workingDayDeadline(t.ctx.db, start, 5)).toISOString()).toBe('2027-01-05T16:00:00.000Z');
    const again = await admin.post('/api/calendar/2027', { days });
    expect(again.statusCode).toBe(409);
    expect(problem(again).code).toBe('CALENDAR_YEAR_EXISTS');
    const replaced = await admin.post('/api/calendar/2027', { days: days.slice(0, 1), replace: true });
    expect(replaced.json()).toEqual({ year: 2027, days: 1, replaced: true });
    // Jan 2–3 are now an ordinary weekend, Jan 1 still rest: Dec 29, 30, 31, Jan 4, Jan 5 → still Jan 5; 4 days → Jan 4.
    expect((await workingDayDeadline(t.ctx.db, start, 4)).toISOString()).toBe('2027-01-04T16:00:00.000Z');
    const dup = await admin.post('/api/calendar/2028', { days: [days[0], days[0]].map((d) => ({ ...d!, date: '2028-01-01' })) });
    expect(problem(dup).code).toBe('CALENDAR_DATE_DUPLICATE');
    expect((await t.app.inject('/api/calendar/2028')).statusCode).toBe(404);
  });

  it('sees its own uncommitted edit inside a transaction', async () => {
    const start = new Date('2026-11-09T01:00:00Z'); // Monday
    await t.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('calendar_days').values({ date: '2026-11-10', year: 2026, is_off_day: true, name: '事务内', source: 'admin', updated_at: start }).execute();
      // The admin commands always bump the year's generation; that is what tells the cache to reload.
      await trx.updateTable('calendar_years').set({ generation: sql`gen_random_uuid()` }).where('year', '=', 2026).execute();
      expect((await workingDayDeadline(trx, start, 1)).toISOString()).toBe('2026-11-11T16:00:00.000Z');
      await trx.deleteFrom('calendar_days').where('date', '=', '2026-11-10').execute();
      await trx.updateTable('calendar_years').set({ generation: sql`gen_random_uuid()` }).where('year', '=', 2026).execute();
    });
    expect((await workingDayDeadline(t.ctx.db, start, 1)).toISOString()).toBe('2026-11-10T16:00:00.000Z');
  });
});
