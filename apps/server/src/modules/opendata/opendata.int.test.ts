import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, problem, type TestApp } from '../../../test/harness';
import { loadOcdsValidator } from '../../../test/ocds-schema';
import { recordOcdsRelease } from './index';
import type { ProcessSnapshot, ReleaseTag } from './ocds.types';

const validator = loadOcdsValidator();
const PREFIX = 'ocds-ywtest';

function snapshot(n: number, over: Partial<ProcessSnapshot> = {}): ProcessSnapshot {
  const buyer = { orgId: `org-buyer-${n}`, name: `厦门市第${n}中学` };
  return {
    processId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    title: `厦门市第${n}中学教学设备采购项目`,
    status: 'active',
    procurementMethod: 'open',
    procurementMethodDetails: '公开招标（政府采购）',
    mainProcurementCategory: 'goods',
    valueFen: 1_250_000_00 + n,
    tenderPeriod: { start: new Date('2026-11-02T01:00:00Z'), end: new Date('2026-11-23T02:00:00Z') },
    buyer,
    parties: [{ ...buyer, roles: ['buyer'], regionCode: '350203' }],
    lots: [{ id: 'lot-1', title: '第1包', valueFen: 1_250_000_00 + n }],
    ...over,
  };
}

describeEngines('open data (OCDS release and record packages)', (engine) => {
  let t: TestApp;
  const record = (s: ProcessSnapshot, tags: ReleaseTag[]) =>
    t.ctx.db.transaction().execute((trx) => recordOcdsRelease(trx, { prefix: PREFIX, snapshot: s, tags }, t.clock.now()));

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('publishes each change as a release; a harvester pages with a stable cursor and sees every release once', async () => {
    for (let n = 1; n <= 5; n++) {
      await record(snapshot(n), ['tender']);
      t.clock.advance(60_000);
    }
    const first = await t.app.inject({ method: 'GET', url: '/api/opendata/releases?limit=3' });
    expect(first.statusCode).toBe(200);
    const p1 = first.json();
    expect(p1.releases.map((r: { tender: { title: string } }) => r.tender.title)).toEqual(['厦门市第1中学教学设备采购项目', '厦门市第2中学教学设备采购项目', '厦门市第3中学教学设备采购项目']);
    expect(p1.links.full).toBe(true);
    if (validator) expect(validator.releasePackage(p1)).toEqual([]);

    // A change made after the first page was read shows up after the rest, not lost behind the cursor.
    await record(snapshot(1, { status: 'cancelled' }), ['tenderCancellation']);
    const p2 = (await t.app.inject({ method: 'GET', url: new URL(p1.links.next).pathname + new URL(p1.links.next).search })).json();
    expect(p2.releases.map((r: { tag: string[] }) => r.tag[0])).toEqual(['tender', 'tender', 'tenderCancellation']);
    expect(p2.links.full).toBe(true);
    const p3 = (await t.app.inject({ method: 'GET', url: `/api/opendata/releases?after=${p2.links.cursor}` })).json();
    expect(p3.releases).toEqual([]);
    expect(p3.links.cursor).toBe(p2.links.cursor);
  });

  it('a record package compiles the releases of one process; an unknown ocid is 404', async () => {
    const ocid = `${PREFIX}-${snapshot(1).processId}`;
    const res = await t.app.inject({ method: 'GET', url: `/api/opendata/records/${ocid}` });
    expect(res.statusCode).toBe(200);
    const pkg = res.json();
    expect(pkg.records[0].releases).toHaveLength(2);
    expect(pkg.records[0].compiledRelease.tender.status).toBe('cancelled');
    if (validator) expect(validator.recordPackage(pkg)).toEqual([]);
    const missing = await t.app.inject({ method: 'GET', url: `/api/opendata/records/${PREFIX}-nothing-here` });
    expect(missing.statusCode).toBe(404);
    expect(problem(missing).code).toBe('NOT_FOUND');
  });

  it('a bad cursor is a clear 400; a limit above the maximum is refused', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/opendata/releases?after=not-a-cursor' });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad)).toMatchObject({ code: 'CURSOR_INVALID', field: 'after' });
    expect((await t.app.inject({ method: 'GET', url: '/api/opendata/releases?limit=100001' })).statusCode).toBe(400);
  });

  it('a release exists only if the change committed; the served text matches the hash in the ledger; rows cannot be edited', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/opendata/releases?limit=1000' })).json().releases.length;
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await recordOcdsRelease(trx, { prefix: PREFIX, snapshot: snapshot(9), tags: ['tender'] }, t.clock.now());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const after = (await t.app.inject({ method: 'GET', url: '/api/opendata/releases?limit=1000' })).json().releases;
    expect(after.length).toBe(before);

    const last = after[after.length - 1];
    const entry = await t.ctx.db.selectFrom('ledger_entries').select(['payload']).where('type', '=', 'opendata.release').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const payload = (typeof entry.payload === 'string' ? JSON.parse(entry.payload) : entry.payload) as { releaseId: string; sha256: string };
    expect(payload.releaseId).toBe(last.id);
    expect(createHash('sha256').update(JSON.stringify(last)).digest('hex')).toBe(payload.sha256);

    await expect(sql`UPDATE ocds_releases SET release_id = 'forged'`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM ocds_releases`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
  });
});
