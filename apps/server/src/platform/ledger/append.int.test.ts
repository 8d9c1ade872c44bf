import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, type TestApp } from '../../../test/harness';
import { appendLedger } from './append';
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
});
