import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app';
import { ShiftableClock } from '../../platform/clock';
import { registerJobHandler, scheduleJob } from '../../platform/chronograph/jobs';
import { createTestApp, describeEngines, login, problem, seedAccount, type TestApp } from '../../../test/harness';

const ran: string[] = [];
registerJobHandler('test.devclock', async (job) => void ran.push(job.subjectId));

describeEngines('demo clock (YIWANG_CLOCK_CONTROL)', (engine) => {
  let t: TestApp;
  let demo: FastifyInstance;
  let clock: ShiftableClock;

  beforeAll(async () => {
    t = await createTestApp(engine);
    clock = new ShiftableClock(t.clock);
    demo = await buildApp({ ctx: { ...t.ctx, clock } });
    await seedAccount(t.ctx, { username: 'admin1', roles: [{ role: 'admin' }] });
    await seedAccount(t.ctx, { username: 'bidder1', roles: [{ role: 'bidder' }], org: { name: '福建某建设有限公司', uscc: '91350200MA2Y0Q0X25' } });
  });
  afterAll(async () => {
    await demo?.close();
    await t?.close();
  });

  it('does not exist on an installation with a normal clock', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/dev/clock' })).statusCode).toBe(404);
  });

  it('an administrator moves time forward and the jobs that became due run at once; nobody else can; never backwards', async () => {
    ran.length = 0; // the handler is process-wide: the suite runs once per engine in the same process
    await t.ctx.db.transaction().execute((trx) => scheduleJob(trx, { kind: 'test.devclock', subjectId: 'deadline-1', dueAt: new Date('2026-11-23T02:00:00Z') }, clock.now()));
    const bidder = await login(demo, 'bidder1');
    const refused = await bidder.post('/api/dev/clock', { advanceMinutes: 60 });
    expect(refused.statusCode).toBe(403);
    expect((await demo.inject({ method: 'POST', url: '/api/dev/clock', payload: { advanceMinutes: 60 } })).statusCode).toBe(401);

    const admin = await login(demo, 'admin1');
    const moved = await admin.post('/api/dev/clock', { to: '2026-11-23T02:00:00Z' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({ now: '2026-11-23T02:00:00.000Z', jobsRan: 1 });
    expect(ran).toEqual(['deadline-1']);

    // Sessions live on the same clock: three weeks later the administrator's session has expired (sign in again).
    expect((await admin.post('/api/dev/clock', { advanceMinutes: 1 })).statusCode).toBe(401);
    const again = await login(demo, 'admin1');
    const back = await again.post('/api/dev/clock', { to: '2026-11-01T00:00:00Z' });
    expect(back.statusCode).toBe(400);
    expect(problem(back).code).toBe('CLOCK_BACKWARDS');
    expect((await demo.inject({ method: 'GET', url: '/api/dev/clock' })).json().now).toBe('2026-11-23T02:00:00.000Z');
    expect(ran).toEqual(['deadline-1']);
  });
});
