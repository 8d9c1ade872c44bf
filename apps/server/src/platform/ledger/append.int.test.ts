import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, type TestApp } from '../../../test/harness';
import { appendLedger, entryHash } from './append';
import { verifyLedger } from './verify';

describeEngines('ledger appends inside transactions', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  const entry = (i: number) => ({ type: 'test.event', subjectType: 'test', subjectId: String(i), payload: { i } });

  it('chains several appends of one transaction, forgets a rolled-back one, and interleaves concurrent writers', async () => {
    const now = t.clock.now();
    await t.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 5; i++) await appendLedger(trx, entry(i), now);
    });
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await appendLedger(trx, entry(99), now);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // Concurrent writers (real connections on PostgreSQL; serialised by PGlite's mutex).
    await Promise.all(
      [0, 1, 2, 3].map((w) =>
        t.ctx.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 3; i++) await appendLedger(trx, entry(100 + w * 10 + i), now);
        }),
      ),
    );
    const rows = await t.ctx.db.selectFrom('ledger_entries').select(['seq', 'subject_id']).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 17 }, (_, k) => k + 1));
    expect(rows.map((r) => r.subject_id)).not.toContain('99');
    const report = await verifyLedger(t.ctx.db);
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(17);
  });

  it('hashes in SQL exactly the bytes entryHash() hashes in Node, for awkward text, and returns what it stored', async () => {
    const awkward = [
      { type: 'test.unicode', subjectType: '主体', subjectId: '厦门-😀-\u00e9', payload: { '中文': '招标"公告"\\', emoji: '😀👍🏽', nl: 'a\nb\tc\r', ctl: '\u0001\u001f', ls: '\u2028' } },
      { type: 'test.numbers', subjectType: 'n', subjectId: 'q"uote\\back', actorId: '0b7e2a9c-4a62-4f7e-9a43-2c1d4f7a9b10', payload: { big: 1e21, small: 1.5e-7, neg: -0, arr: [1, 'x', null, true, { z: 1, a: 2 }], nested: { b: { d: 1, c: [] }, a: {} } } },
      { type: 'test.empty', subjectType: '', subjectId: '', payload: {} },
    ];
    const now = new Date('2026-03-01T08:00:00.123Z');
    const returned = await t.ctx.db.transaction().execute(async (trx) => {
      const out = [];
      for (const e of awkward) out.push(await appendLedger(trx, e, now));
      return out;
    });
    for (const e of returned) {
      const row = await t.ctx.db.selectFrom('ledger_entries').selectAll().where('seq', '=', e.seq).executeTakeFirstOrThrow();
      expect(row.entry_hash).toBe(e.entryHash);
      expect(row.prev_hash).toBe(e.prevHash);
      expect(row.recorded_at.toISOString()).toBe('2026-03-01T08:00:00.123Z');
      const recomputed = entryHash(row.prev_hash, {
        seq: row.seq,
        recordedAt: row.recorded_at,
        type: row.type,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        actorId: row.actor_id,
        payload: row.payload as Record<string, unknown>,
      });
      expect(recomputed).toBe(e.entryHash);
    }
    expect(returned.map((e) => e.seq)).toEqual([18, 19, 20]);
    expect((await verifyLedger(t.ctx.db)).ok).toBe(true);
  });
});
