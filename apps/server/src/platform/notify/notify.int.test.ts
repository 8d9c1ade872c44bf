import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type TestApp } from '../../../test/harness';
import { drainOutbox } from '../outbox/processors';
import { runDueJobs } from '../chronograph/jobs';
import { setChannelAdapter, type OutgoingMessage } from './adapters';
import { notify } from './notify';

const sent: OutgoingMessage[] = [];
let smsDown = false;
setChannelAdapter({ name: 'capture-mail', channel: 'mail', send: async (m) => (sent.push(m), { providerRef: `m-${sent.length}` }) });
setChannelAdapter({
  name: 'capture-sms',
  channel: 'sms',
  send: async (m) => {
    if (smsDown) throw new Error('SMS gateway timeout');
    sent.push(m);
    return {};
  },
});

describeEngines('notifications', (engine) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    alice = (await seedAccount(t.ctx, { username: 'alice', roles: [{ role: 'bidder' }] })).accountId;
    bob = (await seedAccount(t.ctx, { username: 'bob', roles: [{ role: 'expert' }] })).accountId;
    await t.ctx.db.updateTable('accounts').set({ email: 'alice@example.cn', phone: '13812345678' }).where('id', '=', alice).execute();
    await t.ctx.db.updateTable('accounts').set({ phone: '13900001111' }).where('id', '=', bob).execute();
  });
  afterAll(() => t.close());

  const send = (accountIds: string[], n: number, channels?: ('mail' | 'sms')[]) =>
    t.ctx.db
      .transaction()
      .execute((trx) =>
        notify(
          trx,
          {
            accountIds,
            kind: 'test.notice',
            title: { zh: `通知 ${n}`, en: `Notice ${n}` },
            body: { zh: '正文', en: 'Body' },
            link: `/x/${n}`,
            channels,
          },
          t.clock.now(),
        ),
      );

  it('puts a notice in each inbox at commit; each account sees only its own and marks it read', async () => {
    const [forAlice, forBob] = await send([alice, bob], 1);
    t.clock.advance(1000);
    await send([alice], 2);
    const a = await login(t.app, 'alice');
    const b = await login(t.app, 'bob');
    const inbox = (await a.get('/api/notifications')).json();
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.items.map((n: { title: { zh: string } }) => n.title.zh)).toEqual(['通知 2', '通知 1']);
    expect(inbox.items[1]).toMatchObject({ id: forAlice, kind: 'test.notice', title: { en: 'Notice 1' }, link: '/x/1', readAt: null });
    expect((await b.get('/api/notifications')).json().items.map((n: { id: string }) => n.id)).toEqual([forBob]);

    // Bob cannot read (or learn about) Alice's notification.
    expect(problem(await b.post(`/api/notifications/${forAlice}/read`)).code).toBe('NOT_FOUND');
    const read = await a.post(`/api/notifications/${forAlice}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toBe(t.clock.now().toISOString());
    const unread = (await a.get('/api/notifications?unread=true')).json();
    expect(unread).toMatchObject({ unreadCount: 1, items: [{ title: { zh: '通知 2' } }] });
    expect((await a.post('/api/notifications/read-all')).json()).toEqual({ updated: 1 });
    expect((await a.get('/api/notifications')).json().unreadCount).toBe(0);
    expect(problem(await t.app.inject('/api/notifications')).code).toBe('UNAUTHENTICATED');
  });

  it('pages through the inbox with a cursor', async () => {
    for (let i = 10; i < 15; i++) {
      t.clock.advance(1000);
      await send([bob], i);
    }
    const b = await login(t.app, 'bob');
    const p1 = (await b.get('/api/notifications?limit=4')).json();
    expect(p1.items).toHaveLength(4);
    const p2 = (await b.get(`/api/notifications?limit=4&cursor=${p1.nextCursor}`)).json();
    expect(p2.nextCursor).toBeNull();
    expect([...p1.items, ...p2.items].map((n: { title: { en: string } }) => n.title.en)).toEqual([
      'Notice 14',
      'Notice 13',
      'Notice 12',
      'Notice 11',
      'Notice 10',
      'Notice 1',
    ]);
    expect(problem(await b.get('/api/notifications?cursor=garbage')).field).toBe('cursor');
  });

  it('delivers mail and SMS after commit through the outbox, once, with masked addresses on record', async () => {
    sent.length = 0;
    await t.ctx.db.deleteFrom('notification_deliveries').execute();
    await drainOutbox(t.ctx, { processors: ['notify.deliver'] }); // catch up the earlier tests' mail
    sent.length = 0;
    const [id] = await send([alice, bob], 20, ['mail', 'sms']);
    expect(sent).toHaveLength(0); // nothing goes out inside the transaction
    await drainOutbox(t.ctx, { processors: ['notify.deliver'] });
    // Alice: mail + SMS; Bob has no email address, so SMS only.
    expect(sent.map((m) => `${m.channel}:${m.to}`).sort()).toEqual(['mail:alice@example.cn', 'sms:13812345678', 'sms:13900001111']);
    const rows = await t.ctx.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('notification_id', '=', id!)
      .orderBy('channel')
      .execute();
    expect(rows.map((r) => [r.channel, r.address, r.status, r.adapter])).toEqual([
      ['mail', 'a***@example.cn', 'sent', 'capture-mail'],
      ['sms', '138****5678', 'sent', 'capture-sms'],
    ]);
    await drainOutbox(t.ctx, { processors: ['notify.deliver'] });
    expect(sent).toHaveLength(3);
  });

  it('retries a channel whose gateway is down through the chronograph, without resending the other channel', async () => {
    sent.length = 0;
    smsDown = true;
    const [id] = await send([alice], 21, ['mail', 'sms']);
    const r = await drainOutbox(t.ctx, { processors: ['notify.deliver'] });
    expect(r.failures).toEqual([]);
    const rows = () =>
      t.ctx.db
        .selectFrom('notification_deliveries')
        .select(['channel', 'status', 'error'])
        .where('notification_id', '=', id!)
        .orderBy('channel')
        .execute();
    expect(await rows()).toEqual([
      { channel: 'mail', status: 'sent', error: null },
      { channel: 'sms', status: 'failed', error: 'SMS gateway timeout' },
    ]);
    t.clock.advance(61_000);
    expect((await runDueJobs(t.ctx)).failed).toHaveLength(1); // still down: the job backs off
    smsDown = false;
    expect((await runDueJobs(t.ctx)).ran).toBe(0); // not yet due again
    t.clock.advance(10 * 60_000);
    expect((await runDueJobs(t.ctx)).ran).toBe(1);
    expect((await rows()).map((x) => x.status)).toEqual(['sent', 'sent']);
    expect(sent.map((m) => m.channel).sort()).toEqual(['mail', 'sms']);
  });
});
