import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, seedAccount, type TestApp } from '../../../test/harness';

const NOW = '2026-11-02T01:00:00Z';
const uscc = (tag: string) => `91350200${tag.toUpperCase()}`.padEnd(17, '0').slice(0, 17) + 'X';

describeEngines('auction lists (hall, organiser, bidder)', (engine) => {
  let t: TestApp;
  let id = '';
  beforeAll(async () => {
    t = await createTestApp(engine, { now: NOW });
    await seedAccount(t.ctx, { username: 'ls-org', roles: [{ role: 'agency' }], org: { name: 'ls 拍卖代理', uscc: uscc('LSA') } });
    await seedAccount(t.ctx, { username: 'ls-org2', roles: [{ role: 'agency' }], org: { name: 'ls 另一代理', uscc: uscc('LSB') } });
    for (const i of [1, 2]) await seedAccount(t.ctx, { username: `ls-b${i}`, roles: [{ role: 'auction_bidder' }], org: { name: `ls 竞买公司 ${i}`, uscc: uscc(`LSC${i}`) } });
    const org = await login(t.app, 'ls-org');
    const r = await org.post('/api/auctions', {
      title: '某地块国有建设用地使用权', policy: 'auction', industry: 'land', regionCode: '350203', startPriceFen: 100_000_00, incrementFen: 1_000_00,
      reserveFen: 123_456_00, depositFen: 0, registrationEndsAt: '2026-11-03T08:00:00Z', startsAt: '2026-11-04T01:00:00Z', firstPhaseEndsAt: '2026-11-04T02:00:00Z', countdownSeconds: 300,
    });
    expect(r.statusCode, r.body).toBe(200);
    id = r.json<{ id: string }>().id;
    const b1 = await login(t.app, 'ls-b1');
    expect((await b1.post(`/api/auctions/${id}/applications`, { materialFileIds: [] })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it('the public hall lists the auction without the reserve or any bidder', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/auctions' });
    expect(r.statusCode, r.body).toBe(200);
    const item = r.json<{ items: Record<string, unknown>[] }>().items.find((x) => x.id === id);
    expect(item).toMatchObject({ title: '某地块国有建设用地使用权', status: 'open', startPriceFen: 100_000_00, currentPriceFen: null, me: null });
    expect(r.body).not.toContain('12345600');
  });

  it('mine=organiser: only the own organisation; mine=bidder: only what the caller applied to, with its status', async () => {
    const mine = async (user: string, q: string) => (await (await login(t.app, user)).get(`/api/auctions?mine=${q}`)).json<{ items: { id: string; me: unknown }[] }>().items;
    expect((await mine('ls-org', 'organiser')).map((x) => x.id)).toEqual([id]);
    expect(await mine('ls-org2', 'organiser')).toEqual([]);
    expect(await mine('ls-b1', 'bidder')).toEqual([expect.objectContaining({ id, me: { status: 'applied', biddingNo: null } })]);
    expect(await mine('ls-b2', 'bidder')).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/auctions?mine=bidder' })).statusCode).toBe(401);
  });
});
