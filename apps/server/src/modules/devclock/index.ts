import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../../platform/auth/actor';
import { ShiftableClock } from '../../platform/clock';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { Errors } from '../../platform/http/errors';
import { ProblemSchema } from '../../platform/http/schemas';

/**
 * 演示时钟: only when the installation runs a ShiftableClock (YIWANG_CLOCK_CONTROL=1 — demo and end-to-end tests;
 * boot refuses it under NODE_ENV=production). An administrator moves simulated time forward, and the jobs that
 * became due run at once, so a tender can be walked past its deadline and through the opening in a demo.
 * Without the setting the routes do not exist (404), so production has no way to move its clock.
 */
export default async function devclockModule(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const clock = ctx.clock;
  if (!(clock instanceof ShiftableClock)) return;

  app.get('/api/dev/clock', {
    schema: { tags: ['dev'], summary: '演示时钟：当前模拟时间 / Demo clock: the simulated now', response: { 200: Type.Object({ now: Type.String() }) } },
  }, async () => ({ now: clock.now().toISOString() }));

  app.post('/api/dev/clock', {
    schema: {
      tags: ['dev'],
      summary: '演示时钟：向前拨动并执行到期任务（仅管理员，仅演示/测试安装）/ Demo clock: move forward and run due jobs (admin; demo installs only)',
      body: Type.Object(
        { advanceMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 24 * 60 })), to: Type.Optional(Type.String({ format: 'date-time' })) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ now: Type.String(), jobsRan: Type.Integer() }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    const body = req.body as { advanceMinutes?: number; to?: string };
    if ((body.advanceMinutes === undefined) === (body.to === undefined))
      throw Errors.validation('advanceMinutes', '请给出 advanceMinutes 或 to 之一', 'Give exactly one of advanceMinutes or to');
    let now: Date;
    try {
      now = clock.shift(body.to ? { to: new Date(body.to) } : { ms: body.advanceMinutes! * 60_000 });
    } catch {
      throw Errors.validation('to', '演示时钟只能向前拨动', 'The demo clock only moves forward', 'CLOCK_BACKWARDS');
    }
    const { ran } = await runDueJobs(ctx);
    return { now: now.toISOString(), jobsRan: ran };
  });
}
