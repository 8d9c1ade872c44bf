import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { encodeContentKey, encodeShare, unwrapContentKey, unwrapEscrowShare, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { createTestApp, describeEngines, problem, type TestApp } from '../../../test/harness';
import { advance, bj, put, seal, tenderWorld, type TenderWorld } from './bidding.fixture';

// The `ws` client (a dependency of @fastify/websocket; Node 20 has no WebSocket global that can send a cookie).
type WsClient = { on(e: 'message', f: (m: Buffer) => void): void; terminate(): void };
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, opts: { headers: Record<string, string> }) => WsClient;

/**
 * 不见面开标 on both engines: the room opens at the deadline; bidders decrypt remotely; a bidder that does not is
 * treated as revoked (电子招标投标办法 31) and the lot fails with fewer valid bids than 3; after a declared platform
 * incident the escrow custodians recover a bid (k of n), the record is published, a bidder objects on the spot and
 * the tenderer answers, and the lot moves on to evaluation.
 */
describeEngines('bidding: the remote opening', (engine) => {
  let t: TestApp;
  let A: TenderWorld; // two decrypt, one fails → revoked → lot failed
  let B: TenderWorld; // incident → escrow recovery → objection → evaluation
  let C: TenderWorld; // incident → recovery fails (too few shares in time) → withdrawn
  const headers: Record<string, SealedBidHeader> = {};
  const room = async (tw: TenderWorld, who = 'tenderer') => (await (await tw.w.as(who)).get(`/api/bidding/tenders/${tw.tenderId}/lots/1/opening`)).json();
  const key = (tw: TenderWorld, b: string) => tw.bidders[b]!.key;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-09-01T01:00:00Z', config: { sessionTtlMinutes: 60 * 24 * 60 } });
    A = await tenderWorld(t, 'bo');
    B = await tenderWorld(t, 'bo', A);
    C = await tenderWorld(t, 'bo', A);
    t.clock.set(bj('2026-09-15T10:00:00'));
    const prices: Record<string, string> = { b1: '2950000.00', b2: '2888000.50', b3: '2799999.99' };
    for (const tw of [A, B, C]) {
      for (const b of ['b1', 'b2', 'b3']) {
        const { bytes, summary } = await seal(tw, key(tw, b), 1, prices[b]!);
        headers[`${tw.tenderId}/${b}`] = summary.header;
        const res = await put(tw.bidders[b]!.s, tw.tenderId, 1, bytes, `?depositKind=guarantee&depositRef=BH-${b}`);
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    await advance(t, bj('2026-09-24T09:30:00'));
  });
  afterAll(() => t.close());

  const contentKey = async (tw: TenderWorld, b: string) => encodeContentKey(await unwrapContentKey(headers[`${tw.tenderId}/${b}`]!, key(tw, b)));
  const decrypt = (tw: TenderWorld, b: string, k: string) => tw.bidders[b]!.s.post(`/api/bidding/tenders/${tw.tenderId}/lots/1/opening/decrypt`, { contentKey: k });

  it('opens the room at the deadline: bidders named, prices still hidden, a live update over WebSocket', async () => {
    const r = await room(A);
    expect(r).toMatchObject({ status: 'decrypting', lotStatus: 'opening', windowEndsAt: bj('2026-09-24T10:00:00'), minBidders: 3 });
    expect(r.bids.map((b: { bidder: { orgId: string } }) => b.bidder.orgId).sort()).toEqual(['b1', 'b2', 'b3'].map((b) => A.bidders[b]!.orgId).sort());
    expect(r.bids.every((b: { decryption: string; priceFen: null }) => b.decryption === 'pending' && b.priceFen === null)).toBe(true);
    expect(problem(await (await A.w.as('b4')).get(`/api/bidding/tenders/${A.tenderId}/lots/1/opening`)).code).toBe('BID_ROOM_BIDDERS_ONLY');

    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/bidding/tenders/${A.tenderId}/lots/1/opening/live`, { headers: { cookie: `yw_session=${A.bidders.b1!.s.cookie}` } });
    const messages: { type: string; room?: { version: number; bids: { mine: boolean; decryption: string }[] } }[] = [];
    ws.on('message', (m: Buffer) => messages.push(JSON.parse(m.toString())));
    await expect.poll(() => messages.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    expect(messages[0]).toMatchObject({ type: 'room' });

    // A key that is not the bidder's: clear error, counted, nothing decrypted.
    const wrong = await decrypt(A, 'b3', encodeContentKey(crypto.getRandomValues(new Uint8Array(32))));
    expect(problem(wrong)).toMatchObject({ code: 'BID_WRONG_CONTENT_KEY', status: 422 });
    const stolen = await decrypt(A, 'b3', await contentKey(A, 'b1')); // another bidder's key does not open b3's bid
    expect(problem(stolen).code).toBe('BID_WRONG_CONTENT_KEY');
    expect(problem(await decrypt(A, 'b3', 'not-a-key')).code).toBe('BID_WRONG_CONTENT_KEY');

    const ok = await decrypt(A, 'b1', await contentKey(A, 'b1'));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ decryption: 'decrypted', priceFen: 295_000_000, durationDays: 365, quality: '合格' });
    expect(problem(await decrypt(A, 'b1', await contentKey(A, 'b1'))).code).toBe('BID_ALREADY_DECRYPTED');
    expect((await decrypt(A, 'b2', await contentKey(A, 'b2'))).statusCode).toBe(200);
    await expect.poll(() => messages.at(-1)?.room?.bids.filter((b) => b.decryption === 'decrypted').length, { timeout: 5000 }).toBe(2);
    ws.terminate();

    const mid = await room(A, 'b2');
    const byOrg = (org: string) => mid.bids.find((b: { bidder: { orgId: string } }) => b.bidder.orgId === org);
    expect(byOrg(A.bidders.b2!.orgId)).toMatchObject({ mine: true, priceFen: 288_800_050 }); // its own price
    expect(byOrg(A.bidders.b1!.orgId)).toMatchObject({ decryption: 'decrypted', priceFen: null }); // not others' until the record
    expect(byOrg(A.bidders.b3!.orgId)).toMatchObject({ decryption: 'pending', failedAttempts: 3 });
  });

  it('B: two decrypt; only the center may declare a platform incident, and only during the window', async () => {
    for (const tw of [B, C]) for (const b of ['b1', 'b2']) expect((await decrypt(tw, b, await contentKey(tw, b))).statusCode).toBe(200);
    expect((await (await C.w.as('staff')).post(`/api/bidding/tenders/${C.tenderId}/lots/1/opening/incident`, { reason: '解密服务异常' })).statusCode).toBe(200);
    const url = `/api/bidding/tenders/${B.tenderId}/lots/1/opening/incident`;
    expect(problem(await (await B.w.as('tenderer')).post(url, { reason: '解密服务异常' })).status).toBe(403);
    const inc = await (await B.w.as('staff')).post(url, { reason: '10:05 起解密服务异常，b3 无法解密（平台原因）' });
    expect(inc.statusCode, inc.body).toBe(200);
    expect((await room(B)).incident).toMatchObject({ reason: '10:05 起解密服务异常，b3 无法解密（平台原因）' });
    await advance(t, bj('2026-09-24T10:00:01')); // both windows end
    expect(problem(await decrypt(A, 'b3', await contentKey(A, 'b3'))).code).toBe('BID_DECRYPTION_CLOSED');
    expect(problem(await (await B.w.as('staff')).post(url, { reason: 'late' })).code).toBe('BID_INCIDENT_TOO_LATE');
  });

  it('A: the bid not decrypted is treated as revoked; 2 valid bids < 3 → the lot fails; the record is published', async () => {
    const r = await room(A, 'b1');
    expect(r).toMatchObject({ status: 'failed', lotStatus: 'failed' });
    expect(r.failedReason).toContain('重新招标');
    const rows = r.record.bids as { bidder: { orgId: string; name: string }; priceFen: number | null; decryption: string; deposit: { ref: string; status: string } }[];
    const row = (b: string) => rows.find((x) => x.bidder.orgId === A.bidders[b]!.orgId)!;
    expect(row('b1')).toMatchObject({ priceFen: 295_000_000, decryption: 'decrypted', deposit: { ref: 'BH-b1', status: 'missing' } });
    expect(row('b3')).toMatchObject({ priceFen: null, decryption: 'revoked' });
    const notice = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${r.recordAnnouncementId}` });
    expect(notice.statusCode, notice.body).toBe(200);
    expect(notice.json()).toMatchObject({ type: 'opening_record' });
    expect(notice.json().bodyHtml).toContain('2950000.00');
    expect(notice.json().bodyHtml).toContain('视为撤销');
    // The failure is announced too, linked to the tender notice, with the reason and the re-tender to come.
    const failure = (await t.ctx.db.selectFrom('announcements').select(['id', 'related_id']).where('type', '=', 'failure_notice').where('title', 'like', '%标段1 流标公告').execute())
      .filter((a) => a.related_id !== null);
    const failures = await Promise.all(failure.map(async (a) => (await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${a.id}` })).json()));
    const mine = failures.find((f) => f.bodyHtml.includes('有效投标不足3个（2个）'));
    expect(mine, JSON.stringify(failures)).toBeDefined();
    expect(mine.bodyHtml).toContain('重新招标');
    const releases = await t.ctx.db.selectFrom('ocds_releases').select(['ocid', 'tags', 'data']).where('ocid', 'like', `%${A.tenderId}`).execute();
    const withBids = releases.filter((x) => (typeof x.data === 'string' ? x.data : JSON.stringify(x.data)).includes('"bids"'));
    expect(withBids.length).toBe(1); // releases before the opening (tendering's) carry no bids
    expect(JSON.stringify(withBids[0]!.tags)).toContain('tenderUpdate');
    const data = (typeof withBids[0]!.data === 'string' ? JSON.parse(withBids[0]!.data) : withBids[0]!.data) as { bids: { details: { status: string; value?: { amount: number } }[] } };
    expect(data.bids.details.map((d) => d.status).sort()).toEqual(['valid', 'valid', 'withdrawn']);
    expect(data.bids.details.map((d) => d.value?.amount).filter(Boolean).sort()).toEqual([2888000.5, 2950000]);
  });

  it('B: k custodians hand in escrow shares (one bad share does not block), the bid is recovered and the shares wiped', async () => {
    expect((await room(B)).status).toBe('recovery');
    const view = async (who: string) => (await (await B.w.as(who)).get(`/api/bidding/tenders/${B.tenderId}/lots/1/opening/recovery`)).json();
    const v = await view('staff');
    expect(v.bids).toHaveLength(1);
    const target = v.bids[0];
    expect(target.bidder).toContain('投标人b3');
    const shareOf = async (who: string) => encodeShare((await unwrapEscrowShare(target.header, B.custodianKeys[who]!)).share);
    const post = async (who: string, share: string) => (await B.w.as(who)).post(`/api/bidding/bids/${target.bidId}/escrow-share`, { share });
    expect(problem(await B.bidders.b1!.s.post(`/api/bidding/bids/${target.bidId}/escrow-share`, { share: await shareOf('staff') })).status).toBe(403);
    const first = await post('staff', await shareOf('staff'));
    expect(first.json()).toEqual({ bidId: target.bidId, shares: 1, needed: 2, recovered: false });
    expect(problem(await post('staff', await shareOf('staff'))).code).toBe('BID_SHARE_ALREADY_SUBMITTED');
    const bad = await post('reg', encodeShare(crypto.getRandomValues(new Uint8Array(33))));
    expect(problem(bad).code).toBe('BID_ESCROW_INSUFFICIENT');
    const third = await post('tenderer', await shareOf('tenderer'));
    expect(third.json()).toMatchObject({ shares: 3, recovered: true });
    const wiped = await t.ctx.db.selectFrom('bid_escrow_shares').select('share').where('bid_id', '=', target.bidId).execute();
    expect(wiped.map((s) => s.share)).toEqual([null, null, null]);
    const types = (await t.ctx.db.selectFrom('ledger_entries').select('type').where('subject_id', '=', target.bidId).orderBy('seq').execute()).map((e) => e.type);
    expect(types).toEqual(['bidding.bid_submitted', 'bidding.escrow_share_submitted', 'bidding.escrow_share_submitted', 'bidding.escrow_combine_failed', 'bidding.escrow_share_submitted', 'bidding.bid_recovered']);
    const r = await room(B, 'b3');
    expect(r.status).toBe('objections');
    expect(r.bids.find((b: { mine: boolean }) => b.mine)).toMatchObject({ decryption: 'recovered', priceFen: 279_999_999 });
    expect(r.bids.map((b: { priceFen: number }) => b.priceFen).sort()).toEqual([279_999_999, 288_800_050, 295_000_000]);
  });

  it('B: a bidder objects on the spot; the window passes; the opening closes only when the tenderer has answered', async () => {
    const url = `/api/bidding/tenders/${B.tenderId}/lots/1/opening/objections`;
    const o = await B.bidders.b2!.s.post(url, { text: '第3号投标人的投标保证金未到账，应予记录。' });
    expect(o.statusCode, o.body).toBe(201);
    expect(problem(await (await B.w.as('b4')).post(url, { text: '我没投标' })).status).toBe(403);
    await advance(t, bj('2026-09-24T10:30:00'));
    expect(problem(await B.bidders.b1!.s.post(url, { text: '太迟' })).code).toBe('BID_OBJECTION_CLOSED');
    expect((await room(B)).status).toBe('objections'); // unanswered: not closed
    const answerUrl = `/api/bidding/opening-objections/${o.json().id}/answer`;
    expect(problem(await B.bidders.b3!.s.post(answerUrl, { text: '无权答复' })).status).toBe(403);
    const a = await (await B.w.as('tenderer')).post(answerUrl, { text: '已记录，保证金情况由评标委员会审查。' });
    expect(a.statusCode, a.body).toBe(200);
    const r = await room(B, 'b2');
    expect(r).toMatchObject({ status: 'closed', lotStatus: 'evaluation' });
    expect(r.objections).toMatchObject([{ mine: true, answer: '已记录，保证金情况由评标委员会审查。' }]);
  });

  it('C: recovery that does not reach k shares in time → the bid is treated as withdrawn (平台原因，视为撤回), shares wiped', async () => {
    const v = (await (await C.w.as('reg')).get(`/api/bidding/tenders/${C.tenderId}/lots/1/opening/recovery`)).json();
    expect(v.status).toBe('recovery');
    const target = v.bids[0];
    const share = encodeShare((await unwrapEscrowShare(target.header, C.custodianKeys.reg!)).share);
    expect((await (await C.w.as('reg')).post(`/api/bidding/bids/${target.bidId}/escrow-share`, { share })).json()).toMatchObject({ shares: 1, recovered: false });
    await advance(t, bj('2026-09-24T11:00:02')); // 60 min after the window: recovery period over
    const r = await room(C, 'b3');
    expect(r).toMatchObject({ status: 'failed', lotStatus: 'failed' });
    expect(r.bids.find((b: { mine: boolean }) => b.mine)).toMatchObject({ decryption: 'withdrawn', priceFen: null });
    expect((await t.ctx.db.selectFrom('bid_escrow_shares').select('share').where('bid_id', '=', target.bidId).execute()).map((x) => x.share)).toEqual([null]);
    expect(problem(await (await C.w.as('tenderer')).post(`/api/bidding/bids/${target.bidId}/escrow-share`, { share: encodeShare((await unwrapEscrowShare(target.header, C.custodianKeys.tenderer!)).share) })).code).toBe('BID_NOT_IN_RECOVERY');
  });
});
