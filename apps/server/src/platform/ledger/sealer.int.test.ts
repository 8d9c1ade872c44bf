import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeUscc } from '@yiwang/contracts';
import { createTestApp, describeEngines, type TestApp } from '../../../test/harness';
import { appendLedger, entryHash, recordLedger } from './append';
import { ledgerSealer, sealCommitted, SEAL_BATCH } from './sealer';
import { verifyLedger } from './verify';

describeEngines('batched ledger appends (recordLedger + sealer)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  const entry = (i: number) => ({ type: 'test.recorded', subjectType: 'test', subjectId: String(i), payload: { i, note: '批量' } });
  const chain = () => t.ctx.db.selectFrom('ledger_entries').select(['seq', 'subject_id', 'type']).orderBy('seq').execute();
  const pending = async () => Number((await t.ctx.db.selectFrom('ledger_pending').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('keeps a recorded entry out of the chain until it is sealed, forgets a rolled-back one, then chains it verifiably', async () => {
    const before = (await chain()).length;
    const now = t.clock.now();
    await t.ctx.db.transaction().execute(async (trx) => {
      await recordLedger(trx, entry(1), now);
      await recordLedger(trx, entry(2), now);
    });
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await recordLedger(trx, entry(99), now);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await chain()).length).toBe(before);
    expect(await pending()).toBe(2);

    await ledgerSealer(t.ctx.db).flush();
    const rows = await chain();
    expect(rows.slice(before).map((r) => r.subject_id)).toEqual(['1', '2']);
    expect(rows.map((r) => r.subject_id)).not.toContain('99');
    expect(await pending()).toBe(0);
    const report = await verifyLedger(t.ctx.db);
    expect(report.ok).toBe(true);

    // The stored hash is the same function of the stored fields as a synchronous append's.
    const last = await t.ctx.db.selectFrom('ledger_entries').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(
      entryHash(last.prev_hash, {
        seq: last.seq,
        recordedAt: last.recorded_at,
        type: last.type,
        subjectType: last.subject_type,
        subjectId: last.subject_id,
        actorId: last.actor_id,
        payload: last.payload as Record<string, unknown>,
      }),
    ).toBe(last.entry_hash);
  });

  it('interleaves with synchronous appends and concurrent writers into one gap-free chain', async () => {
    const before = (await chain()).length;
    const now = t.clock.now();
    const sealer = ledgerSealer(t.ctx.db);
    // 6 writers × 5 transactions, each recording one entry and flushing after its commit (the HTTP shape); two of
    // them also append synchronously. On PostgreSQL these are real connections and the flushes overlap.
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (w) => {
        for (let k = 0; k < 5; k++) {
          await t.ctx.db.transaction().execute(async (trx) => {
            await recordLedger(trx, entry(1000 + w * 10 + k), now);
            if (w < 2) await appendLedger(trx, { ...entry(2000 + w * 10 + k), type: 'test.appended' }, now);
          });
          await sealer.flush();
        }
      }),
    );
    const rows = (await chain()).slice(before);
    expect(rows.length).toBe(40);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, k) => before + k + 1));
    expect(rows.filter((r) => r.type === 'test.recorded').length).toBe(30);
    expect(new Set(rows.map((r) => r.subject_id)).size).toBe(40);
    expect(await pending()).toBe(0);
    expect((await verifyLedger(t.ctx.db)).ok).toBe(true);
  });

  it('seals more than one batch in one call, and a flush resolves only after entries committed before it are chained', async () => {
    const before = (await chain()).length;
    const now = t.clock.now();
    const n = SEAL_BATCH + 7;
    await t.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i += 500) {
        const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => entry(10_000 + i + k));
        for (const r of rows) await recordLedger(trx, r, now);
      }
    });
    expect(await sealCommitted(t.ctx.db)).toBe(n);
    expect((await chain()).length).toBe(before + n);
    expect(await sealCommitted(t.ctx.db)).toBe(0);
    expect((await verifyLedger(t.ctx.db)).ok).toBe(true);
  });

  it('an HTTP command that records an entry has it chained by the time the response arrives', async () => {
    // Public registration records its entry with recordLedger.
    const before = (await chain()).length;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/identity/registrations',
      payload: {
        kind: 'organisation',
        name: '厦门市批量记账测试有限公司',
        uscc: makeUscc(`sealer-${engine}`, { region: '350205' }),
        username: `sealer-${engine}`,
        password: 'Strong-pass-2026',
        displayName: '陈会计',
        phone: '13800000009',
        roles: ['bidder'],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const rows = (await chain()).slice(before);
    expect(rows.map((x) => x.type)).toContain('identity.registered');
    expect(await pending()).toBe(0);
  });
});
