import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeResidentId, makeUscc } from '@yiwang/contracts';
import { createTestApp, describeEngines, login, problem, seedAccount, type TestApp } from '../../../test/harness';

const PASSWORD = 'Strong-pass-2026';

function orgBody(over: Record<string, unknown> = {}) {
  return {
    kind: 'organisation',
    name: '厦门市海沧建设工程有限公司',
    uscc: makeUscc('haicang', { region: '350205' }),
    username: 'haicang',
    password: PASSWORD,
    displayName: '林经理',
    phone: '13800000001',
    email: 'lin@example.cn',
    roles: ['tenderer', 'bidder'],
    ...over,
  };
}

describeEngines('identity: registration and organisation accounts', (engine) => {
  let t: TestApp;
  const register = (body: unknown) => t.app.inject({ method: 'POST', url: '/api/identity/registrations', payload: body as object });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedAccount(t.ctx, { username: 'intake1', roles: [{ role: 'center_intake' }] });
  });
  afterAll(() => t.close());

  it('registers an organisation, derives its region from the credit code, and lets its first account sign in', async () => {
    const res = await register(orgBody());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.org).toMatchObject({
      kind: 'organisation',
      name: '厦门市海沧建设工程有限公司',
      uscc: makeUscc('haicang', { region: '350205' }),
      regionCode: '350205',
      status: 'active',
    });
    expect(body.account).toMatchObject({
      username: 'haicang',
      isOrgAdmin: true,
      roles: [{ role: 'tenderer' }, { role: 'bidder' }].map((r) => ({ ...r, industries: [], regions: [] })),
    });
    const s = await login(t.app, 'haicang', PASSWORD);
    const me = (await s.get('/api/auth/me')).json();
    expect(me.actor).toMatchObject({ orgId: body.org.id, orgName: '厦门市海沧建设工程有限公司', isOrgAdmin: true, totpEnabled: false });
    expect(me.actor.roles.map((r: { role: string }) => r.role).sort()).toEqual(['bidder', 'tenderer']);
    const ledger = await t.ctx.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('type', '=', 'identity.registered')
      .where('subject_id', '=', body.org.id)
      .execute();
    expect(ledger).toHaveLength(1);
    const events = await t.ctx.db.selectFrom('outbox_events').selectAll().where('type', '=', 'identity.registered').execute();
    expect(events.some((e) => (e.payload as { orgId: string }).orgId === body.org.id)).toBe(true);
  });

  it('rejects an invalid credit code on the uscc field and creates nothing', async () => {
    const good = makeUscc('typo');
    const typo = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await register(orgBody({ uscc: typo, username: 'typo-user' }));
    expect(res.statusCode).toBe(400);
    expect(problem(res)).toMatchObject({ code: 'INVALID_USCC', field: 'uscc' });
    expect(problem(res).message.zh).toContain('校验码');
    expect(problem(await register(orgBody({ uscc: '91350200MA2XXXXX0A', username: 'typo-user' }))).code).toBe('INVALID_USCC');
    const acc = await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'typo-user').executeTakeFirst();
    expect(acc).toBeUndefined();
  });

  it('refuses a second registration of the same credit code, and a taken username (any case)', async () => {
    const dup = await register(orgBody({ username: 'someone-else' }));
    expect(dup.statusCode).toBe(409);
    expect(problem(dup)).toMatchObject({ code: 'USCC_ALREADY_REGISTERED', field: 'uscc' });
    const taken = await register(orgBody({ uscc: makeUscc('other-co'), username: 'HaiCang' }));
    expect(taken.statusCode).toBe(409);
    expect(problem(taken)).toMatchObject({ code: 'USERNAME_TAKEN', field: 'username' });
    // Nothing half-registered: the other company can still register under a free username.
    expect((await register(orgBody({ uscc: makeUscc('other-co'), username: 'otherco', name: '厦门其他公司' }))).statusCode).toBe(201);
  });

  it('settles two simultaneous registrations of one credit code with one 201 and one 409', async () => {
    const uscc = makeUscc('race');
    const [a, b] = await Promise.all([
      register(orgBody({ uscc, username: 'race-a', name: '竞速公司' })),
      register(orgBody({ uscc, username: 'race-b', name: '竞速公司' })),
    ]);
    expect([a.statusCode, b.statusCode].sort(), a.body + b.body).toEqual([201, 409]);
    expect(problem(a.statusCode === 409 ? a : b).code).toBe('USCC_ALREADY_REGISTERED');
    const [c, d] = await Promise.all([
      register(orgBody({ uscc: makeUscc('race-c'), username: 'Racer', name: '丙公司' })),
      register(orgBody({ uscc: makeUscc('race-d'), username: 'racer', name: '丁公司' })),
    ]);
    expect([c.statusCode, d.statusCode].sort()).toEqual([201, 409]);
    expect(problem(c.statusCode === 409 ? c : d).code).toBe('USERNAME_TAKEN');
  });

  it('enforces the password policy and the market-role whitelist', async () => {
    const weak = await register(orgBody({ uscc: makeUscc('weak'), username: 'weakling', password: 'short1' }));
    expect(problem(weak)).toMatchObject({ code: 'WEAK_PASSWORD', field: 'password' });
    const staff = await register(orgBody({ uscc: makeUscc('weak'), username: 'weakling', roles: ['center_witness'] }));
    expect(staff.statusCode).toBe(400);
    expect(problem(staff).field).toMatch(/^roles/);
  });

  it('registers a natural person keeping only a keyed hash of the ID number, and masks the public name', async () => {
    const idNumber = makeResidentId('zhang');
    const res = await register({
      kind: 'person',
      name: '张三丰',
      idNumber,
      username: 'zhangsf',
      password: PASSWORD,
      displayName: '张三丰',
      phone: '13900000002',
      roles: ['auction_bidder'],
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().org.id;
    const row = await t.ctx.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.person_id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(idNumber);
    expect(row.region_code).toBe(idNumber.slice(0, 6));
    const ledger = await t.ctx.db.selectFrom('ledger_entries').select('payload').where('subject_id', '=', id).execute();
    expect(JSON.stringify(ledger)).not.toContain(idNumber);
    const pub = await t.app.inject(`/api/identity/orgs/${id}`);
    expect(pub.json()).toMatchObject({ kind: 'person', name: '张**', uscc: null });
    const again = await register({
      kind: 'person',
      name: '张三丰',
      idNumber: idNumber.toLowerCase(),
      username: 'zhangsf2',
      password: PASSWORD,
      displayName: '张',
      phone: '13900000002',
      roles: ['bidder'],
    });
    expect(problem(again)).toMatchObject({ code: 'PERSON_ALREADY_REGISTERED', field: 'idNumber' });
    const bad = await register({
      kind: 'person',
      name: '李四',
      idNumber: idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1'),
      username: 'lisi',
      password: PASSWORD,
      displayName: '李四',
      phone: '13900000003',
      roles: ['bidder'],
    });
    expect(problem(bad)).toMatchObject({ code: 'INVALID_ID_NUMBER', field: 'idNumber' });
    const agency = await register({
      kind: 'person',
      name: '王五',
      idNumber: makeResidentId('wang'),
      username: 'wangwu',
      password: PASSWORD,
      displayName: '王五',
      phone: '13900000004',
      roles: ['agency'],
    });
    expect(problem(agency)).toMatchObject({ code: 'ROLE_NOT_ALLOWED', field: 'roles' });
  });

  it('shows a public profile to anyone and 404 for an unknown id', async () => {
    const org = (await register(orgBody({ uscc: makeUscc('public-co'), username: 'publicco', name: '厦门公开公司' }))).json().org;
    const res = await t.app.inject(`/api/identity/orgs/${org.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: org.id,
      kind: 'organisation',
      name: '厦门公开公司',
      uscc: org.uscc,
      regionCode: '350200',
      status: 'active',
      registeredAt: expect.any(String),
    });
    expect(problem(await t.app.inject('/api/identity/orgs/00000000-0000-4000-8000-000000000000')).code).toBe('NOT_FOUND');
  });

  it('lets an organisation admin add accounts to its own organisation only', async () => {
    const a = (await register(orgBody({ uscc: makeUscc('org-a'), username: 'orga-admin', name: '甲公司', roles: ['bidder'] }))).json();
    const b = (await register(orgBody({ uscc: makeUscc('org-b'), username: 'orgb-admin', name: '乙公司', roles: ['bidder'] }))).json();
    const admin = await login(t.app, 'orga-admin', PASSWORD);
    const add = await admin.post(`/api/identity/orgs/${a.org.id}/accounts`, {
      username: 'orga-clerk',
      password: PASSWORD,
      displayName: '甲公司 经办人',
      roles: ['bidder'],
    });
    expect(add.statusCode).toBe(201);
    expect(add.json()).toMatchObject({ username: 'orga-clerk', orgId: a.org.id, isOrgAdmin: false, roles: [{ role: 'bidder' }] });
    const clerk = await login(t.app, 'orga-clerk', PASSWORD);
    expect((await clerk.get('/api/auth/me')).json().actor.orgId).toBe(a.org.id);

    // IDOR: the same request against another organisation's id is answered as if it did not exist.
    const idor = await admin.post(`/api/identity/orgs/${b.org.id}/accounts`, {
      username: 'planted',
      password: PASSWORD,
      displayName: '内鬼',
      roles: ['bidder'],
    });
    expect(idor.statusCode).toBe(404);
    expect(await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'planted').executeTakeFirst()).toBeUndefined();
    expect((await admin.get(`/api/identity/orgs/${b.org.id}/accounts`)).statusCode).toBe(404);
    const mine = await admin.get(`/api/identity/orgs/${a.org.id}/accounts`);
    expect(mine.json().items.map((x: { username: string }) => x.username)).toEqual(['orga-admin', 'orga-clerk']);

    // A plain member is not an admin; nobody grants a role they do not hold.
    const byClerk = await clerk.post(`/api/identity/orgs/${a.org.id}/accounts`, {
      username: 'orga-x',
      password: PASSWORD,
      displayName: 'x',
      roles: ['bidder'],
    });
    expect(problem(byClerk)).toMatchObject({ code: 'FORBIDDEN_ORG_ADMIN' });
    const escalate = await admin.post(`/api/identity/orgs/${a.org.id}/accounts`, {
      username: 'orga-y',
      password: PASSWORD,
      displayName: 'y',
      roles: ['agency'],
    });
    expect(problem(escalate)).toMatchObject({ code: 'ROLE_NOT_ALLOWED', field: 'roles' });
    const dupName = await admin.post(`/api/identity/orgs/${a.org.id}/accounts`, {
      username: 'orgb-admin',
      password: PASSWORD,
      displayName: 'z',
      roles: ['bidder'],
    });
    expect(problem(dupName).code).toBe('USERNAME_TAKEN');
  });

  it('refuses an expired session and a missing one', async () => {
    const org = (await register(orgBody({ uscc: makeUscc('expiry'), username: 'expiry-admin', name: '过期公司' }))).json().org;
    const s = await login(t.app, 'expiry-admin', PASSWORD);
    t.clock.advance(t.ctx.config.sessionTtlMinutes * 60_000 + 1);
    const res = await s.post(`/api/identity/orgs/${org.id}/accounts`, {
      username: 'late-user',
      password: PASSWORD,
      displayName: 'late',
      roles: ['bidder'],
    });
    expect(res.statusCode).toBe(401);
    expect(problem(res).code).toBe('UNAUTHENTICATED');
    const anon = await t.app.inject({
      method: 'POST',
      url: `/api/identity/orgs/${org.id}/accounts`,
      payload: { username: 'anon-user', password: PASSWORD, displayName: 'a', roles: ['bidder'] },
    });
    expect(problem(anon).code).toBe('UNAUTHENTICATED');
  });

  it('lets staff search entities by name or credit-code prefix, page by page; market roles may not', async () => {
    const bidder = await login(t.app, 'haicang', PASSWORD);
    const refused = await bidder.get('/api/identity/orgs?q=公司');
    expect(refused.statusCode).toBe(403);
    expect(problem(refused).code).toBe('FORBIDDEN_ROLE');
    expect((await t.app.inject('/api/identity/orgs')).statusCode).toBe(401);
    const staff = await login(t.app, 'intake1');
    const byName = (await staff.get(`/api/identity/orgs?q=${encodeURIComponent('海沧')}`)).json();
    expect(byName.items.map((o: { name: string }) => o.name)).toEqual(['厦门市海沧建设工程有限公司']);
    const byCode = (await staff.get(`/api/identity/orgs?q=${makeUscc('org-b').slice(0, 12)}`)).json();
    expect(byCode.items.map((o: { name: string }) => o.name)).toEqual(['乙公司']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await staff.get(`/api/identity/orgs?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    const total = await t.ctx.db.selectFrom('organisations').select('id').execute();
    expect(new Set(seen).size).toBe(total.length);
    expect(seen.length).toBe(total.length);
  });
});
