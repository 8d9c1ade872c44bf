import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../app';
import { createTestApp, describeEngines, problem, seedAccount, TEST_PASSWORD, type TestApp } from '../../../test/harness';

// main.ts builds the app with lazySchemas: each route's validator and serializer are compiled on first use. A client
// must not be able to tell: the same requests get the same answers as from the eagerly compiled app the tests use.
describeEngines('schemas compiled on first use (as main.ts runs)', (engine) => {
  let t: TestApp;
  let lazy: FastifyInstance;
  beforeAll(async () => {
    t = await createTestApp(engine);
    lazy = await buildApp({ ctx: t.ctx, lazySchemas: true });
    await lazy.ready();
    await seedAccount(t.ctx, { username: 'lazy-alice', roles: [{ role: 'tenderer' }], org: { name: '厦门市懒编译测试有限公司', uscc: '91350200MA2LAZY00X' } });
  });
  afterAll(async () => {
    await lazy?.close();
    await t?.close();
  });

  const both = async (opts: InjectOptions) => [await t.app.inject(opts), await lazy.inject(opts)] as const;

  it('refuses an invalid body with the same problem, also on the second call', async () => {
    for (const payload of [{ username: 'lazy-alice' }, { username: 'lazy-alice', password: TEST_PASSWORD, admin: true }, { username: '', password: 'x' }]) {
      for (let round = 0; round < 2; round++) {
        const [eager, onFirstUse] = await both({ method: 'POST', url: '/api/auth/login', payload });
        expect(eager.statusCode).toBe(400);
        expect(onFirstUse.statusCode).toBe(400);
        expect(problem(onFirstUse)).toEqual(problem(eager));
      }
    }
  });

  it('coerces and checks a query string the same way', async () => {
    const bad = await both({ method: 'GET', url: '/api/calendar/deadline?start=2026-09-28T02:00:00Z&days=abc&unit=working' });
    expect(bad[1].statusCode).toBe(400);
    expect(problem(bad[1])).toEqual(problem(bad[0]));
    const good = await both({ method: 'GET', url: '/api/calendar/deadline?start=2026-09-28T02:00:00Z&days=5&unit=working' });
    expect(good[1].statusCode).toBe(200);
    expect(good[1].json()).toEqual(good[0].json());
    expect(good[1].json<{ days: unknown }>().days).toBe(5); // coerced to an integer, not the string "5"
  });

  it('serialises responses through the route schema the same way', async () => {
    const [eager, onFirstUse] = await both({ method: 'POST', url: '/api/auth/login', payload: { username: 'lazy-alice', password: TEST_PASSWORD } });
    expect(onFirstUse.statusCode).toBe(200);
    const strip = (b: Record<string, unknown>) => ({ ...b, csrfToken: typeof b.csrfToken, expiresAt: typeof b.expiresAt });
    expect(strip(onFirstUse.json())).toEqual(strip(eager.json()));
    const years = await both({ method: 'GET', url: '/api/calendar/years' });
    expect(years[1].body).toBe(years[0].body);
  });
});
