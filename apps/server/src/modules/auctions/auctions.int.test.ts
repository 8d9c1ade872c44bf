import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { registerBank } from '../deposits/index';
import { DemoBank } from '../deposits/demo/demo-bank';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { ledgerSealer } from '../../platform/ledger/sealer';

// The `ws` client (a dependency of @fastify/websocket), typed minimally as the bidding tests do.
interface WsClient {
  on(ev: 'message', fn: (m: Buffer) => void): void;
  terminate(): void;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, opts?: { headers: Record<string, string> }) => WsClient;

const SECRET = 'auction-bank-shared-secret-0123456789-abcdef';
const NOW = '2026-11-02T01:00:00Z'; // Monday 09:00 Beijing
const uscc = (tag: string) => `91350200${tag.toUpperCase()}`.padEnd(17, '0').slice(0, 17) + 'X';

interface World {
  t: TestApp;
  organiser: Session;
  bidders: Session[];
  orgIds: string[];
  /** Move the server clock; sessions last two hours, so everyone signs in again. */
  travel(to: string): Promise<void>;
}

async function world(t: TestApp, n: number, prefix: string): Promise<World> {
  await seedAccount(t.ctx, { username: `${prefix}-org`, roles: [{ role: 'agency' }], org: { name: `${prefix} 拍卖代理`, uscc: uscc(`A${prefix}`) } });
  const orgIds: string[] = [];
  for (let i = 1; i <= n; i++) {
    const r = await seedAccount(t.ctx, {
      username: `${prefix}-b${i}`,
      roles: [{ role: 'auction_bidder' }, { role: 'bidder' }],
      org: { name: `${prefix} 竞买公司 ${i}`, uscc: uscc(`B${prefix}${String(i).padStart(3, '0')}`) },
    });
    orgIds.push(r.orgId!);
  }
  const w: World = { t, organiser: undefined as never, bidders: [], orgIds, travel: async () => {} };
  const signIn = async () => {
    w.organiser = await login(t.app, `${prefix}-org`);
    w.bidders = [];
    for (let i = 1; i <= n; i++) w.bidders.push(await login(t.app, `${prefix}-b${i}`));
  };
  w.travel = async (to: string) => {
    t.clock.set(new Date(to));
    await signIn();
  };
  await signIn();
  return w;
}

const base = {
  title: '厦门市某地块国有建设用地使用权',
  industry: 'land',
  regionCode: '350203',
  startPriceFen: 1_000_000_00,
  incrementFen: 10_000_00,
  reserveFen: 1_050_000_00,
  depositFen: 0,
  registrationEndsAt: '2026-11-03T08:00:00Z',
  startsAt: '2026-11-04T01:00:00Z',
  firstPhaseEndsAt: '2026-11-04T02:00:00Z',
  countdownSeconds: 300,
};

async function create(w: World, over: Record<string, unknown> = {}): Promise<string> {
  const r = await w.organiser.post('/api/auctions', { policy: 'auction', ...base, ...over });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ id: string }>().id;
}

async function register(w: World, id: string, who: number[], approve = true): Promise<string[]> {
  const apps: string[] = [];
  for (const i of who) {
    const r = await w.bidders[i]!.post(`/api/auctions/${id}/applications`, { materialFileIds: [] });
    expect(r.statusCode, r.body).toBe(200);
    apps.push(r.json<{ applicationId: string }>().applicationId);
    if (approve) {
      const d = await w.organiser.post(`/api/auctions/${id}/applications/${apps.at(-1)}/decision`, { approve: true });
      expect(d.statusCode, d.body).toBe(200);
    }
  }
  return apps;
}

const bid = (s: Session, id: string, amountFen: number, clientBidId: string, extra: Record<string, unknown> = {}) =>
  s.post(`/api/auctions/${id}/bids`, { amountFen, clientBidId, ...extra });

/** The bidder's own number (drawn at random at the registration deadline, so tests look it up). */
async function numberOf(s: Session, id: string): Promise<number | null> {
  const r = await s.get(`/api/auctions/${id}/number`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ biddingNo: number | null }>().biddingNo;
}

async function countBids(t: TestApp, id: string) {
  return (await t.ctx.db.selectFrom('auction_bids').select((eb) => eb.fn.countAll<number>().as('n')).where('auction_id', '=', id).executeTakeFirstOrThrow()).n;
}

describeEngines('auctions', (engine) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp(engine, { now: NOW });
    w = await world(t, 4, 'au');
  });
  afterAll(() => t.close());

  it('registration: the deposit is confirmed by the bank through the deposits module before a number is issued', async () => {
    await registerBank(t.ctx.db, null, { code: 'au_bank', name: '示范银行', masterAccountName: '保证金专户', masterAccountNo: '3501000012345678', subAccountPrefix: '35019988', hmacSecret: SECRET }, t.clock.now());
    const id = await create(w, { depositFen: 50_000_00 });
    const [app1] = await register(w, id, [0]);
    // approved, no deposit yet → no number; bidding later fails with AUCTION_DEPOSIT_NOT_CONFIRMED
    const list = await w.organiser.get(`/api/auctions/${id}/applications`);
    expect(list.json()).toEqual([expect.objectContaining({ applicationId: app1, status: 'approved', biddingNo: null })]);
    expect(problem(await w.bidders[0]!.post(`/api/auctions/${id}/number`)).code).toBe('AUCTION_NUMBERS_NOT_DRAWN');
    const sub = await w.bidders[0]!.post(`/api/deposits/lots/${id}/auction/sub-accounts`, { bankCode: 'au_bank' });
    expect(sub.statusCode, sub.body).toBe(200);
    const bank = new DemoBank('au_bank', SECRET);
    const credit = await t.app.inject(
      bank.sign({ type: 'credit', bankRef: 'AU-1', virtualAccount: sub.json<{ accountNo: string }>().accountNo, amountFen: 50_000_00, payer: { name: 'au 竞买公司 1', accountNo: '6222000011112222' }, creditedAt: t.clock.now().toISOString() }, t.clock.now()),
    );
    expect(credit.statusCode, credit.body).toBe(200);
    // numbers are drawn at the registration deadline, not handed out on payment
    expect(problem(await w.bidders[0]!.post(`/api/auctions/${id}/number`)).code).toBe('AUCTION_NUMBERS_NOT_DRAWN');
    // the other bidder registers but never pays: at the start it cannot bid
    await register(w, id, [1]);
    await w.travel('2026-11-04T01:00:00Z');
    const num = await w.bidders[0]!.post(`/api/auctions/${id}/number`);
    expect(num.statusCode, num.body).toBe(200);
    expect(num.json()).toEqual({ biddingNo: 1 }); // the only paid bidder of the draw
    expect(problem(await bid(w.bidders[1]!, id, 1_000_000_00, 'x1')).code).toBe('AUCTION_DEPOSIT_NOT_CONFIRMED');
    const ok = await bid(w.bidders[0]!, id, 1_000_000_00, 'x1');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ biddingNo: 1, bidSeq: 1 });
    await w.travel(NOW);
  });

  it('bad input gets a clear error and changes nothing; a replay returns the original; the reserve stays secret', async () => {
    const id = await create(w);
    await register(w, id, [0, 1]);
    const [pending] = await register(w, id, [2], false); // applied, not approved
    expect(pending).toBeTruthy();
    expect(problem(await bid(w.bidders[0]!, id, 1_000_000_00, 'early')).code).toBe('AUCTION_NOT_STARTED');
    await w.travel('2026-11-04T01:10:00Z');

    const first = await bid(w.bidders[0]!, id, 1_000_000_00, 'c-1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ bidSeq: 1, biddingNo: await numberOf(w.bidders[0]!, id), amountFen: 1_000_000_00, replayed: false });

    const cases: [Session, number, string, Record<string, unknown>, string, string | undefined][] = [
      [w.bidders[1]!, 1_005_000_00, 'c-2', {}, 'AUCTION_BID_BELOW_MINIMUM', 'amountFen'],
      [w.bidders[1]!, 1_015_000_00, 'c-3', {}, 'AUCTION_BID_NOT_MULTIPLE', 'amountFen'],
      [w.bidders[2]!, 1_010_000_00, 'c-4', {}, 'AUCTION_BIDDER_NOT_APPROVED', undefined],
      [w.bidders[3]!, 1_010_000_00, 'c-5', {}, 'AUCTION_NOT_REGISTERED', undefined],
      [w.organiser, 1_010_000_00, 'c-6', {}, 'AUCTION_NOT_REGISTERED', undefined],
      [w.bidders[1]!, 1_010_000_00, 'c-7', { clientTime: '2026-11-04T00:50:00Z' }, 'AUCTION_CLIENT_CLOCK_SKEWED', 'clientTime'],
      [w.bidders[0]!, 1_020_000_00, 'c-1', {}, 'AUCTION_CLIENT_BID_ID_REUSED', 'clientBidId'],
    ];
    for (const [s, amount, cid, extra, code, field] of cases) {
      const p = problem(await bid(s, id, amount, cid, extra));
      expect(p.code, cid).toBe(code);
      expect(p.field).toBe(field);
      expect(p.message.zh.length).toBeGreaterThan(0);
    }
    // replay of the accepted bid: same answer, marked replayed, no second row
    const again = await bid(w.bidders[0]!, id, 1_000_000_00, 'c-1');
    expect(again.json()).toMatchObject({ bidSeq: 1, replayed: true, placedAt: first.json().placedAt });
    expect(await countBids(t, id)).toBe(1);

    const view = (await t.app.inject({ method: 'GET', url: `/api/auctions/${id}` })).json();
    expect(view).toMatchObject({ currentPriceFen: 1_000_000_00, leaderNo: first.json().biddingNo, bidCount: 1, hasReserve: true, reserveFen: null });
    expect(JSON.stringify(view)).not.toContain('105000000');
    const events = (await w.bidders[1]!.get(`/api/auctions/${id}/events?after=0`)).body;
    expect(events).not.toContain('105000000');
    expect(events).not.toContain(w.orgIds[0]!);

    // a bid in the last 5 minutes extends the end to now + 5 min; earlier bids never shorten it
    await w.travel('2026-11-04T01:58:00Z');
    const late = await bid(w.bidders[1]!, id, 1_010_000_00, 'late-1');
    expect(late.json().endsAt).toBe('2026-11-04T02:03:00.000Z');
    await w.travel('2026-11-04T01:58:30Z');
    const later = await bid(w.bidders[0]!, id, 1_030_000_00, 'late-2');
    expect(later.json().endsAt).toBe('2026-11-04T02:03:30.000Z');

    // past the original end, still open; a job run at the original end re-checks and does not close
    await w.travel('2026-11-04T02:01:00Z');
    await runDueJobs(t.ctx);
    expect((await t.app.inject({ method: 'GET', url: `/api/auctions/${id}` })).json().status).toBe('open');
    await w.travel('2026-11-04T02:03:30Z');
    expect(problem(await bid(w.bidders[1]!, id, 1_040_000_00, 'after')).code).toBe('AUCTION_CLOSED');
    await runDueJobs(t.ctx);
    const closed = (await t.app.inject({ method: 'GET', url: `/api/auctions/${id}` })).json();
    // 103 万 < reserve 105 万 → failed; the reserve is shown only now
    expect(closed).toMatchObject({ status: 'failed', reserveFen: 1_050_000_00, result: { outcome: 'failed', reason: 'below_reserve', winnerNo: null } });
    expect(await countBids(t, id)).toBe(3);
    await w.travel(NOW);
  });

  it('closes with a winner at or above the reserve; 挂牌 goes to 限时竞价 with two bidders', async () => {
    const id = await create(w, { policy: 'listing', startsAt: '2026-11-04T01:00:00Z', firstPhaseEndsAt: '2026-11-16T16:00:00Z' }); // 10 日 ending on Saturday 14th run to Monday (民法典 203)
    await register(w, id, [0, 1]);
    await w.travel('2026-11-05T01:00:00Z');
    expect((await bid(w.bidders[0]!, id, 1_000_000_00, 'l1')).statusCode).toBe(200);
    const l2 = await bid(w.bidders[1]!, id, 1_050_000_00, 'l2');
    expect(l2.json().endsAt).toBe('2026-11-16T16:00:00.000Z'); // listing bids do not extend
    await w.travel('2026-11-16T16:00:00Z');
    await runDueJobs(t.ctx);
    const timed = (await t.app.inject({ method: 'GET', url: `/api/auctions/${id}` })).json();
    expect(timed).toMatchObject({ status: 'open', phase: 'timed', endsAt: '2026-11-16T16:05:00.000Z' });
    await w.travel('2026-11-16T16:06:00Z');
    await runDueJobs(t.ctx);
    const done = (await t.app.inject({ method: 'GET', url: `/api/auctions/${id}` })).json();
    const no = await numberOf(w.bidders[1]!, id);
    expect(done).toMatchObject({ status: 'sold', result: { outcome: 'sold', winnerNo: no, finalPriceFen: 1_050_000_00 }, reserveFen: 1_050_000_00 });
    const me = (await w.bidders[1]!.get(`/api/auctions/${id}`)).json();
    expect(me.me).toMatchObject({ biddingNo: no });
    await w.travel(NOW);
  });

  it('a listing shorter than 10 days is refused (39号令 第十八条)', async () => {
    const r = await w.organiser.post('/api/auctions', { policy: 'listing', ...base, firstPhaseEndsAt: '2026-11-10T01:00:00Z' });
    expect(problem(r)).toMatchObject({ code: 'AUCTION_SETUP_INVALID', field: 'firstPhaseEndsAt' });
  });

  it('a WebSocket client resuming from seq N receives exactly the events after N, then live ones', async () => {
    const id = await create(w, { reserveFen: null });
    await register(w, id, [0, 1]);
    await w.travel('2026-11-04T01:10:00Z');
    for (let k = 0; k < 4; k++) expect((await bid(w.bidders[k % 2]!, id, 1_000_000_00 + k * 10_000_00, `ws-${k}`)).statusCode).toBe(200);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/auctions/${id}/live?after=2`);
    const msgs: { type: string; seq?: number; price?: number; leaderNo?: number }[] = [];
    ws.on('message', (m: Buffer) => msgs.push(JSON.parse(m.toString())));
    await expect.poll(() => msgs.filter((m) => m.type === 'event').length, { timeout: 5000 }).toBe(2);
    expect(msgs.filter((m) => m.type === 'event').map((m) => m.seq)).toEqual([3, 4]);
    expect((await bid(w.bidders[0]!, id, 1_040_000_00, 'ws-4')).statusCode).toBe(200);
    // pushed (LISTEN/NOTIFY on PostgreSQL, in-process on PGlite), not found by the 2 s safety poll
    await expect.poll(() => msgs.filter((m) => m.type === 'event').map((m) => m.seq), { timeout: 1500 }).toEqual([3, 4, 5]);
    expect(msgs.at(-1)).toMatchObject({ price: 1_040_000_00, leaderNo: await numberOf(w.bidders[0]!, id) });
    expect(JSON.stringify(msgs)).not.toContain(w.orgIds[0]!);
    // the public socket's hello carries no number; a signed-in bidder's hello carries its own
    expect(msgs[0]).toMatchObject({ type: 'hello', myNo: null });
    const mine: { type: string; myNo?: number | null }[] = [];
    const ws2 = new WebSocket(`${address.replace('http', 'ws')}/api/auctions/${id}/live?after=5`, { headers: { cookie: `yw_session=${w.bidders[1]!.cookie}` } });
    ws2.on('message', (m: Buffer) => mine.push(JSON.parse(m.toString())));
    await expect.poll(() => mine[0]?.type, { timeout: 5000 }).toBe('hello');
    expect(mine[0]!.myNo).toBe(await numberOf(w.bidders[1]!, id));
    ws2.terminate();
    ws.terminate();
    await w.travel(NOW);
  });

  describe('concurrency', () => {
    it('20 bidders bidding at once: strictly increasing, gap-free sequence matching the ledger', async () => {
      const c = await createTestApp(engine, { now: NOW });
      try {
        const cw = await world(c, 20, 'cc');
        const id = await create(cw, { reserveFen: null });
        await register(cw, id, [...Array(20).keys()]);
        await cw.travel('2026-11-04T01:10:00Z');
        let accepted = 0;
        for (let round = 0; round < 3; round++) {
          const view = (await c.app.inject({ method: 'GET', url: `/api/auctions/${id}` })).json();
          const next = (view.currentPriceFen ?? 1_000_000_00 - 10_000_00) + 10_000_00;
          const rs = await Promise.all(cw.bidders.map((s, i) => bid(s, id, next + (i % 5) * 10_000_00, `r${round}-${i}`)));
          for (const r of rs) {
            if (r.statusCode === 200) accepted++;
            else expect(['AUCTION_BID_BELOW_MINIMUM'], r.body).toContain(problem(r).code);
          }
        }
        const bids = await c.ctx.db.selectFrom('auction_bids').selectAll().where('auction_id', '=', id).orderBy('bid_seq').execute();
        expect(bids.length).toBe(accepted);
        bids.forEach((b, i) => {
          expect(b.bid_seq).toBe(i + 1);
          if (i > 0) expect(b.amount_fen).toBeGreaterThan(bids[i - 1]!.amount_fen);
        });
        await ledgerSealer(c.ctx.db).flush();
        const entries = await c.ctx.db.selectFrom('ledger_entries').select(['seq', 'payload']).where('type', '=', 'auction.bid_accepted').where('subject_id', '=', id).orderBy('seq').execute();
        const fromLedger = entries.map((e) => e.payload as { bidSeq: number; amountFen: number }).sort((a, b) => a.bidSeq - b.bidSeq);
        expect(fromLedger.map((p) => [p.bidSeq, p.amountFen])).toEqual(bids.map((b) => [b.bid_seq, b.amount_fen]));
        const events = await c.ctx.db.selectFrom('auction_events').select('seq').where('auction_id', '=', id).orderBy('seq').execute();
        expect(events.map((e) => e.seq)).toEqual(bids.map((_, i) => i + 1));
      } finally {
        await c.close();
      }
    }, 120_000);
  });
});
