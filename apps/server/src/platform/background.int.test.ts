import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, seedAccount, type TestApp } from '../../test/harness';
import { startBackground } from './background';
import { appendLedger } from './ledger/append';
import { notify } from './notify/notify';
import { registerJobHandler, scheduleJob } from './chronograph/jobs';

const ran: string[] = [];
registerJobHandler('test.bg', async (job) => {
  ran.push(job.subjectId);
});

describeEngines('background workers', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  it('delivers notifications, runs due jobs and signs checkpoints without anyone asking, and stops cleanly', async () => {
    ran.length = 0;
    const { accountId } = await seedAccount(t.ctx, { username: 'carol', roles: [{ role: 'bidder' }] });
    await t.ctx.db.updateTable('accounts').set({ email: 'carol@example.cn' }).where('id', '=', accountId).execute();
    await t.ctx.db.transaction().execute(async (trx) => {
      const now = t.clock.now();
      await appendLedger(trx, { type: 'test.bg', subjectType: 'test', subjectId: 'x', payload: {} }, now);
      await notify(
        trx,
        { accountIds: [accountId], kind: 'test', title: { zh: '标题', en: 'Title' }, body: { zh: '正文', en: 'Body' } },
        now,
      );
      await scheduleJob(trx, { kind: 'test.bg', subjectId: 'due-now', dueAt: now }, now);
      await scheduleJob(trx, { kind: 'test.bg', subjectId: 'due-later', dueAt: new Date(now.getTime() + 3600_000) }, now);
    });
    const bg = startBackground({ ctx: t.ctx }, { pollMs: 20, checkpointEveryMs: 1 });
    const until = Date.now() + 20_000;
    const delivered = () => t.ctx.db.selectFrom('notification_deliveries').select('status').execute();
    while (Date.now() < until && ((await delivered()).length === 0 || ran.length === 0)) await new Promise((r) => setTimeout(r, 50));
    await bg.stop();
    expect(await delivered()).toEqual([{ status: 'sent' }]);
    expect(ran).toEqual(['due-now']);
    const cps = await t.ctx.db.selectFrom('ledger_checkpoints').select('tree_size').execute();
    expect(cps).toEqual([{ tree_size: 1 }]);
  });
});
