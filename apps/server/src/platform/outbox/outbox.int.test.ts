import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, type TestApp } from '../../../test/harness';
import { emitEvent } from './emit';
import { drainOutbox, registerOutboxProcessor, runOutboxBatch, type OutboxEvent } from './processors';

const seen: Record<string, number[]> = { collect: [], flaky: [] };
let failOn: number | undefined;
let failuresLeft = 0;

registerOutboxProcessor({
  name: 'test.collect',
  types: ['test.*'],
  batchSize: 3,
  async handle(events: OutboxEvent[]) {
    seen.collect!.push(...events.map((e) => e.payload.n as number));
  },
});
registerOutboxProcessor({
  name: 'test.flaky',
  types: ['test.thing'],
  maxAttempts: 3,
  async handle(events, trx, ctx) {
    for (const e of events) {
      // A database write in the handler commits only together with the cursor advance.
      await emitEvent(trx, { type: 'other.flaky-saw', payload: { n: e.payload.n } }, ctx.clock.now());
      if (e.payload.n === failOn && failuresLeft-- > 0) throw new Error(`cannot handle ${e.payload.n}`);
      seen.flaky!.push(e.payload.n as number);
    }
  },
});

describeEngines('outbox processors', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());
  const reset = () => {
    seen.collect = [];
    seen.flaky = [];
  };
  const emit = (n: number, type = 'test.thing') =>
    t.ctx.db.transaction().execute((trx) => emitEvent(trx, { type, payload: { n } }, t.clock.now()));
  const mine = { processors: ['test.collect', 'test.flaky'] };

  it('hands each committed event to each interested processor once, in order; rolled-back events never', async () => {
    reset();
    for (let n = 1; n <= 7; n++) await emit(n);
    await emit(8, 'unrelated.type');
    await t.ctx.db
      .transaction()
      .execute(async (trx) => {
        await emitEvent(trx, { type: 'test.thing', payload: { n: 99 } }, t.clock.now());
        throw new Error('rollback');
      })
      .catch(() => {});
    const r = await drainOutbox(t.ctx, mine);
    expect(r.failures).toEqual([]);
    expect(seen.collect).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.flaky).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await drainOutbox(t.ctx, mine)).handled).toBe(0);
    expect(seen.collect).toHaveLength(7);
  });

  it('retries a failing event with backoff, without holding back other processors, then succeeds', async () => {
    reset();
    failOn = 10;
    failuresLeft = 2;
    for (const n of [9, 10, 11]) await emit(n);
    const r1 = await drainOutbox(t.ctx, mine);
    expect(r1.failures).toEqual([{ processor: 'test.flaky', error: 'Error: cannot handle 10' }]);
    expect(seen.collect).toEqual([9, 10, 11]);
    // The failed batch rolled back: nothing the handler wrote for it survived.
    const saw = await t.ctx.db.selectFrom('outbox_events').select('payload').where('type', '=', 'other.flaky-saw').execute();
    expect(saw.map((s) => (s.payload as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const cur = await t.ctx.db.selectFrom('outbox_cursors').selectAll().where('processor', '=', 'test.flaky').executeTakeFirstOrThrow();
    expect(cur).toMatchObject({ attempts: 1, last_error: 'Error: cannot handle 10' });
    // Backing off: nothing happens until the clock passes retry_at.
    expect(await runOutboxBatch(t.ctx, { name: 'test.flaky', handle: async () => {} } as never)).toMatchObject({ outcome: 'waiting' });
    t.clock.advance(1_000);
    await drainOutbox(t.ctx, mine); // 9 alone succeeds, then 10 fails again
    t.clock.advance(10_000);
    await drainOutbox(t.ctx, mine);
    // 9 was handled inside the failed batch and again alone: effects outside the database are at-least-once…
    expect(seen.flaky).toEqual([9, 9, 10, 11]);
    // …while the handler's database writes committed exactly once, with the cursor.
    const saw2 = await t.ctx.db.selectFrom('outbox_events').select('payload').where('type', '=', 'other.flaky-saw').orderBy('id').execute();
    expect(saw2.map((s) => (s.payload as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11]);
    const after = await t.ctx.db.selectFrom('outbox_cursors').selectAll().where('processor', '=', 'test.flaky').executeTakeFirstOrThrow();
    expect(after).toMatchObject({ attempts: 0, last_error: null, retry_at: null });
  });

  it('dead-letters an event that keeps failing and moves on', async () => {
    reset();
    failOn = 13;
    failuresLeft = 1000;
    for (const n of [12, 13, 14]) await emit(n);
    for (let i = 0; i < 6; i++) {
      await drainOutbox(t.ctx, mine);
      t.clock.advance(60_000);
    }
    expect(seen.flaky).toEqual([12, 12, 14]);
    const dead = await t.ctx.db.selectFrom('outbox_dead_letters').selectAll().execute();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ processor: 'test.flaky', event_type: 'test.thing', attempts: 3, error: 'Error: cannot handle 13' });
    const ev = await t.ctx.db.selectFrom('outbox_events').select('payload').where('id', '=', dead[0]!.event_id).executeTakeFirstOrThrow();
    expect(ev.payload).toEqual({ n: 13 });
  });

  it.runIf(engine === 'postgres')(
    'never lets an event that commits late fall behind the cursor, and two workers never share a batch',
    async () => {
      reset();
      // Transaction A writes its event first but commits last: an id-only cursor would skip it.
      let releaseA!: () => void;
      const aWaits = new Promise<void>((r) => (releaseA = r));
      let aWrote!: () => void;
      const aHasWritten = new Promise<void>((r) => (aWrote = r));
      const a = t.ctx.db.transaction().execute(async (trx) => {
        await emitEvent(trx, { type: 'test.thing', payload: { n: 100 } }, t.clock.now());
        aWrote();
        await aWaits;
      });
      await aHasWritten;
      await emit(101);
      await drainOutbox(t.ctx, mine);
      expect(seen.collect).toEqual([]); // 101 waits until no older transaction is running
      releaseA();
      await a;
      // Two workers at once: each batch goes to exactly one of them.
      await Promise.all([drainOutbox(t.ctx, mine), drainOutbox(t.ctx, mine)]);
      expect(seen.collect).toEqual([100, 101]);
      expect(seen.flaky).toEqual([100, 101]);
    },
  );
});
