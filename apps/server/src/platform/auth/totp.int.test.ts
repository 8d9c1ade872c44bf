import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestApp, describeEngines, login, problem, seedAccount, Session, type TestApp } from '../../../test/harness';

/** Passing the second factor replaces the session: follow the new cookie and CSRF token. */
function upgraded(app: FastifyInstance, res: LightMyRequestResponse): Session {
  if (res.statusCode !== 200) throw new Error(`second factor failed: ${res.statusCode} ${res.body}`);
  return new Session(app, res.cookies.find((c) => c.name === 'yw_session')!.value, res.json().csrfToken);
}

function codeAt(secret: string, at: Date): string {
  return OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), timestamp: at.getTime() });
}

describeEngines('TOTP second factor', (engine) => {
  describe('with requireStaffTotp on', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine, { config: { requireStaffTotp: true } });
      await seedAccount(t.ctx, { username: 'clerk', roles: [{ role: 'center_intake' }] });
      await seedAccount(t.ctx, { username: 'market', roles: [{ role: 'bidder' }] });
      await seedAccount(t.ctx, { username: 'admin', roles: [{ role: 'admin' }] });
    });
    afterAll(() => t.close());

    it('holds a staff session at the door until it enrols, then until it verifies at each sign-in', async () => {
      const first = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'clerk', password: 'Test-password-2026' },
      });
      expect(first.json().secondFactor).toBe('enrolment_required');
      const s = await login(t.app, 'clerk');
      const held = await s.get('/api/identity/orgs');
      expect(held.statusCode).toBe(403);
      expect(problem(held)).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
      expect((await s.get('/api/auth/me')).json().secondFactor).toBe('enrolment_required');

      const enrol = await s.post('/api/auth/totp/enrol');
      expect(enrol.statusCode).toBe(200);
      const { uri, secret } = enrol.json();
      expect(uri).toMatch(/^otpauth:\/\/totp\/.*clerk\?.*secret=/);
      expect(uri).toContain(`secret=${secret}`);

      const wrong = await s.post('/api/auth/totp/confirm', { code: codeAt(secret, new Date(t.clock.now().getTime() + 10 * 60_000)) });
      expect(problem(wrong)).toMatchObject({ code: 'TOTP_INVALID', field: 'code' });
      const code = codeAt(secret, t.clock.now());
      const ok = await s.post('/api/auth/totp/confirm', { code });
      expect(ok.json()).toMatchObject({ secondFactor: 'ok' });
      const sv = upgraded(t.app, ok);
      expect(sv.cookie).not.toBe(s.cookie);
      expect((await sv.get('/api/identity/orgs')).statusCode).toBe(200);
      // The pre-verification session id is gone (renewed at the privilege change).
      expect(problem(await s.get('/api/auth/me')).code).toBe('UNAUTHENTICATED');
      // Enrolment cannot be redone over the top of a working factor.
      expect(problem(await sv.post('/api/auth/totp/enrol')).code).toBe('TOTP_ALREADY_ENABLED');

      // Next sign-in: the password alone is not enough.
      const s2 = await login(t.app, 'clerk');
      expect(problem(await s2.get('/api/identity/orgs')).code).toBe('SECOND_FACTOR_REQUIRED');
      expect((await s2.get('/api/auth/me')).json().secondFactor).toBe('verify_required');
      expect(problem(await s2.post('/api/auth/totp/enrol')).code).toBe('TOTP_ALREADY_ENABLED');
      // The code already used at enrolment cannot be replayed.
      expect(problem(await s2.post('/api/auth/totp/verify', { code })).code).toBe('TOTP_INVALID');
      t.clock.advance(30_000);
      const verified = upgraded(t.app, await s2.post('/api/auth/totp/verify', { code: codeAt(secret, t.clock.now()) }));
      expect((await verified.get('/api/identity/orgs')).statusCode).toBe(200);
      expect((await verified.get('/api/auth/me')).json().secondFactor).toBe('ok');
      const ledger = await t.ctx.db.selectFrom('ledger_entries').select('type').where('type', '=', 'auth.totp_enabled').execute();
      expect(ledger).toHaveLength(1);
    });

    it('locks the account after five wrong codes', async () => {
      const s = await login(t.app, 'admin');
      const { secret } = (await s.post('/api/auth/totp/enrol')).json();
      await s.post('/api/auth/totp/confirm', { code: codeAt(secret, t.clock.now()) });
      const s2 = await login(t.app, 'admin');
      const future = (n: number) => codeAt(secret, new Date(t.clock.now().getTime() + (n + 5) * 3_600_000));
      for (let i = 0; i < 5; i++) expect(problem(await s2.post('/api/auth/totp/verify', { code: future(i) })).code).toBe('TOTP_INVALID');
      t.clock.advance(30_000);
      const locked = await s2.post('/api/auth/totp/verify', { code: codeAt(secret, t.clock.now()) });
      expect(locked.statusCode).toBe(423);
      expect(problem(locked).code).toBe('ACCOUNT_LOCKED');
    });

    it('does not hold market accounts that never enrolled', async () => {
      const s = await login(t.app, 'market');
      expect((await s.get('/api/auth/me')).json().secondFactor).toBe('not_required');
      expect((await s.get('/api/identity/keys')).statusCode).toBe(200);
    });

    it('lets an administrator reset a lost authenticator', async () => {
      await seedAccount(t.ctx, { username: 'admin2', roles: [{ role: 'admin' }] });
      const pending = await login(t.app, 'admin2');
      const { secret } = (await pending.post('/api/auth/totp/enrol')).json();
      const a = upgraded(t.app, await pending.post('/api/auth/totp/confirm', { code: codeAt(secret, t.clock.now()) }));
      const clerk = await t.ctx.db
        .selectFrom('accounts')
        .select(['id', 'totp_enabled'])
        .where('username', '=', 'clerk')
        .executeTakeFirstOrThrow();
      expect(clerk.totp_enabled).toBe(true);
      expect((await a.delete(`/api/admin/accounts/${clerk.id}/totp`)).statusCode).toBe(204);
      const s = await login(t.app, 'clerk');
      expect((await s.get('/api/auth/me')).json().secondFactor).toBe('enrolment_required');
    });
  });

  describe('with requireStaffTotp off (demo)', () => {
    let t: TestApp;
    let staff: Session;
    beforeAll(async () => {
      t = await createTestApp(engine, { config: { requireStaffTotp: false } });
      await seedAccount(t.ctx, { username: 'clerk', roles: [{ role: 'center_intake' }] });
      staff = await login(t.app, 'clerk');
    });
    afterAll(() => t.close());

    it('lets staff in with a password, but still holds an account that opted in to TOTP', async () => {
      expect((await staff.get('/api/auth/me')).json().secondFactor).toBe('not_required');
      expect((await staff.get('/api/identity/orgs')).statusCode).toBe(200);
      const { secret } = (await staff.post('/api/auth/totp/enrol')).json();
      expect((await staff.post('/api/auth/totp/confirm', { code: codeAt(secret, t.clock.now()) })).statusCode).toBe(200);
      const again = await login(t.app, 'clerk');
      expect(problem(await again.get('/api/identity/orgs')).code).toBe('SECOND_FACTOR_REQUIRED');
      t.clock.advance(30_000);
      const verified = upgraded(t.app, await again.post('/api/auth/totp/verify', { code: codeAt(secret, t.clock.now()) }));
      expect((await verified.get('/api/identity/orgs')).statusCode).toBe(200);
    });
  });
});
