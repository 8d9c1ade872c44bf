import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES } from '@yiwang/contracts';
import { createTestApp, describeEngines, type TestApp } from '../../test/harness';
import { verifyLedger } from '../platform/ledger/verify';
import { DEMO_PASSWORD, seedDemoIfEmpty, type DemoSummary } from './demo';

/**
 * The demo city as a visitor and an auditor would check it: every role can sign in with the documented password,
 * the intake stages are all there, the portal has a few hundred notices over the last 90 days with change notices
 * linked to their originals, the ledger verifies and runs forward in time, and a second run changes nothing.
 */
describeEngines('demo city seed', (engine) => {
  let t: TestApp;
  let summary: DemoSummary | null;
  const NOW = '2026-11-25T06:00:00Z';

  beforeAll(async () => {
    t = await createTestApp(engine, { now: NOW });
    summary = await seedDemoIfEmpty(t.ctx);
  }, 240_000);
  afterAll(() => t?.close());

  it('makes about fifty organisations and an account for every role that signs in with the demo password', async () => {
    expect(summary!.organisations).toBeGreaterThanOrEqual(45);
    const roles = await t.ctx.db.selectFrom('account_roles').select('role').distinct().execute();
    expect(roles.map((r) => r.role).sort()).toEqual([...ROLES].sort());
    for (const username of [
      'admin',
      'tenderer1',
      'agency1',
      'bidder1',
      'auction1',
      'auction5',
      'expert1',
      'intake1',
      'witness1',
      'venue1',
      'archive1',
      'regulator1',
      'manager1',
      'auditor1',
    ]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      expect(r.statusCode, `${username}: ${r.body}`).toBe(200);
    }
    // The system account has no password at all.
    const sys = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'system1', password: DEMO_PASSWORD } });
    expect(sys.statusCode).toBe(401);
    const regulator = await t.ctx.db
      .selectFrom('account_roles')
      .select(['industries', 'regions'])
      .where('role', '=', 'regulator')
      .executeTakeFirstOrThrow();
    expect(regulator.industries.length).toBeGreaterThan(0);
    expect(regulator.regions).toEqual(['350200']);
  });

  it('has projects at every intake stage, one of them overdue and one returned with its list', async () => {
    const rows = await t.ctx.db.selectFrom('projects').select(['status', 'due_at', 'name']).execute();
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['draft', 'submitted', 'returned', 'accepted', 'accepted_green']));
    const now = new Date(NOW).getTime();
    const waiting = rows.filter((r) => r.status === 'submitted');
    expect(waiting.some((r) => r.due_at!.getTime() < now)).toBe(true);
    expect(waiting.some((r) => r.due_at!.getTime() > now)).toBe(true);
    const returns = await t.ctx.db.selectFrom('project_returns').select(['items']).execute();
    expect(returns.length).toBeGreaterThanOrEqual(2);
    const pending = await t.ctx.db.selectFrom('project_pending_items').select(['code', 'supplied_at']).execute();
    expect(pending).toEqual([{ code: 'funding_proof', supplied_at: null }]);
  });

  it('publishes a few hundred notices over the last 90 days, change notices linked to their own originals', async () => {
    const rows = await t.ctx.db
      .selectFrom('announcements')
      .select(['id', 'type', 'status', 'published_at', 'related_id', 'publisher_org_id', 'region_code', 'category_code'])
      .execute();
    const published = rows.filter((r) => r.status === 'published');
    expect(published.length).toBeGreaterThanOrEqual(200);
    expect(published.length).toBeLessThanOrEqual(400);
    expect(rows.filter((r) => r.status === 'in_review').length).toBe(3);
    const now = new Date(NOW).getTime();
    for (const r of published) {
      expect(r.published_at!.getTime()).toBeLessThanOrEqual(now);
      expect(r.published_at!.getTime()).toBeGreaterThan(now - 96 * 86_400_000);
      expect(r.region_code).toMatch(/^3502\d\d$/);
    }
    expect(new Set(published.map((r) => r.type)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(published.map((r) => r.category_code.split('.')[0])).size).toBeGreaterThanOrEqual(6);
    const byId = new Map(published.map((r) => [r.id, r]));
    const changes = published.filter((r) => r.type === 'change_notice');
    expect(changes.length).toBeGreaterThan(5);
    for (const c of changes) {
      const original = byId.get(c.related_id!)!;
      expect(original.publisher_org_id).toBe(c.publisher_org_id);
      expect(original.published_at!.getTime()).toBeLessThan(c.published_at!.getTime());
    }
    // Found by a two-term Chinese search on the public API.
    const r = await t.app.inject({ method: 'GET', url: `/api/portal/announcements?q=${encodeURIComponent('思明 小学')}` });
    expect(r.json<{ items: { title: string }[] }>().items.map((i) => i.title)).toContain('思明区第二实验小学教学楼改扩建工程施工招标公告');
  });

  it('has electronic tenders at every stage, driven through the real commands, with nothing due in the past', async () => {
    const lotStatus = async (tenderId: string) =>
      (await t.ctx.db.selectFrom('tender_lots').select('status').where('tender_id', '=', tenderId).executeTakeFirstOrThrow()).status;
    const byKey = new Map(summary!.tenders.map((x) => [x.key, x]));
    const expected: Record<string, string> = {
      open: 'bidding',
      'gp-open': 'bidding',
      evaluation: 'evaluation',
      publicity: 'publicity',
      awarded: 'awarded',
      contract: 'contracted',
      failed: 'failed',
    };
    for (const [key, status] of Object.entries(expected)) expect(await lotStatus(byKey.get(key)!.tenderId), key).toBe(status);
    const retender = byKey.get('failed')!.retenderId!;
    expect(await lotStatus(retender)).toBe('bidding');
    // The open ones' deadlines lie ahead of the demo clock; no job is left due before it.
    const open = await t.ctx.db.selectFrom('tender_lots').select('bid_deadline').where('status', '=', 'bidding').execute();
    for (const l of open) expect(l.bid_deadline.getTime()).toBeGreaterThan(new Date(NOW).getTime());
    const stale = await t.ctx.db.selectFrom('scheduled_jobs').select('kind').where('status', '=', 'pending').where('due_at', '<=', new Date(NOW)).execute();
    expect(stale).toEqual([]);
    // The seeder's own sessions are gone.
    const seeded = await t.ctx.db.selectFrom('sessions').select('account_id').where('user_agent', '=', 'yiwang demo seed').execute();
    expect(seeded).toEqual([]);
    // Bids are real sealed envelopes; the award carries a notice; the contract has performance entries.
    const bids = await t.ctx.db.selectFrom('bids').select('id').where('tender_id', '=', byKey.get('open')!.tenderId).execute();
    expect(bids).toHaveLength(2);
    const signIn = async (username: string) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      return { cookie: `yw_session=${r.cookies.find((c) => c.name === 'yw_session')!.value}` };
    };
    const tenderer = await signIn(byKey.get('contract')!.tenderer);
    const contract = await t.app.inject({ method: 'GET', url: `/api/award/tenders/${byKey.get('contract')!.tenderId}/lots/1`, headers: tenderer });
    expect(contract.statusCode, contract.body).toBe(200);
    expect(contract.json()).toMatchObject({ status: 'contracted' });
    // Secrecy before the deadline (法 22): the tenderer of an open tender learns neither who obtained nor who bid.
    const open1 = byKey.get('open')!;
    const own = await signIn(open1.tenderer);
    const obtains = await t.app.inject({ method: 'GET', url: `/api/tendering/tenders/${open1.tenderId}/obtains`, headers: own });
    expect(obtains.statusCode).toBe(403);
    expect(obtains.json().code).toBe('TENDER_SECRET_UNTIL_DEADLINE');
    const room = await t.app.inject({ method: 'GET', url: `/api/bidding/tenders/${open1.tenderId}/lots/1/opening`, headers: own });
    expect(room.statusCode).toBe(403);
    expect(room.json().code).toBe('BIDS_SECRET_UNTIL_DEADLINE');
    // The portal shows the tender notices of the open tenders to anyone.
    const portal = await t.app.inject({ method: 'GET', url: `/api/portal/announcements?q=${encodeURIComponent('杏林湾')}` });
    expect(portal.json<{ items: { title: string }[] }>().items.length).toBeGreaterThan(0);
  });

  it('leaves a ledger that verifies and runs forward in time', async () => {
    const report = await verifyLedger(t.ctx.db);
    expect(report.problemCount).toBe(0);
    const entries = await t.ctx.db.selectFrom('ledger_entries').select(['seq', 'recorded_at']).orderBy('seq').execute();
    for (let i = 1; i < entries.length; i++)
      expect(entries[i]!.recorded_at.getTime()).toBeGreaterThanOrEqual(entries[i - 1]!.recorded_at.getTime());
  });

  it.runIf(engine === 'postgres')(
    'seeds an empty PostgreSQL once when two nodes start together',
    async () => {
      const t2 = await createTestApp(engine, { now: NOW });
      try {
        const results = await Promise.all([seedDemoIfEmpty(t2.ctx), seedDemoIfEmpty(t2.ctx)]);
        expect(results.filter((r) => r !== null)).toHaveLength(1);
        const orgs = await t2.ctx.db
          .selectFrom('organisations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(orgs.n)).toBe(summary!.organisations);
      } finally {
        await t2.close();
      }
    },
    240_000,
  );

  it('never seeds a database that already has organisations', async () => {
    const before = await t.ctx.db
      .selectFrom('announcements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(await seedDemoIfEmpty(t.ctx)).toBeNull();
    const after = await t.ctx.db
      .selectFrom('announcements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
