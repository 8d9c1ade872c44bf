import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeUscc } from '@yiwang/contracts';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';

interface ListItem {
  id: string;
  username: string;
  displayName: string;
  orgName: string | null;
  roles: { role: string }[];
}

describeEngines('identity: admin account list and the agency’s tenderer picker', (engine) => {
  let t: TestApp;
  let admin: Session;
  let tendererOrg: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedAccount(t.ctx, { username: 'root', roles: [{ role: 'admin' }], displayName: '系统管理员' });
    await seedAccount(t.ctx, { username: 'intake1', roles: [{ role: 'center_intake' }], displayName: '受理窗口张三' });
    tendererOrg = (
      await seedAccount(t.ctx, {
        username: 'owner1',
        roles: [{ role: 'tenderer' }],
        displayName: '李四',
        org: { name: '厦门市思明区教育局', uscc: makeUscc('owner-org') },
      })
    ).orgId!;
    await seedAccount(t.ctx, { username: 'owner2', roles: [{ role: 'tenderer' }], org: { name: '厦门市海沧区水利局', uscc: makeUscc('owner-org-2') } });
    await seedAccount(t.ctx, { username: 'agent1', roles: [{ role: 'agency' }], org: { name: '福建建设招标代理有限公司', uscc: makeUscc('agency-org') } });
    await seedAccount(t.ctx, { username: 'vendor1', roles: [{ role: 'bidder' }], org: { name: '厦门供应商有限公司', uscc: makeUscc('vendor-org') } });
    for (let i = 0; i < 5; i++) await seedAccount(t.ctx, { username: `Clerk${i}`, roles: [{ role: 'center_witness' }] });
    admin = await login(t.app, 'root');
  });
  afterAll(() => t.close());

  it('lists accounts for an administrator: search by username, display name or organisation, filter by role', async () => {
    const all = await admin.get('/api/admin/accounts?limit=100');
    expect(all.statusCode).toBe(200);
    const items = all.json().items as ListItem[];
    expect(items.map((a) => a.username)).toEqual([
      'agent1',
      'Clerk0',
      'Clerk1',
      'Clerk2',
      'Clerk3',
      'Clerk4',
      'intake1',
      'owner1',
      'owner2',
      'root',
      'vendor1',
    ]);
    expect(items.find((a) => a.username === 'owner1')).toMatchObject({ displayName: '李四', orgName: '厦门市思明区教育局', roles: [{ role: 'tenderer' }] });
    expect(items.find((a) => a.username === 'root')!.orgName).toBeNull();
    expect(JSON.stringify(items)).not.toMatch(/password|totp_secret|phone/);

    const q = async (query: string) => ((await admin.get(`/api/admin/accounts?${query}`)).json().items as ListItem[]).map((a) => a.username);
    expect(await q(`q=${encodeURIComponent('思明区教育')}`)).toEqual(['owner1']); // organisation name
    expect(await q(`q=${encodeURIComponent('张三')}`)).toEqual(['intake1']); // display name
    expect(await q('q=CLERK3')).toEqual(['Clerk3']); // username, case-insensitive
    expect(await q('q=%25')).toEqual([]); // LIKE metacharacters match themselves
    expect(await q('role=tenderer')).toEqual(['owner1', 'owner2']);
    expect(await q(`role=tenderer&q=${encodeURIComponent('海沧')}`)).toEqual(['owner2']);
    expect((await admin.get('/api/admin/accounts?role=pope')).statusCode).toBe(400);
  });

  it('pages the account list by keyset without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await admin.get(`/api/admin/accounts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page: { items: ListItem[]; nextCursor: string | null } = res.json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.username));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen.length).toBe(11);
    expect(new Set(seen).size).toBe(11);
    // A forged cursor is read as "from the start", never reaching SQL as a malformed uuid.
    const forged = Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url');
    expect((await admin.get(`/api/admin/accounts?cursor=${forged}`)).statusCode).toBe(200);
  });

  it('refuses the account list to anyone but an administrator', async () => {
    for (const who of ['intake1', 'owner1', 'agent1']) {
      const res = await (await login(t.app, who)).get('/api/admin/accounts');
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('FORBIDDEN_ROLE');
    }
    expect((await t.app.inject('/api/admin/accounts')).statusCode).toBe(401);
  });

  it('lets an agency search active tenderer organisations by name, seeing only public profiles', async () => {
    const agent = await login(t.app, 'agent1');
    const res = await agent.get(`/api/identity/orgs?role=tenderer&q=${encodeURIComponent('厦门')}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.map((o) => o.name).sort()).toEqual(['厦门市思明区教育局', '厦门市海沧区水利局'].sort());
    expect(Object.keys(items[0]!).sort()).toEqual(['id', 'kind', 'name', 'regionCode', 'registeredAt', 'status', 'uscc']);
    // Without a query: still only tenderers (not the agency itself, nor the bidder's company).
    const names = ((await agent.get('/api/identity/orgs?role=tenderer')).json().items as { id: string; name: string }[]).map((o) => o.id);
    expect(names).toContain(tendererOrg);
    expect(names.length).toBe(2);
    // A suspended organisation drops out of the picker.
    await t.ctx.db.updateTable('organisations').set({ status: 'suspended' }).where('id', '=', tendererOrg).execute();
    const after = (await agent.get('/api/identity/orgs?role=tenderer')).json().items as { id: string }[];
    expect(after.map((o) => o.id)).not.toContain(tendererOrg);
    await t.ctx.db.updateTable('organisations').set({ status: 'active' }).where('id', '=', tendererOrg).execute();
  });

  it('refuses an agency any other search, and a bidder any search at all', async () => {
    const agent = await login(t.app, 'agent1');
    for (const url of ['/api/identity/orgs', '/api/identity/orgs?q=x', '/api/identity/orgs?role=bidder']) {
      const res = await agent.get(url);
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('FORBIDDEN_ROLE');
    }
    const bidder = await login(t.app, 'vendor1');
    for (const url of ['/api/identity/orgs', '/api/identity/orgs?role=tenderer']) {
      const res = await bidder.get(url);
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('FORBIDDEN_ROLE');
    }
    const tenderer = await login(t.app, 'owner1');
    expect((await tenderer.get('/api/identity/orgs?role=tenderer')).statusCode).toBe(403);
  });

  it('lets staff filter by role as well as search everything', async () => {
    const staff = await login(t.app, 'intake1');
    const bidders = (await staff.get('/api/identity/orgs?role=bidder')).json().items as { name: string }[];
    expect(bidders.map((o) => o.name)).toEqual(['厦门供应商有限公司']);
    const all = (await staff.get('/api/identity/orgs?limit=100')).json().items as unknown[];
    expect(all.length).toBe(4);
  });
});
