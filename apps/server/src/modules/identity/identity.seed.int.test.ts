import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertRoleSeparation, canSupervise } from '../../platform/auth/policies';
import { createTestApp, describeEngines, login, type TestApp } from '../../../test/harness';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedIdentityDemo } from './identity.seed';
import { isValidUscc, type Role } from '@yiwang/contracts';

describeEngines('identity: demo seed', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  it('seeds once, with valid credit codes and grants that obey 管办分离', async () => {
    for (const a of DEMO_ACCOUNTS) {
      expect(() => assertRoleSeparation(a.roles.map((g) => g.role as Role))).not.toThrow();
      if (a.org?.kind === 'organisation') expect(isValidUscc(a.org.uscc), a.org.uscc).toBe(true);
    }
    expect(await seedIdentityDemo(t.ctx)).toBe(DEMO_ACCOUNTS.length);
    expect(await seedIdentityDemo(t.ctx)).toBe(0);
    const reg = await login(t.app, 'reg-construction', DEMO_PASSWORD);
    const actor = (await reg.get('/api/auth/me')).json().actor;
    expect(canSupervise(actor, { industry: 'construction', region: '350203' })).toBe(true);
    expect(canSupervise(actor, { industry: 'transport', region: '350203' })).toBe(false);
    const tenderer = await login(t.app, 'tenderer', DEMO_PASSWORD);
    expect((await tenderer.get('/api/auth/me')).json().actor).toMatchObject({ orgName: '厦门市政建设集团有限公司', isOrgAdmin: true });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'open-data', password: DEMO_PASSWORD } }))
        .statusCode,
    ).toBe(401);
  });
});
