import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeUscc } from '@yiwang/contracts';
import {
  createTestApp,
  describeEngines,
  login,
  problem,
  seedAccount,
  TEST_PASSWORD,
  type Session,
  type TestApp,
} from '../../../test/harness';

describeEngines('identity: administration, role separation and API tokens', (engine) => {
  let t: TestApp;
  let admin: Session;
  let vendorOrgId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedAccount(t.ctx, { username: 'root', roles: [{ role: 'admin' }] });
    await seedAccount(t.ctx, { username: 'witness1', roles: [{ role: 'center_witness' }] });
    vendorOrgId = (
      await seedAccount(t.ctx, {
        username: 'vendor',
        roles: [{ role: 'bidder' }],
        org: { name: '厦门供应商有限公司', uscc: makeUscc('vendor') },
      })
    ).orgId!;
    admin = await login(t.app, 'root');
  });
  afterAll(() => t.close());

  const staff = (over: Record<string, unknown>) => ({ displayName: '工作人员', password: 'Staff-pass-2026', ...over });

  it('creates a regulator with jurisdiction, who signs in with those grants', async () => {
    const res = await admin.post(
      '/api/admin/accounts',
      staff({ username: 'reg-construction', roles: [{ role: 'regulator', industries: ['construction'], regions: ['350200'] }] }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().roles).toEqual([{ role: 'regulator', industries: ['construction'], regions: ['350200'] }]);
    const s = await login(t.app, 'reg-construction', 'Staff-pass-2026');
    expect((await s.get('/api/auth/me')).json().actor.roles).toEqual([
      { role: 'regulator', industries: ['construction'], regions: ['350200'] },
    ]);
    const ledger = await t.ctx.db.selectFrom('ledger_entries').select('type').where('subject_id', '=', res.json().id).execute();
    expect(ledger.map((l) => l.type)).toEqual(['identity.account_created']);
  });

  it('refuses anyone but an administrator', async () => {
    const witness = await login(t.app, 'witness1');
    const res = await witness.post('/api/admin/accounts', staff({ username: 'sneaky', roles: [{ role: 'admin' }] }));
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('FORBIDDEN_ROLE');
    const vendor = await login(t.app, 'vendor');
    const me = (await vendor.get('/api/auth/me')).json().actor.accountId;
    expect(problem(await vendor.put(`/api/admin/accounts/${me}/roles`, { roles: [{ role: 'admin' }] })).code).toBe('FORBIDDEN_ROLE');
    expect((await t.app.inject({ method: 'GET', url: `/api/admin/accounts/${me}` })).statusCode).toBe(401);
  });

  it('enforces 管办分离 on creation and on role changes', async () => {
    const both = await admin.post(
      '/api/admin/accounts',
      staff({ username: 'both', roles: [{ role: 'center_witness' }, { role: 'auditor', regions: ['35'] }] }),
    );
    expect(both.statusCode).toBe(409);
    expect(problem(both)).toMatchObject({ code: 'ROLE_SEPARATION', field: 'roles' });
    expect(await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'both').executeTakeFirst()).toBeUndefined();

    const center = (await admin.post('/api/admin/accounts', staff({ username: 'intake2', roles: [{ role: 'center_intake' }] }))).json();
    const mixed = await admin.put(`/api/admin/accounts/${center.id}/roles`, {
      roles: [{ role: 'center_intake' }, { role: 'regulator', industries: ['water'], regions: ['3502'] }],
    });
    expect(problem(mixed).code).toBe('ROLE_SEPARATION');
    expect((await admin.get(`/api/admin/accounts/${center.id}`)).json().roles).toEqual([
      { role: 'center_intake', industries: [], regions: [] },
    ]);

    const vendorAcc = await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'vendor').executeTakeFirstOrThrow();
    const marketPlusCenter = await admin.put(`/api/admin/accounts/${vendorAcc.id}/roles`, {
      roles: [{ role: 'bidder' }, { role: 'center_venue' }],
    });
    expect(problem(marketPlusCenter).code).toBe('ROLE_SEPARATION');

    const ok = await admin.put(`/api/admin/accounts/${center.id}/roles`, {
      roles: [{ role: 'center_intake' }, { role: 'center_archive' }],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().roles.map((r: { role: string }) => r.role)).toEqual(['center_intake', 'center_archive']);
    const change = await t.ctx.db
      .selectFrom('ledger_entries')
      .select('payload')
      .where('type', '=', 'identity.roles_changed')
      .where('subject_id', '=', center.id)
      .executeTakeFirstOrThrow();
    expect(change.payload).toMatchObject({ before: [{ role: 'center_intake' }] });
  });

  it('requires jurisdiction for supervisors and an organisation for market roles', async () => {
    expect(
      problem(
        await admin.post(
          '/api/admin/accounts',
          staff({ username: 'reg-nowhere', roles: [{ role: 'regulator', industries: ['construction'] }] }),
        ),
      ).code,
    ).toBe('JURISDICTION_REQUIRED');
    expect(problem(await admin.post('/api/admin/accounts', staff({ username: 'mgr-nowhere', roles: [{ role: 'manager' }] }))).code).toBe(
      'JURISDICTION_REQUIRED',
    );
    expect(problem(await admin.post('/api/admin/accounts', staff({ username: 'orphan-bidder', roles: [{ role: 'bidder' }] }))).code).toBe(
      'ORG_REQUIRED',
    );
    const withOrg = await admin.post(
      '/api/admin/accounts',
      staff({ username: 'vendor-2', orgId: vendorOrgId, roles: [{ role: 'bidder' }] }),
    );
    expect(withOrg.statusCode).toBe(201);
    expect(
      problem(await admin.post('/api/admin/accounts', staff({ username: 'bad-region', roles: [{ role: 'auditor', regions: ['35AB'] }] })))
        .code,
    ).toBe('VALIDATION_FAILED');
  });

  it('will not remove the last administrator', async () => {
    const me = (await admin.get('/api/auth/me')).json().actor.accountId;
    const res = await admin.put(`/api/admin/accounts/${me}/roles`, { roles: [{ role: 'center_intake' }] });
    expect(res.statusCode).toBe(409);
    expect(problem(res).code).toBe('LAST_ADMIN');
    expect((await admin.get('/api/auth/me')).json().actor.roles.map((r: { role: string }) => r.role)).toEqual(['admin']);
  });

  it('issues scoped tokens to system accounts only, stores only their hash, and honours scope, expiry and revocation', async () => {
    const sys = await admin.post('/api/admin/accounts', {
      username: 'credit-platform',
      displayName: '信用平台',
      roles: [{ role: 'system' }],
    });
    expect(sys.statusCode).toBe(201);
    const sysId = sys.json().id;
    // A system account has no password: it cannot sign in at the login form.
    expect(
      problem(
        await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'credit-platform', password: '!token-only' } }),
      ).code,
    ).toBe('LOGIN_FAILED');
    expect(
      problem(
        await admin.post('/api/admin/accounts', {
          username: 'sys-pw',
          displayName: 'x',
          password: TEST_PASSWORD,
          roles: [{ role: 'system' }],
        }),
      ).code,
    ).toBe('FIELD_NOT_ALLOWED');

    const vendorAcc = await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'vendor').executeTakeFirstOrThrow();
    expect(problem(await admin.post(`/api/admin/accounts/${vendorAcc.id}/tokens`, { name: 'x', scopes: ['identity:read'] })).code).toBe(
      'TOKEN_SYSTEM_ONLY',
    );
    expect(problem(await admin.post(`/api/admin/accounts/${sysId}/tokens`, { name: 'x', scopes: ['everything'] })).code).toBe(
      'VALIDATION_FAILED',
    );

    const narrow = await admin.post(`/api/admin/accounts/${sysId}/tokens`, { name: '公告同步', scopes: ['announcements:read'] });
    expect(narrow.statusCode).toBe(201);
    const wide = await admin.post(`/api/admin/accounts/${sysId}/tokens`, {
      name: '主体核验',
      scopes: ['identity:read', 'announcements:read'],
      expiresInDays: 30,
    });
    const narrowToken: string = narrow.json().token;
    const wideToken: string = wide.json().token;
    expect(wideToken).toMatch(/^ywt_[A-Za-z0-9_-]{43}$/);
    expect(wide.json().info).toMatchObject({
      scopes: ['announcements:read', 'identity:read'],
      revokedAt: null,
      prefix: wideToken.slice(0, 10),
    });

    const stored = await t.ctx.db.selectFrom('api_tokens').selectAll().where('account_id', '=', sysId).execute();
    expect(JSON.stringify(stored)).not.toContain(wideToken);
    const listed = await admin.get(`/api/admin/accounts/${sysId}/tokens`);
    expect(listed.json().items).toHaveLength(2);
    expect(listed.body).not.toContain(wideToken);

    const bearer = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const me = (await bearer(wideToken, '/api/auth/me')).json();
    expect(me).toMatchObject({
      actor: { username: 'credit-platform', roles: [{ role: 'system' }] },
      scopes: ['announcements:read', 'identity:read'],
    });

    // Scope refusal: the token is valid but not for this resource.
    const refused = await bearer(narrowToken, `/api/identity/orgs?q=${encodeURIComponent('供应商')}`);
    expect(refused.statusCode).toBe(403);
    expect(problem(refused).code).toBe('TOKEN_SCOPE_MISSING');
    const allowed = await bearer(wideToken, `/api/identity/orgs?q=${encodeURIComponent('供应商')}`);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().items.map((o: { name: string }) => o.name)).toEqual(['厦门供应商有限公司']);
    // A system token is not an administrator.
    expect(problem(await bearer(wideToken, `/api/admin/accounts/${sysId}`)).code).toBe('FORBIDDEN_ROLE');

    // Tokens need no CSRF header: there is no cookie a browser could be tricked into sending.
    const keyRes = await t.app.inject({ method: 'GET', url: '/api/identity/keys', headers: { authorization: `Bearer ${wideToken}` } });
    expect(keyRes.statusCode).toBe(200);

    expect(problem(await bearer('ywt_forged-token-value', '/api/auth/me')).code).toBe('TOKEN_INVALID');

    const revoke = await admin.delete(`/api/admin/tokens/${wide.json().info.id}`);
    expect(revoke.statusCode).toBe(204);
    const afterRevoke = await bearer(wideToken, `/api/identity/orgs?q=x`);
    expect(afterRevoke.statusCode).toBe(401);
    expect(problem(afterRevoke).code).toBe('TOKEN_INVALID');
    expect(
      (await admin.get(`/api/admin/accounts/${sysId}/tokens`)).json().items.find((x: { id: string }) => x.id === wide.json().info.id)
        .revokedAt,
    ).not.toBeNull();

    expect((await bearer(narrowToken, '/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(91 * 86_400_000);
    expect(problem(await bearer(narrowToken, '/api/auth/me')).code).toBe('TOKEN_INVALID');
  });
});
