import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { DemoBank, registerBank, startRefunds } from '../deposits/index';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { ledgerSealer } from '../../platform/ledger/sealer';

// Around the bidding (ADR 0018 "Close", "Deposits and numbers"): listing and result announcements on the portal, the
// random draw of numbers, deposits paid by pure 竞买人 accounts, the winner's deposit applied to the price, the
// 成交确认书 for the two parties only, and a bidder whose deposit is being refunded refused mid-auction.

const SECRET = 'auction-results-bank-secret-0123456789-abcdef';
const NOW = '2026-11-02T01:00:00Z'; // Monday 09:00 Beijing
const DEPOSIT = 50_000_00;
const uscc = (tag: string) => `91350200${tag.toUpperCase()}`.padEnd(17, '0').slice(0, 17) + 'X';

const base = {
  title: '厦门市翔安区某地块国有建设用地使用权',
  industry: 'land',
  regionCode: '350213',
  startPriceFen: 1_000_000_00,
  incrementFen: 10_000_00,
  reserveFen: 1_010_000_00,
  depositFen: DEPOSIT,
  registrationEndsAt: '2026-11-03T08:00:00Z',
  startsAt: '2026-11-04T01:00:00Z',
  firstPhaseEndsAt: '2026-11-04T02:00:00Z',
  countdownSeconds: 300,
};

describeEngines('auction results', (engine) => {
  let t: TestApp;
  let organiser: Session;
  let b: Session[] = [];
  let outsider: Session;
  const orgIds: string[] = [];
  const bank = new DemoBank('ar_bank', SECRET);
  const N = 4;

  const signIn = async () => {
    organiser = await login(t.app, 'ar-org');
    outsider = await login(t.app, 'ar-out');
    b = [];
    for (let i = 1; i <= N; i++) b.push(await login(t.app, `ar-b${i}`));
  };
  const travel = async (to: string) => {
    t.clock.set(new Date(to));
    await signIn();
  };
  const pay = async (s: Session, i: number, id: string, amountFen = DEPOSIT) => {
    // the money comes from the bidder's own account (its name must match, or the deposit is not counted)
    const sub = await s.post(`/api/deposits/lots/${id}/auction/sub-accounts`, { bankCode: 'ar_bank' });
    expect(sub.statusCode, sub.body).toBe(200);
    const r = await t.app.inject(
      bank.sign({ type: 'credit', bankRef: `AR-${id.slice(0, 8)}-${i}`, virtualAccount: sub.json<{ accountNo: string }>().accountNo, amountFen, payer: { name: `ar 竞买公司 ${i + 1}`, accountNo: `62220000${i}1112222` }, creditedAt: t.clock.now().toISOString() }, t.clock.now()),
    );
    expect(r.statusCode, r.body).toBe(200);
  };
  const create = async (over: Record<string, unknown> = {}) => {
    const r = await organiser.post('/api/auctions', { policy: 'auction', ...base, ...over });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ id: string }>().id;
  };
  const apply = async (id: string, who: number[]) => {
    for (const i of who) {
      const r = await b[i]!.post(`/api/auctions/${id}/applications`, { materialFileIds: [] });
      expect(r.statusCode, r.body).toBe(200);
      const d = await organiser.post(`/api/auctions/${id}/applications/${r.json<{ applicationId: string }>().applicationId}/decision`, { approve: true });
      expect(d.statusCode, d.body).toBe(200);
      expect(d.json().biddingNo).toBeNull(); // no number before the draw
    }
  };
  const view = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/auctions/${id}` })).json();
  const portal = async (annId: string) => t.app.inject({ method: 'GET', url: `/api/portal/announcements/${annId}` });
  const numberOf = async (s: Session, id: string) => (await s.get(`/api/auctions/${id}/number`)).json<{ biddingNo: number | null }>().biddingNo;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: NOW });
    await seedAccount(t.ctx, { username: 'ar-org', roles: [{ role: 'agency' }], org: { name: '厦门产权拍卖代理有限公司', uscc: uscc('ARORG') } });
    await seedAccount(t.ctx, { username: 'ar-out', roles: [{ role: 'auction_bidder' }], org: { name: '旁观公司', uscc: uscc('AROUT') } });
    for (let i = 1; i <= N; i++) {
      // Pure 竞买人 accounts: no tendering `bidder` role (they pay 竞买保证金 through the deposits module all the same).
      const r = await seedAccount(t.ctx, { username: `ar-b${i}`, roles: [{ role: 'auction_bidder' }], org: { name: `ar 竞买公司 ${i}`, uscc: uscc(`ARB${i}`) } });
      orgIds.push(r.orgId!);
    }
    await registerBank(t.ctx.db, null, { code: 'ar_bank', name: '示范银行', masterAccountName: '保证金专户', masterAccountNo: '3501000012340000', subAccountPrefix: '35017766', hmacSecret: SECRET }, t.clock.now());
    await signIn();
  });
  afterAll(() => t.close());

  it('sold: listing notice, drawn numbers, deposit applied to the price, result publicity, confirmation for the parties only', async () => {
    const id = await create();
    const created = await view(id);
    // 出让/挂牌公告 on the public portal as soon as registration opens, without the reserve's amount
    const notice = await portal(created.notices.listing);
    expect(notice.statusCode, notice.body).toBe(200);
    expect(notice.json()).toMatchObject({ type: 'transfer_notice', title: expect.stringContaining('拍卖公告') });
    expect(notice.body).toContain('设有保留价');
    expect(notice.body).toContain('1,000,000.00 元');
    expect(notice.body).not.toContain('1,010,000');

    await apply(id, [0, 1, 2, 3]);
    for (const i of [0, 1, 2]) await pay(b[i]!, i, id); // bidder 4 is approved but never pays
    const paid = await b[0]!.get(`/api/deposits/lots/${id}/auction/mine`); // a pure 竞买人 sees its own deposit
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().deposit.status).toBe('satisfied');
    // …but only on auction deposits: a tendering lot's 投标保证金 still needs the `bidder` role
    expect(problem(await outsider.get(`/api/deposits/lots/00000000-0000-4000-8000-000000000001/1/mine`))).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
    expect(problem(await b[0]!.post(`/api/auctions/${id}/number`)).code).toBe('AUCTION_NUMBERS_NOT_DRAWN');

    // the registration deadline: the chronograph executes the draw committed at creation
    await travel('2026-11-03T08:00:00Z');
    await runDueJobs(t.ctx);
    const nos = await Promise.all(b.map((s) => numberOf(s, id)));
    expect(nos.slice(0, 3).sort()).toEqual([1, 2, 3]);
    expect(nos[3]).toBeNull();
    const drawId = (await view(id)).numbers.drawId as string;
    const record = await t.app.inject({ method: 'GET', url: `/api/lottery/draws/${drawId}/record` });
    expect(record.statusCode, record.body).toBe(200);
    expect(record.json()).toMatchObject({ purpose: 'bidding_numbers', subject: `auction:${id}/numbers` });
    expect(record.body).not.toContain(orgIds[0]!); // who holds which number stays secret until the end

    await travel('2026-11-04T01:10:00Z');
    expect(problem(await b[3]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_000_000_00, clientBidId: 'x' })).code).toBe('AUCTION_DEPOSIT_NOT_CONFIRMED');
    expect((await b[0]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_000_000_00, clientBidId: 'a1' })).statusCode).toBe(200);
    expect((await b[1]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_010_000_00, clientBidId: 'b1' })).statusCode).toBe(200);
    const win = await b[2]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_030_000_00, clientBidId: 'c1' });
    expect(win.json()).toMatchObject({ biddingNo: nos[2] });

    // the confirmation does not exist before the close
    expect(problem(await organiser.get(`/api/auctions/${id}/confirmation.pdf`)).code).toBe('AUCTION_NO_CONFIRMATION');
    await travel('2026-11-04T02:00:00Z');
    await runDueJobs(t.ctx);
    const done = await view(id);
    expect(done).toMatchObject({ status: 'sold', result: { winnerNo: nos[2], finalPriceFen: 1_030_000_00 }, hasConfirmation: true });

    // 成交公示 on the portal, linked to the listing notice
    const result = await portal(done.notices.result);
    expect(result.json()).toMatchObject({ type: 'deal_publicity', title: expect.stringContaining('成交公示') });
    expect(result.body).toContain('1,030,000.00 元');
    expect(result.body).toContain('ar 竞买公司 3');
    expect(result.body).not.toContain('ar 竞买公司 1');

    // the winner's deposit is applied to the price; the others' are refunded
    const mine = (await b[2]!.get(`/api/deposits/lots/${id}/auction/mine`)).json();
    expect(mine.applied).toEqual([expect.objectContaining({ amountFen: DEPOSIT, reason: 'auction_sold' })]);
    expect(mine.refunds).toEqual([]);
    const loser = (await b[0]!.get(`/api/deposits/lots/${id}/auction/mine`)).json();
    expect(loser.applied).toEqual([]);
    expect(loser.refunds).toEqual([expect.objectContaining({ amountFen: DEPOSIT, reason: 'auction_losers' })]);

    // 成交确认书: the organiser and the buyer; nobody else
    const pdf = await organiser.get(`/api/auctions/${id}/confirmation.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const mineCopy = await b[2]!.get(`/api/auctions/${id}/confirmation.pdf`);
    expect(mineCopy.statusCode).toBe(200);
    expect(Buffer.compare(mineCopy.rawPayload, pdf.rawPayload)).toBe(0);
    expect(problem(await b[0]!.get(`/api/auctions/${id}/confirmation.pdf`))).toMatchObject({ status: 403, code: 'AUCTION_NOT_PARTY' });
    expect(problem(await outsider.get(`/api/auctions/${id}/confirmation.pdf`)).status).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/auctions/${id}/confirmation.pdf` })).statusCode).toBe(401);
    if (process.env.AUCTION_PDF_OUT) writeFileSync(process.env.AUCTION_PDF_OUT, pdf.rawPayload);

    await ledgerSealer(t.ctx.db).flush();
    const types = await t.ctx.db.selectFrom('ledger_entries').select(['type', 'payload']).where('type', 'in', ['deposit.applied_to_price', 'auction.confirmation_issued']).orderBy('seq').execute();
    const applied = types.find((e) => e.type === 'deposit.applied_to_price');
    expect(applied?.payload).toMatchObject({ tenderId: id, bidderOrgId: orgIds[2], amountFen: DEPOSIT });
    const conf = types.find((e) => e.type === 'auction.confirmation_issued')?.payload as { finalPriceFen: number; buyerNo: number; contentSha256: string };
    expect(conf).toMatchObject({ finalPriceFen: 1_030_000_00, buyerNo: nos[2], depositAppliedFen: DEPOSIT });
    // the draw's seed is revealed at the end: anyone can re-run it
    expect((await t.app.inject({ method: 'GET', url: `/api/lottery/draws/${drawId}/record` })).json().seed).toBeTruthy();
    await travel(NOW);
  });

  it('a bidder whose deposit refund has started is refused mid-auction; a failed auction publishes 流拍 and refunds everyone', async () => {
    const id = await create({ registrationEndsAt: '2026-11-03T09:00:00Z', reserveFen: 1_050_000_00 });
    await apply(id, [0, 1]);
    await pay(b[0]!, 0, id);
    await pay(b[1]!, 1, id);
    await travel('2026-11-04T01:10:00Z');
    const r1 = await b[0]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_000_000_00, clientBidId: 'r1' });
    expect(r1.statusCode, r1.body).toBe(200);
    // the deposits module starts refunding bidder 1 (e.g. it withdrew): from then on it cannot bid
    await t.ctx.db.transaction().execute((trx) => startRefunds(trx, { tenderId: id, lotId: 'auction', bidders: { only: [orgIds[0]!] }, reason: 'withdrawn', basisAt: t.clock.now(), period: { n: 5, unit: 'working_day' } }, t.clock.now()));
    const refused = problem(await b[0]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_020_000_00, clientBidId: 'r2' }));
    expect(refused).toMatchObject({ status: 403, code: 'AUCTION_DEPOSIT_RELEASED' });
    expect((await view(id)).bidCount).toBe(1);
    // the other bidder is unaffected
    expect((await b[1]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_010_000_00, clientBidId: 'r3' })).statusCode).toBe(200);

    await travel('2026-11-04T02:00:00Z');
    await runDueJobs(t.ctx);
    const done = await view(id);
    expect(done).toMatchObject({ status: 'failed', result: { reason: 'below_reserve' }, hasConfirmation: false });
    const result = await portal(done.notices.result);
    expect(result.json()).toMatchObject({ type: 'failure_notice', title: expect.stringContaining('流拍公告') });
    expect(result.body).toContain('最高应价未达到保留价');
    expect(problem(await organiser.get(`/api/auctions/${id}/confirmation.pdf`)).code).toBe('AUCTION_NO_CONFIRMATION');
    const second = (await b[1]!.get(`/api/deposits/lots/${id}/auction/mine`)).json();
    expect(second.refunds).toEqual([expect.objectContaining({ reason: 'auction_failed' })]);
    expect(second.applied).toEqual([]);
    await travel(NOW);
  });

  it('国有产权转让 with a 优先购买权 holder: no result until the window ends; the holder matches and gets the confirmation', async () => {
    const id = await create({ policy: 'state_equity', reserveFen: null, firstPhaseEndsAt: '2026-12-04T08:00:00Z', preemptionOrgId: orgIds[3], preemptionWindowSeconds: 3600 });
    await apply(id, [0, 1, 3]);
    for (const i of [0, 1, 3]) await pay(b[i]!, i, id);
    await travel('2026-11-05T01:00:00Z');
    expect((await b[0]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_000_000_00, clientBidId: 'p1' })).statusCode).toBe(200);
    expect((await b[1]!.post(`/api/auctions/${id}/bids`, { amountFen: 1_010_000_00, clientBidId: 'p2' })).statusCode).toBe(200);
    await travel('2026-12-04T08:00:00Z');
    await runDueJobs(t.ctx); // two bidders quoted: 限时竞价 for 5 minutes
    await travel('2026-12-04T08:06:00Z');
    await runDueJobs(t.ctx);
    const waiting = await view(id);
    // the window is open: nothing is final, so no result announcement, no confirmation, no deposit applied yet
    expect(waiting).toMatchObject({ status: 'preemption', notices: { result: null }, hasConfirmation: false });
    expect((await b[1]!.get(`/api/deposits/lots/${id}/auction/mine`)).json().applied).toEqual([]);
    expect(problem(await b[1]!.get(`/api/auctions/${id}/confirmation.pdf`)).code).toBe('AUCTION_NOT_PARTY');

    const m = await b[3]!.post(`/api/auctions/${id}/preemption`);
    expect(m.statusCode, m.body).toBe(200);
    const done = await view(id);
    expect(done).toMatchObject({ status: 'sold', result: { finalPriceFen: 1_010_000_00 }, hasConfirmation: true });
    const result = await portal(done.notices.result);
    expect(result.json()).toMatchObject({ type: 'deal_publicity', relatedId: done.notices.listing });
    expect(result.body).toContain('ar 竞买公司 4');
    expect((await b[3]!.get(`/api/auctions/${id}/confirmation.pdf`)).statusCode).toBe(200);
    // the highest bidder lost to the holder: no confirmation, its deposit refunded; the holder's applied
    expect(problem(await b[1]!.get(`/api/auctions/${id}/confirmation.pdf`)).code).toBe('AUCTION_NOT_PARTY');
    expect((await b[1]!.get(`/api/deposits/lots/${id}/auction/mine`)).json().refunds).toEqual([expect.objectContaining({ reason: 'auction_losers' })]);
    expect((await b[3]!.get(`/api/deposits/lots/${id}/auction/mine`)).json().applied).toEqual([expect.objectContaining({ amountFen: DEPOSIT })]);
    await ledgerSealer(t.ctx.db).flush();
    const conf = await t.ctx.db.selectFrom('ledger_entries').select('payload').where('type', '=', 'auction.confirmation_issued').where('subject_id', '=', id).executeTakeFirstOrThrow();
    expect(conf.payload).toMatchObject({ via: 'preemption_matched', buyerOrgId: orgIds[3], finalPriceFen: 1_010_000_00 });
    await travel(NOW);
  });
});
