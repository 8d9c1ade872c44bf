import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type TestApp } from '../../../test/harness';

describeEngines('sign-in, sessions and CSRF', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedAccount(t.ctx, { username: 'alice', roles: [{ role: 'tenderer' }], org: { name: '厦门市测试建设有限公司', uscc: '91350200MA2XXXXX0A' } });
  });
  afterAll(() => t.close());

  it('signs in and reports the actor with its roles', async () => {
    const s = await login(t.app, 'alice');
    const me = await s.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().actor).toMatchObject({ username: 'alice', orgName: '厦门市测试建设有限公司', roles: [{ role: 'tenderer' }] });
  });

  it('refuses a wrong password without saying whether the user exists', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'nope-nope-1' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'nope-nope-1' } });
    expect(problem(wrong).code).toBe('LOGIN_FAILED');
    expect(problem(unknown).code).toBe('LOGIN_FAILED');
    expect(problem(wrong).message.zh).toBe(problem(unknown).message.zh);
  });

  it('locks the account after five failures, even for the right password', async () => {
    await seedAccount(t.ctx, { username: 'mallory-target', roles: [{ role: 'bidder' }] });
    for (let i = 0; i < 5; i++) {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'mallory-target', password: `guess-${i}-xxxx` } });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'mallory-target', password: 'Test-password-2026' } });
    expect(res.statusCode).toBe(423);
    expect(problem(res).code).toBe('ACCOUNT_LOCKED');
    t.clock.advance(16 * 60_000);
    await expect(login(t.app, 'mallory-target')).resolves.toBeTruthy();
  });

  it('rejects a state-changing request that lacks the CSRF header', async () => {
    const s = await login(t.app, 'alice');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `yw_session=${s.cookie}` } });
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('CSRF_TOKEN_INVALID');
  });

  it('treats an expired session as signed out', async () => {
    const s = await login(t.app, 'alice');
    t.clock.advance(t.ctx.config.sessionTtlMinutes * 60_000 + 1000);
    const res = await s.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(problem(res).code).toBe('UNAUTHENTICATED');
  });

  it('answers unknown routes and malformed bodies with problem+json', async () => {
    expect(problem(await t.app.inject('/api/nope')).code).toBe('NOT_FOUND');
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a', password: 'b', extra: 1 } });
    expect(problem(bad)).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'extra' });
  });
});

describeEngines('rate limit on sign-in and registration', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { config: { authRateLimitPerMinute: 3 } });
  });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED once a client exceeds the per-minute budget', async () => {
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: 'whatever-123' } });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(problem(limited).code).toBe('RATE_LIMITED');
    const reg = await t.app.inject({ method: 'POST', url: '/api/identity/registrations', payload: {} });
    expect(reg.statusCode).toBe(400); // registration has its own budget, untouched so far
  });
});
