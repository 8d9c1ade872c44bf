import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type TestApp } from '../../../test/harness';
import { ensureCatalogSeeded } from '../catalog/index';

const WAN = 1_000_000;

describeEngines('project intake: region codes (GB/T 2260)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await ensureCatalogSeeded(t.ctx.db, t.clock.now());
    await seedAccount(t.ctx, { username: 'rg-tenderer', roles: [{ role: 'tenderer' }], org: { name: '厦门市某单位', uscc: '12350200MB1REGIONA' } });
  });
  afterAll(() => t.close());

  const body = (regionCode: string) => ({
    name: '某道路改造工程',
    catalogCode: 'works.housing',
    procedureType: 'works_open_tender',
    subject: 'works',
    regionCode,
    estimateFen: 50 * WAN,
    lots: [{ name: '一标段', estimateFen: 50 * WAN }],
  });

  it('accepts a district of Xiamen and a city of Fujian, refuses a code outside the served divisions', async () => {
    const s = await login(t.app, 'rg-tenderer');
    const ok = await s.post('/api/projects', body('350211'));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().regionCode).toBe('350211');
    expect((await s.post('/api/projects', body('350500'))).statusCode).toBe(201);
    for (const code of ['350204', '110101']) {
      const res = await s.post('/api/projects', body(code));
      expect(res.statusCode).toBe(400);
      expect(problem(res)).toMatchObject({ code: 'INTAKE_REGION_UNKNOWN', field: 'regionCode' });
    }
    // An edit is checked the same way.
    const edit = await s.put(`/api/projects/${ok.json().id}`, body('999999'));
    expect(problem(edit)).toMatchObject({ code: 'INTAKE_REGION_UNKNOWN', field: 'regionCode' });
  });
});
