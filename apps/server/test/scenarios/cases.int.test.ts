import { expect, it } from 'vitest';
import { describeEngines, problem, type Session } from '../harness';
import { upload } from '../../src/modules/tendering/tendering.fixture';
import {
  advance,
  afterOpening,
  awardLot,
  bj,
  closeOpening,
  enterEvaluation,
  lotUrl,
  obtainAndPrepare,
  ocds,
  openAndDecrypt,
  openScenario,
  publicise,
  publishTender,
  recordContract,
  roomUrl,
  submitBids,
  type Scenario,
} from './scenario.driver';

/**
 * The named cases, each carried to its end through the real APIs (the module tests cover each step alone):
 * a clarification moving the deadline across National Day 2026 and the tender then going on to the contract; fewer
 * than 3 bids → the lot fails → re-tender; one bidder not decrypting (revoked) while the other three go on to the
 * award; and the secrecy of DOMAIN §7 about bids probed on every read, before the deadline, by every kind of actor.
 */
const PRICES = { b1: '2950000.00', b2: '2888000.50', b3: '2799999.99' };

describeEngines('scenarios: named cases of issue 3', (engine) => {
  async function scenario(prefix: string, start: string, fn: (sc: Scenario) => Promise<void>) {
    const sc = await openScenario(engine, prefix, start);
    try {
      await fn(sc);
    } finally {
      await sc.close();
    }
  }

  it('a late clarification moves the deadline across National Day 2026; bids, opening, award and contract follow it', async () => {
    await scenario('cnd', '2026-09-01T09:00:00', async (sc) => {
      const tender = await publishTender(sc, 'works_open_tender', { deadline: '2026-09-24T09:30:00' });
      const bidders = await obtainAndPrepare(sc, tender, ['b1', 'b2', 'b3']);
      await advance(sc, '2026-09-15T10:00:00');
      await submitBids(sc, tender, bidders, { b1: PRICES.b1 });
      await advance(sc, '2026-09-16T10:00:00');
      const late = await (await sc.as('tenderer')).post(`/api/tendering/tenders/${tender.id}/clarifications`, { text: '补充技术要求。' });
      expect(late.statusCode, late.body).toBe(201);
      // 09-16 + 15 日 = 10-01 (holiday; 10-01..07 rest) → Thursday 10-08 09:30 (条例 21; 民法典 203).
      expect(late.json().deadlineChanges).toEqual([{ lotNo: 1, from: bj('2026-09-24T09:30:00'), to: bj('2026-10-08T09:30:00') }]);
      tender.deadline = '2026-10-08T09:30:00';
      // The old deadline passes: nothing opens, bidding goes on.
      await advance(sc, '2026-09-24T09:30:00');
      expect(problem(await (await sc.as('tenderer')).get(roomUrl(tender))).code).toBe('BIDS_SECRET_UNTIL_DEADLINE');
      await advance(sc, '2026-09-30T10:00:00');
      await submitBids(sc, tender, bidders, { b2: PRICES.b2, b3: PRICES.b3 });
      const room = await openAndDecrypt(sc, tender, bidders);
      expect(room.openedAt ?? room.record?.openedAt ?? bj(tender.deadline)).toBe(bj('2026-10-08T09:30:00'));
      expect((await closeOpening(sc, tender)).lotStatus).toBe('evaluation');
      await advance(sc, '2026-10-09T10:00:00');
      const [winner] = await enterEvaluation(sc, tender, bidders, ['b1', 'b2', 'b3']);
      const p = await publicise(sc, tender);
      sc.t.clock.set(new Date(new Date(p.endsAt).getTime() + 10 * 3_600_000)); // 10:00 Beijing the day after it ends
      await awardLot(sc, tender, winner!);
      await advance(sc, '2026-10-20T10:00:00');
      const c = await recordContract(sc, tender, winner!, '2026-10-20T09:00:00');
      expect(c.warnings).toEqual([]);
      const open = await ocds(sc, tender);
      expect(afterOpening(open.tags)).toEqual(['award', 'award', 'contract']);
      expect(open.tags.slice(0, 2)).toEqual(['tender', 'tenderAmendment']); // the moved deadline is an amendment
      expect(JSON.stringify(open.record)).toContain('2026-10-08T01:30:00');
    });
  }, 300_000);

  it('fewer than 3 bids: no opening, the lot fails with its 流标公告, and a re-tender of the lot is created and published', async () => {
    await scenario('cfl', '2026-11-02T09:00:00', async (sc) => {
      const tender = await publishTender(sc, 'works_open_tender', { deadline: '2026-11-24T09:30:00' });
      const bidders = await obtainAndPrepare(sc, tender, ['b1', 'b2', 'b3']);
      await advance(sc, '2026-11-16T10:00:00');
      await submitBids(sc, tender, bidders, { b1: PRICES.b1, b2: PRICES.b2 });
      const room = await openAndDecrypt(sc, tender, bidders);
      expect(room).toMatchObject({ status: 'failed', lotStatus: 'failed', minBidders: 3 });
      expect(room.failedReason).toContain('不得开标');
      expect(problem(await bidders.b1!.s.post(`${roomUrl(tender)}/decrypt`, { contentKey: 'x' })).status).toBeGreaterThanOrEqual(400);
      // The 流标公告 (the policy's failure announcement), public on the portal and linked to the tender notice.
      const ids = await sc.t.ctx.db.selectFrom('announcements').select('id').where('type', '=', tender.policy.announcements.failure!).execute();
      expect(ids).toHaveLength(1);
      const failure = (await sc.t.app.inject({ method: 'GET', url: `/api/portal/announcements/${ids[0]!.id}` })).json();
      expect(failure).toMatchObject({ type: 'failure_notice', relatedId: tender.noticeId });
      expect(failure.bodyHtml).toContain('重新招标');
      const tenderer = await sc.as('tenderer');
      expect(problem(await tenderer.post(`${lotUrl(tender)}/evaluation-result`, { reportFileId: tender.documentId, candidates: [{ rank: 1, bidderOrgId: bidders.b1!.orgId }] })).status).toBe(409);
      // The re-tender path: a new draft tender for the same project lot, linked to the failed one, then published.
      const doc = await upload(tenderer, '招标文件（重新招标）.pdf');
      const re = await tenderer.post(`${lotUrl(tender)}/retender`, {
        depositFen: 0,
        bidDeadline: bj('2026-12-21T09:30:00'),
        documentIds: [doc],
        escrow: { k: 2, custodianAccountIds: [sc.w.ids.staff!.accountId, sc.w.ids.reg!.accountId, sc.w.ids.tenderer!.accountId] },
      });
      expect(re.statusCode, re.body).toBe(201);
      expect((await tenderer.get(lotUrl(tender))).json()).toMatchObject({ status: 'failed', retender: re.json() });
      const pub = await tenderer.post(`/api/tendering/tenders/${re.json().tenderId}/publish`);
      expect(pub.statusCode, pub.body).toBe(200);
      expect((await bidders.b3!.s.post(`/api/tendering/tenders/${re.json().tenderId}/obtain`)).statusCode).toBe(200);
    });
  }, 300_000);

  it('a bidder that does not decrypt is revoked (电子招标投标办法 31); the other three go on to the award', async () => {
    await scenario('crv', '2026-11-02T09:00:00', async (sc) => {
      const tender = await publishTender(sc, 'works_open_tender', { deadline: '2026-11-24T09:30:00' });
      const bidders = await obtainAndPrepare(sc, tender, ['b1', 'b2', 'b3', 'b4']);
      await advance(sc, '2026-11-16T10:00:00');
      await submitBids(sc, tender, bidders, { ...PRICES, b4: '2500000.00' }); // the cheapest bid is the one lost
      await openAndDecrypt(sc, tender, bidders, { skip: ['b4'] });
      const room = await closeOpening(sc, tender);
      expect(room).toMatchObject({ status: 'closed', lotStatus: 'evaluation' });
      const row = (b: string) => room.record.bids.find((x: { bidder: { orgId: string } }) => x.bidder.orgId === bidders[b]!.orgId);
      expect(row('b4')).toMatchObject({ decryption: 'revoked', priceFen: null });
      expect(row('b3')).toMatchObject({ decryption: 'decrypted', priceFen: 279_999_999 });
      expect(problem(await bidders.b4!.s.post(`${roomUrl(tender)}/decrypt`, { contentKey: 'x' })).code).toBe('BID_DECRYPTION_CLOSED');
      await advance(sc, '2026-11-25T10:00:00');
      const tenderer = await sc.as('tenderer');
      const withB4 = await tenderer.post(`${lotUrl(tender)}/evaluation-result`, { reportFileId: tender.documentId, candidates: [{ rank: 1, bidderOrgId: bidders.b4!.orgId }] });
      expect(withB4.statusCode).toBeGreaterThanOrEqual(400); // a revoked bid is no candidate
      const [winner] = await enterEvaluation(sc, tender, bidders, ['b1', 'b2', 'b3']);
      expect(winner!.name).toBe('b3');
      await publicise(sc, tender);
      await advance(sc, '2026-12-01T10:00:00');
      await awardLot(sc, tender, winner!);
      expect(problem(await bidders.b4!.s.get(`${lotUrl(tender)}/notice.pdf`)).status).toBe(404);
      await advance(sc, '2026-12-02T10:00:00');
      await recordContract(sc, tender, winner!, '2026-12-02T09:00:00');
      const open = await ocds(sc, tender);
      const details = open.record.records[0].compiledRelease.bids.details as { status: string }[];
      expect(details.map((d) => d.status).sort()).toEqual(['valid', 'valid', 'valid', 'withdrawn']);
    });
  }, 300_000);

  it('before the deadline no party, staff, overseer or bidder learns who bid, how many, or what (DOMAIN §7)', async () => {
    await scenario('csc', '2026-11-02T09:00:00', async (sc) => {
      // An agency operates the tender, so both the tenderer and its agency are parties. Lot 1 gets three bids, lot 2 none.
      const tender = await publishTender(sc, 'works_open_tender', { deadline: '2026-11-24T09:30:00', lotCount: 2, viaAgency: true });
      const bidders = await obtainAndPrepare(sc, tender, ['b1', 'b2', 'b3', 'b4']);
      const ocid = `${sc.t.ctx.config.ocidPrefix}-${tender.id}`;
      const lotIds = tender.lots.map((l) => l.lotId);
      const reads = [
        `/api/tendering/tenders/${tender.id}`,
        `/api/tendering/tenders/${tender.id}/obtains`,
        ...[1, 2].flatMap((n) => [`/api/bidding/tenders/${tender.id}/lots/${n}/bids`, `/api/bidding/tenders/${tender.id}/lots/${n}/opening`, `/api/award/tenders/${tender.id}/lots/${n}`]),
        ...lotIds.map((l) => `/api/deposits/lots/${tender.id}/${l}`),
        `/api/deposits/tenders/${tender.id}/signals`,
      ];
      const publicReads = [`/api/tendering/public/tenders/${tender.id}`, `/api/opendata/releases?ocid=${ocid}&limit=100`, `/api/opendata/records/${ocid}`, '/api/portal/announcements?limit=50'];
      const actors = ['tenderer', 'agency', 'staff', 'witness', 'reg', 'admin', 'b4'];
      const snapshot = async () => {
        const out: Record<string, string> = {};
        for (const u of actors) {
          const s: Session = await sc.as(u);
          for (const url of reads) {
            const r = await s.get(url);
            out[`${u} ${url}`] = `${r.statusCode} ${r.body}`;
          }
        }
        for (const url of publicReads) {
          const r = await sc.t.app.inject({ method: 'GET', url });
          out[`public ${url}`] = `${r.statusCode} ${r.body}`;
        }
        return out;
      };
      await advance(sc, '2026-11-16T10:00:00');
      const before = await snapshot();
      await submitBids(sc, tender, bidders, PRICES);
      const after = await snapshot();
      // Every read answers exactly as before the bids arrived: no list, no count, no name, no price …
      for (const k of Object.keys(before)) expect(after[k], k).toBe(before[k]);
      const secrets = [...['b1', 'b2', 'b3'].map((b) => bidders[b]!.orgId), ...Object.values(PRICES), ...Object.values(PRICES).map((p) => p.replace('.', ''))];
      for (const [k, body] of Object.entries(after)) for (const x of secrets) expect(body.includes(x), `${k} shows ${x}`).toBe(false);
      // … and the questions about bids are refused to every party and overseer alike, for the lot with bids and without.
      for (const u of ['tenderer', 'agency', 'staff', 'witness', 'reg']) {
        for (const n of [1, 2]) expect(after[`${u} /api/bidding/tenders/${tender.id}/lots/${n}/bids`], u).toMatch(/^403 .*BIDS_SECRET_UNTIL_DEADLINE/);
        expect(after[`${u} /api/tendering/tenders/${tender.id}/obtains`], u).toMatch(/^403 .*TENDER_SECRET_UNTIL_DEADLINE/);
      }
      // Another bidder (b4 obtained, did not bid) and a bidder that did bid see only their own bid.
      expect(after[`b4 /api/bidding/tenders/${tender.id}/lots/1/bids`]).toMatch(/^403 /);
      const own = await bidders.b1!.s.get(`/api/bidding/tenders/${tender.id}/lots/1/bid`);
      expect(own.statusCode).toBe(200);
      for (const b of ['b2', 'b3']) expect(own.body).not.toContain(bidders[b]!.orgId);
      for (const x of Object.values(PRICES)) expect(own.body).not.toContain(x); // its own price too: only in the ciphertext
      expect((await bidders.b1!.s.get(`/api/bidding/tenders/${tender.id}/lots/1/opening`)).statusCode).toBe(403);
      // The envelope is the bidder's: another bidder cannot download it.
      const envelopeId = own.json().current?.fileId as string | undefined;
      if (envelopeId) expect((await bidders.b2!.s.get(`/api/files/${envelopeId}`)).statusCode).toBe(404);
    });
  }, 300_000);
});
