import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeContentKey, unwrapContentKey, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { createTestApp, describeEngines, problem, type TestApp } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { advance, bj, put, seal, tenderWorld, type TenderWorld } from '../bidding/bidding.fixture';

/**
 * The award module on real bids: sealed and submitted through the bidding API, decrypted by each bidder in the
 * opening room, the room closed by the chronograph (lot → evaluation). The candidates' prices and the notice's bid
 * time come from the bidding module's tables (award.bids.ts), not from a fixture.
 */
describeEngines('award: on bids opened by the bidding module', (engine) => {
  let t: TestApp;
  let tw: TenderWorld;
  let lotUrl: string;
  const headers: Record<string, SealedBidHeader> = {};

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-09-01T01:00:00Z', config: { sessionTtlMinutes: 60 * 24 * 60 } });
    tw = await tenderWorld(t, 'ab');
    lotUrl = `/api/award/tenders/${tw.tenderId}/lots/1`;
    t.clock.set(bj('2026-09-15T10:00:00'));
    const prices: Record<string, string> = { b1: '2950000.00', b2: '2888000.50', b3: '2799999.99' };
    for (const b of ['b1', 'b2', 'b3']) {
      const { bytes, summary } = await seal(tw, tw.bidders[b]!.key, 1, prices[b]!);
      headers[b] = summary.header;
      const res = await put(tw.bidders[b]!.s, tw.tenderId, 1, bytes, `?depositKind=guarantee&depositRef=BH-${b}`);
      expect(res.statusCode, res.body).toBe(201);
    }
    await advance(t, bj('2026-09-24T09:30:00'));
    for (const b of ['b1', 'b2', 'b3']) {
      const contentKey = encodeContentKey(await unwrapContentKey(headers[b]!, tw.bidders[b]!.key));
      const r = await tw.bidders[b]!.s.post(`/api/bidding/tenders/${tw.tenderId}/lots/1/opening/decrypt`, { contentKey });
      expect(r.statusCode, r.body).toBe(200);
    }
    await advance(t, bj('2026-09-24T10:00:01'));
    await advance(t, bj('2026-09-24T10:30:00'));
  });
  afterAll(() => t?.close());

  it('candidates carry the opened prices; only the lot’s bidders object; the award notice names the real bid time', async () => {
    const tenderer = await tw.w.as('tenderer');
    const before = await tenderer.get(lotUrl);
    expect(before.json()).toMatchObject({ status: 'evaluation', result: null });
    const report = (await tenderer.get(`/api/tendering/tenders/${tw.tenderId}`)).json().documents[0].fileId as string;
    const org = (b: string) => tw.bidders[b]!.orgId;
    const r = await tenderer.post(`${lotUrl}/evaluation-result`, {
      reportFileId: report,
      candidates: [
        { rank: 1, bidderOrgId: org('b3') },
        { rank: 2, bidderOrgId: org('b2') },
        { rank: 3, bidderOrgId: org('b1') },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().result.candidates.map((c: { priceFen: number }) => c.priceFen)).toEqual([279_999_999, 288_800_050, 295_000_000]);

    t.clock.set(bj('2026-09-25T10:00:00'));
    const pub = await (await tw.w.as('tenderer')).post(`${lotUrl}/publicity`, {});
    expect(pub.json()).toMatchObject({ endsAt: '2026-09-28T16:00:00.000Z', warnings: [] });
    expect(problem(await (await tw.w.as('b4')).post(`${lotUrl}/objections`, { text: '我没有投标' })).code).toBe('NOT_FOUND');

    t.clock.set(bj('2026-09-29T10:00:00'));
    const a = await (await tw.w.as('tenderer')).post(`${lotUrl}/award`, {});
    expect(a.statusCode, a.body).toBe(200);
    const issued = await t.ctx.db
      .selectFrom('ledger_entries')
      .select('payload')
      .where('type', '=', 'award.notice_issued')
      .executeTakeFirstOrThrow();
    const payload = typeof issued.payload === 'string' ? JSON.parse(issued.payload) : issued.payload;
    expect(payload).toMatchObject({ winnerOrgId: org('b3'), priceFen: 279_999_999, bidSubmittedAt: bj('2026-09-15T10:00:00') });

    const pkg = (
      await t.app.inject({ method: 'GET', url: `/api/opendata/releases?ocid=${t.ctx.config.ocidPrefix}-${tw.tenderId}&limit=100` })
    ).json();
    const last = pkg.releases.at(-1);
    expect(last.tag).toEqual(['award']);
    const active = last.awards.find((x: { status: string }) => x.status === 'active');
    expect(last.bids.details.find((d: { id: string }) => d.id === active.relatedBid)).toMatchObject({
      status: 'valid',
      value: { amount: 2_799_999.99 },
    });
  });

  it('no contract within 30 日 of the notice (法 46): flagged by the chronograph at 24:00 of the last day, not before', async () => {
    t.clock.set(bj('2026-10-29T23:59:00')); // 09-29 + 30 日 = Thursday 10-29
    await runDueJobs(t.ctx);
    const tenderer = await tw.w.as('tenderer');
    expect((await tenderer.get(lotUrl)).json().warnings).toEqual([]);
    t.clock.set(bj('2026-10-30T00:00:00'));
    await runDueJobs(t.ctx);
    const v = (await tenderer.get(lotUrl)).json();
    expect(v.warnings).toEqual([expect.objectContaining({ code: 'CONTRACT_OVERDUE', dueAt: '2026-10-29T16:00:00.000Z' })]);
    const told = await t.ctx.db.selectFrom('notifications').select('account_id').where('kind', '=', 'award.contract_overdue').execute();
    expect(told.map((n) => n.account_id)).toContain(tw.w.ids.b3!.accountId);
    expect((await tw.bidders.b3!.s.get(lotUrl)).json().warnings).toEqual([]); // warnings are for the parties and overseers
  });
});
