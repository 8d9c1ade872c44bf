import { afterAll, beforeAll, expect, it } from 'vitest';
import { AcceleratedClock } from '../clock';
import { appendLedger } from '../ledger/append';
import { createTestApp, describeEngines, type TestApp } from '../../../test/harness';
import { cancelJob, nextDueAt, registerJobHandler, runDueJobs, scheduleJob } from './jobs';

const ran: string[] = [];
let failTimes = 0;

registerJobHandler('test.close', async (job, trx, ctx) => {
  ran.push(`${job.subjectId}@${ctx.now.toISOString()}`);
  // The handler's writes share its transaction: they vanish if it fails.
  await appendLedger(trx, { type: 'test.closed', subjectType: 'test', subjectId: job.subjectId, payload: job.payload }, ctx.now);
  if (failTimes-- > 0) throw new Error('venue system unavailable');
});
registerJobHandler(
  'test.tick',
  async (job, trx, ctx) => {
    ran.push(`tick ${job.payload.n as number}`);
    const n = (job.payload.n as number) + 1;
    if (n <= 3)
      await scheduleJob(
        trx,
        { kind: 'test.tick', subjectId: job.subjectId, dueAt: new Date(ctx.now.getTime() + 3600_000), payload: { n } },
        ctx.now,
      );
  },
  { maxAttempts: 2 },
);

describeEngines('chronograph', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-11-02T01:00:00Z' });
  });
  afterAll(() => t.close());
  const schedule = (kind: string, subjectId: string, dueAt: string, payload: Record<string, unknown> = {}) =>
    t.ctx.db.transaction().execute((trx) => scheduleJob(trx, { kind, subjectId, dueAt: new Date(dueAt), payload }, t.clock.now()));
  const ledgerCount = async () =>
    (await t.ctx.db.selectFrom('ledger_entries').select('seq').where('type', '=', 'test.closed').execute()).length;

  it('runs a job once when the injected clock passes its due time; rescheduling replaces the time', async () => {
    ran.length = 0;
    await schedule('test.close', 'p1', '2026-11-02T09:00:00Z', { reason: 'deadline' });
    await schedule('test.close', 'p1', '2026-11-03T09:00:00Z', { reason: 'extended' });
    expect(await t.ctx.db.selectFrom('scheduled_jobs').select('due_at').where('subject_id', '=', 'p1').execute()).toHaveLength(1);
    expect(await nextDueAt(t.ctx.db)).toEqual(new Date('2026-11-03T09:00:00Z'));
    t.clock.set('2026-11-02T10:00:00Z');
    expect((await runDueJobs(t.ctx)).ran).toBe(0);
    t.clock.set('2026-11-03T09:00:00Z');
    expect((await runDueJobs(t.ctx)).ran).toBe(1);
    expect((await runDueJobs(t.ctx)).ran).toBe(0);
    expect(ran).toEqual(['p1@2026-11-03T09:00:00.000Z']);
    const e = await t.ctx.db.selectFrom('ledger_entries').select('payload').where('subject_id', '=', 'p1').executeTakeFirstOrThrow();
    expect(e.payload).toEqual({ reason: 'extended' });
  });

  it('does not run a cancelled job', async () => {
    ran.length = 0;
    await schedule('test.close', 'p2', '2026-11-03T10:00:00Z');
    expect(await t.ctx.db.transaction().execute((trx) => cancelJob(trx, 'test.close', 'p2', t.clock.now()))).toBe(true);
    t.clock.set('2026-11-04T00:00:00Z');
    expect((await runDueJobs(t.ctx)).ran).toBe(0);
    expect(ran).toEqual([]);
  });

  it('retries a failing job later, with its writes rolled back each time', async () => {
    ran.length = 0;
    const before = await ledgerCount();
    failTimes = 1;
    await schedule('test.close', 'p3', '2026-11-04T00:00:00Z');
    const r = await runDueJobs(t.ctx);
    expect(r.failed).toMatchObject([{ kind: 'test.close', subjectId: 'p3', error: 'Error: venue system unavailable' }]);
    expect(await ledgerCount()).toBe(before);
    const row = await t.ctx.db.selectFrom('scheduled_jobs').selectAll().where('subject_id', '=', 'p3').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: venue system unavailable' });
    expect(row.due_at.getTime()).toBeGreaterThan(t.clock.now().getTime());
    t.clock.advance(60_000);
    expect((await runDueJobs(t.ctx)).ran).toBe(1);
    expect(await ledgerCount()).toBe(before + 1);
    expect(
      (await t.ctx.db.selectFrom('scheduled_jobs').select('status').where('subject_id', '=', 'p3').executeTakeFirstOrThrow()).status,
    ).toBe('done');
  });

  it('gives up after maxAttempts and marks the job failed', async () => {
    failTimes = 100;
    await schedule('test.close', 'p4', '2026-11-04T00:00:00Z');
    for (let i = 0; i < 12; i++) {
      await runDueJobs(t.ctx);
      t.clock.advance(2 * 3600_000);
    }
    failTimes = 0;
    const row = await t.ctx.db.selectFrom('scheduled_jobs').selectAll().where('subject_id', '=', 'p4').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 10 });
  });

  it('keeps a job its handler rescheduled, and runs a week of hourly work in milliseconds under the accelerated demo clock', async () => {
    ran.length = 0;
    const start = new Date(t.clock.now().getTime());
    // One real millisecond = one simulated hour.
    const fast = { ...t.ctx, clock: new AcceleratedClock(3600_000, start) };
    await t.ctx.db
      .transaction()
      .execute((trx) =>
        scheduleJob(trx, { kind: 'test.tick', subjectId: 'demo', dueAt: new Date(start.getTime() + 3600_000), payload: { n: 1 } }, start),
      );
    const deadline = Date.now() + 5000;
    while (ran.length < 3 && Date.now() < deadline) {
      await runDueJobs(fast);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(ran).toEqual(['tick 1', 'tick 2', 'tick 3']);
    expect(
      (await t.ctx.db.selectFrom('scheduled_jobs').select('status').where('subject_id', '=', 'demo').executeTakeFirstOrThrow()).status,
    ).toBe('done');
  });

  it.runIf(engine === 'postgres')('two workers never run the same job at once', async () => {
    ran.length = 0;
    t.clock.set('2026-12-01T00:00:00Z');
    for (let i = 0; i < 6; i++) await schedule('test.close', `c${i}`, '2026-11-30T00:00:00Z');
    const [a, b] = await Promise.all([runDueJobs(t.ctx), runDueJobs(t.ctx)]);
    expect(a.ran + b.ran).toBe(6);
    expect(ran.sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `c${i}@2026-12-01T00:00:00.000Z`));
  });
});
