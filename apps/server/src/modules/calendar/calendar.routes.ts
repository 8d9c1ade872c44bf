import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../../platform/auth/actor';
import { ProblemSchema } from '../../platform/http/schemas';
import { calendarDayDeadline, clearDay, getYear, importYear, listYears, setDay, workingDayDeadline } from '../../platform/calendar/index';

const Year = Type.Integer({ minimum: 1990, maximum: 2200 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const DayIn = Type.Object({ date: DateStr, isOffDay: Type.Boolean(), name: Name }, { additionalProperties: false });
const DayOut = Type.Object({ date: Type.String(), name: Type.String(), isOffDay: Type.Boolean(), source: Type.String() });
const YearParams = Type.Object({ year: Year });
const DayParams = Type.Object({ year: Year, date: DateStr });
const tags = ['calendar'];

export async function calendarRoutes(app: FastifyInstance) {
  const { db, clock } = app.ctx;

  app.get(
    '/api/calendar/years',
    {
      schema: {
        tags,
        summary: '工作日历：已有数据的年份 / Working-day calendar: years with data',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ year: Type.Integer(), source: Type.String(), offDays: Type.Integer(), workingWeekends: Type.Integer(), updatedAt: Type.String() })),
          }),
        },
      },
    },
    async () => ({ items: (await listYears(db)).map((y) => ({ ...y, updatedAt: y.updatedAt.toISOString() })) }),
  );

  app.get(
    '/api/calendar/deadline',
    {
      schema: {
        tags,
        summary: '计算期限截止时间（民法典 201–203）/ Compute when a period ends (Civil Code arts. 201–203)',
        querystring: Type.Object(
          {
            start: Type.String({ format: 'date-time', description: 'instant the period starts (ISO 8601)' }),
            days: Type.Integer({ minimum: 1, maximum: 366 }),
            unit: Type.Union([Type.Literal('working'), Type.Literal('calendar')], { description: 'working = 工作日, calendar = 日' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ start: Type.String(), days: Type.Integer(), unit: Type.String(), deadline: Type.String() }), 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (req) => {
      const q = req.query as { start: string; days: number; unit: 'working' | 'calendar' };
      const start = new Date(q.start);
      const deadline = q.unit === 'working' ? await workingDayDeadline(db, start, q.days) : await calendarDayDeadline(db, start, q.days);
      return { start: start.toISOString(), days: q.days, unit: q.unit, deadline: deadline.toISOString() };
    },
  );

  app.get(
    '/api/calendar/:year',
    {
      schema: {
        tags,
        summary: '工作日历：某年的节假日与调休 / Working-day calendar: holidays and adjusted working days of a year',
        params: YearParams,
        response: { 200: Type.Object({ year: Type.Integer(), source: Type.String(), updatedAt: Type.String(), days: Type.Array(DayOut) }), 404: ProblemSchema },
      },
    },
    async (req) => {
      const y = await getYear(db, (req.params as { year: number }).year);
      return { ...y, updatedAt: y.updatedAt.toISOString() };
    },
  );

  app.put(
    '/api/calendar/:year/days/:date',
    {
      schema: {
        tags,
        summary: '设置某日为休息日或调休上班日（管理员）/ Set a day as rest day or adjusted working day (admin)',
        params: DayParams,
        body: Type.Object({ isOffDay: Type.Boolean(), name: Name }, { additionalProperties: false }),
        response: { 200: DayOut, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'admin');
      const { year, date } = req.params as { year: number; date: string };
      return setDay(db, actor.accountId, year, date, req.body as { isOffDay: boolean; name: string }, clock.now());
    },
  );

  app.delete(
    '/api/calendar/:year/days/:date',
    {
      schema: {
        tags,
        summary: '删除某日的设置，恢复按周计（管理员）/ Clear a day back to the weekly rule (admin)',
        params: DayParams,
        response: { 204: Type.Null(), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'admin');
      const { year, date } = req.params as { year: number; date: string };
      await clearDay(db, actor.accountId, year, date, clock.now());
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/calendar/:year',
    {
      schema: {
        tags,
        summary: '导入某年的节假日安排（管理员）/ Import a year\'s holiday arrangement (admin)',
        params: YearParams,
        body: Type.Object({ days: Type.Array(DayIn, { minItems: 1, maxItems: 200 }), replace: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: Type.Object({ year: Type.Integer(), days: Type.Integer(), replaced: Type.Boolean() }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'admin');
      const { year } = req.params as { year: number };
      const result = await importYear(db, actor.accountId, year, req.body as { days: { date: string; isOffDay: boolean; name: string }[]; replace?: boolean }, clock.now());
      return reply.status(201).send(result);
    },
  );
}
