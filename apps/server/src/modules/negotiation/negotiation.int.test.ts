import { expect, it } from 'vitest';
import { describeEngines, problem, type Session } from '../../../test/harness';
import {
  advance,
  bj,
  closeOpening,
  decryptFinalOffer,
  enterEvaluation,
  lotUrl,
  negUrl,
  obtainAndPrepare,
  openAndDecrypt,
  openScenario,
  publishTender,
  putFinalOffer,
  sealFinalOffer,
  submitBids,
  submitFinalOffer,
  type Bidder,
  type Scenario,
  type Tender,
} from '../../../test/scenarios/scenario.driver';
import { upload } from '../tendering/tendering.fixture';

/**
 * The negotiation stage (ADR 0017) through the real APIs on both engines: first responses sealed, opened and decrypted
 * by the bidding module; then rounds, change notices, eliminations, sealed final offers with a server-enforced deadline,
 * decryption by each supplier, the statutory minimum, the single-source agreement — and who may see what.
 */
const FIRST = { b1: '2950000.00', b2: '2888000.50', b3: '2799999.99', b4: '2990000.00' };

async function inbox(s: Session, kind: string): Promise<{ title: { zh: string }; body: { zh: string } }[]> {
  const r = await s.get('/api/notifications?limit=100');
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().items as { kind: string; title: { zh: string }; body: { zh: string } }[]).filter((n) => n.kind === kind);
}

/** Published, bids sealed and decrypted, the opening closed: the lot is negotiating. */
async function toNegotiation(sc: Scenario, procedure: string, names: string[], invited?: string[]) {
  const tender = await publishTender(sc, procedure, { deadline: '2026-11-24T09:30:00', invited });
  const bidders = await obtainAndPrepare(sc, tender, names);
  await advance(sc, '2026-11-16T10:00:00');
  await submitBids(sc, tender, bidders, Object.fromEntries(names.map((b) => [b, FIRST[b as keyof typeof FIRST]])));
  await openAndDecrypt(sc, tender, bidders);
  const room = await closeOpening(sc, tender);
  expect(room).toMatchObject({ status: 'closed', lotStatus: 'negotiating', recordAnnouncementId: null });
  return { tender, bidders };
}

const round = (op: Session, t: Tender, b: Bidder, roundNo: number, minutesText: string, extra: Record<string, unknown> = {}) =>
  op.post(`${negUrl(t)}/rounds`, { roundNo, bidderOrgId: b.orgId, minutesText, ...extra });

describeEngines('negotiation rounds, final offers and single source', (engine) => {
  async function scenario(prefix: string, fn: (sc: Scenario) => Promise<void>) {
    const sc = await openScenario(engine, prefix);
    try {
      await fn(sc);
    } finally {
      await sc.close();
    }
  }

  it('竞争性谈判: rounds, a change to all still in, an elimination, sealed final offers (late refused, early reads refused), evaluation at the final prices', async () => {
    await scenario('ngn', async (sc) => {
      const { tender, bidders } = await toNegotiation(sc, 'competitive_negotiation', ['b1', 'b2', 'b3', 'b4']);
      const { b1, b2, b3, b4 } = bidders as Record<string, Bidder>;
      const op = await sc.as('tenderer');

      // The first responses were not read out: a supplier sees only its own in the room; no opening record published.
      const room = (await b1!.s.get(`/api/bidding/tenders/${tender.id}/lots/1/opening`)).json();
      expect(room.bids.map((b: { bidder: { orgId: string } }) => b.bidder.orgId)).toEqual([b1!.orgId]);
      expect(JSON.stringify(room)).not.toContain(b2!.orgId);
      const portal = (await sc.t.app.inject({ method: 'GET', url: '/api/portal/announcements?limit=50' })).json();
      expect(portal.items.length).toBeGreaterThan(0); // the procurement notice
      expect(portal.items.some((a: { type: string }) => a.type === 'opening_record')).toBe(false);

      // Rounds: the agency (here the purchaser itself) records minutes with each supplier; supervisors may not.
      await advance(sc, '2026-11-24T14:00:00');
      const minutes = await upload(op, '第一轮谈判记录-b1.pdf');
      expect((await round(op, tender, b1!, 1, '与 b1 谈判：同意交货期 60 日，报价有下调空间。', { minutesFileId: minutes })).statusCode).toBe(200);
      for (const b of [b2!, b3!, b4!]) expect((await round(op, tender, b, 1, `与供应商谈判第一轮（${b.name}）。`)).statusCode).toBe(200);
      expect(problem(await round(op, tender, b1!, 3, '跳号')).code).toBe('NEGOTIATION_ROUND_NO_INVALID');
      expect(problem(await round(op, tender, b1!, 1, '重复')).code).toBe('NEGOTIATION_ROUND_EXISTS');
      expect(problem(await (await sc.as('regp')).post(`${negUrl(tender)}/rounds`, { roundNo: 2, bidderOrgId: b1!.orgId, minutesText: 'x' })).code).toBe('SUPERVISOR_CANNOT_OPERATE');
      expect(problem(await b1!.s.post(`${negUrl(tender)}/rounds`, { roundNo: 2, bidderOrgId: b1!.orgId, minutesText: 'x' })).code).toBe('NEGOTIATION_NOT_OPERATOR');

      // A supplier reads its own minutes, never another's — neither in its view nor as a file.
      const v2 = (await b2!.s.get(negUrl(tender))).json();
      expect(v2).toMatchObject({ viewer: 'supplier', participants: [], finalOffers: [], me: { status: 'active' } });
      expect(v2.rounds.map((r: { bidderOrgId: string }) => r.bidderOrgId)).toEqual([b2!.orgId]);
      for (const other of [b1!, b3!, b4!]) expect(JSON.stringify(v2)).not.toContain(other.orgId);
      expect((await b2!.s.get(`/api/files/${minutes}`)).statusCode).toBe(404);
      expect((await b1!.s.get(`/api/files/${minutes}`)).statusCode).toBe(200);
      expect((await (await sc.as('b4')).get(negUrl(tender))).json().rounds).toHaveLength(1);
      // Someone not taking part: 404 as for a lot without a negotiation.
      const outsider = await sc.as('other');
      expect((await outsider.get(negUrl(tender))).statusCode).toBe(404);

      // b4 is not responsive: eliminated with a reason, told so, deposit released.
      const el = await op.post(`${negUrl(tender)}/eliminations`, { bidderOrgId: b4!.orgId, reason: '技术参数第 2.1 项未实质性响应。' });
      expect(el.statusCode, el.body).toBe(200);
      expect((await inbox(b4!.s, 'negotiation.eliminated'))[0]!.body.zh).toContain('未实质性响应');
      expect((await b4!.s.get(negUrl(tender))).json().me).toMatchObject({ status: 'eliminated', statusReason: '技术参数第 2.1 项未实质性响应。' });

      // A written change reaches every supplier still in — and only them.
      expect(problem(await op.post(`${negUrl(tender)}/changes`, { text: '交货期改为 45 日。', purchaserConfirmed: false })).code).toBe('NEGOTIATION_CHANGE_UNCONFIRMED');
      const ch = await op.post(`${negUrl(tender)}/changes`, { text: '技术要求第 3.2 条修改为：交货期不超过 45 日。', purchaserConfirmed: true });
      expect(ch.statusCode, ch.body).toBe(200);
      const change = ch.json().changes[0];
      expect(change.recipients.map((r: { orgId: string }) => r.orgId).sort()).toEqual([b1!.orgId, b2!.orgId, b3!.orgId].sort());
      for (const b of [b1!, b2!, b3!]) {
        expect((await inbox(b.s, 'negotiation.change_issued'))[0]!.body.zh).toContain('交货期不超过 45 日');
        expect((await b.s.get(negUrl(tender))).json().changes.map((c: { text: string }) => c.text)).toEqual([change.text]);
      }
      expect(await inbox(b4!.s, 'negotiation.change_issued')).toEqual([]);
      expect((await b4!.s.get(negUrl(tender))).json().changes).toEqual([]);
      const ack = await b1!.s.post(`${negUrl(tender)}/changes/${change.id}/acknowledge`);
      expect(ack.statusCode, ack.body).toBe(200);
      expect((await b4!.s.post(`${negUrl(tender)}/changes/${change.id}/acknowledge`)).statusCode).toBe(404);

      // Round 2 with b1 and b2 only: the final offers cannot be called until b3 has had it too (74号令 31).
      for (const b of [b1!, b2!]) expect((await round(op, tender, b, 2, '第二轮：就变更后的交货期谈判。')).statusCode).toBe(200);
      const deadline = bj('2026-11-24T16:00:00');
      const unequal = problem(await op.post(`${negUrl(tender)}/final-offers/call`, { deadline }));
      expect(unequal.code).toBe('NEGOTIATION_UNEQUAL_ROUNDS');
      expect((await round(op, tender, b3!, 2, '第二轮：就变更后的交货期谈判。')).statusCode).toBe(200);
      expect(problem(await op.post(`${negUrl(tender)}/final-offers/call`, { deadline: bj('2026-11-24T14:05:00') })).code).toBe('NEGOTIATION_DEADLINE_INVALID');
      expect(problem(await op.post(`${negUrl(tender)}/final-offers/call`, { deadline, minimumException: { kind: 'research_project', note: '科研项目' } })).code).toBe('NEGOTIATION_EXCEPTION_NOT_ALLOWED');
      const called = await op.post(`${negUrl(tender)}/final-offers/call`, { deadline });
      expect(called.statusCode, called.body).toBe(200);
      expect(called.json()).toMatchObject({ stage: 'final_offers', finalCall: { deadline: new Date(deadline).toISOString() }, finalOffersSealed: true, finalOffers: [] });
      expect(problem(await round(op, tender, b1!, 3, '太晚')).code).toBe('NEGOTIATION_WRONG_STAGE');
      expect(problem(await b1!.s.post(`${negUrl(tender)}/withdraw`, {})).code).toBe('NEGOTIATION_WITHDRAW_CLOSED');

      // Sealed final offers. b1 replaces its first; b4 (out) may not submit.
      const first = await submitFinalOffer(tender, b1!, '2900000.00');
      const b1Offer = await submitFinalOffer(tender, b1!, '2890000.00');
      expect(b1Offer.receipt.supersedes).toBe(first.receipt.finalOfferId);
      const b2Offer = await submitFinalOffer(tender, b2!, '2750000.00');
      const b3Offer = await submitFinalOffer(tender, b3!, '2790000.00');
      expect((await b4!.s.get(negUrl(tender))).json().sealing).toBeNull();
      const sealing = (await b1!.s.get(negUrl(tender))).json().sealing;
      const forged = await sealFinalOffer(tender, b4!, '1.00', sealing);
      expect(problem(await putFinalOffer(b4!.s, tender, forged.bytes)).code).toBe('NEGOTIATION_SUPPLIER_NOT_ACTIVE');
      // Sealed with another organisation's key: refused by the SDK verifier's key check.
      const wrongKey = await sealFinalOffer(tender, { ...b2!, key: b3!.key }, '1.00', sealing);
      expect(problem(await putFinalOffer(b2!.s, tender, wrongKey.bytes)).code).toBe('FINAL_OFFER_KEY_MISMATCH');

      // Before the deadline nobody reads them — the agency, the purchaser, staff, a regulator, a supplier.
      for (const u of ['tenderer', 'staff', 'regp', 'b1']) {
        const r = await (await sc.as(u)).get(`${negUrl(tender)}/final-offers`);
        expect(r.statusCode, u).toBe(403);
        expect(problem(r).code, u).toBe('NEGOTIATION_FINAL_OFFERS_SEALED');
      }
      const sealedView = (await op.get(negUrl(tender))).json();
      expect(sealedView.finalOffers).toEqual([]);
      expect(sealedView.participants.every((p: { finalPriceFen: number | null }) => p.finalPriceFen === null)).toBe(true);
      // The database holds no final price before the deadline (only ciphertext and hashes).
      const dump = JSON.stringify(await sc.t.ctx.db.selectFrom('negotiation_final_offers').selectAll().execute());
      for (const p of ['289000000', '2890000', '275000000', '2750000', '279000000']) expect(dump).not.toContain(p);
      // Decryption before the deadline: refused.
      expect(problem(await decryptFinalOffer(tender, b2!, b2Offer.header)).code).toBe('FINAL_OFFER_DECRYPTION_CLOSED');

      // The deadline passes (server time): a late offer is refused with a stable code.
      await advance(sc, '2026-11-24T16:00:01');
      const late = await sealFinalOffer(tender, b3!, '2700000.00', sealing);
      const refused = await putFinalOffer(b3!.s, tender, late.bytes);
      expect(refused.statusCode).toBe(409);
      expect(problem(refused)).toMatchObject({ code: 'NEGOTIATION_FINAL_OFFER_CLOSED', field: 'envelope' });

      // Now the parties see who submitted; prices appear as each supplier decrypts its own.
      const listed = (await op.get(`${negUrl(tender)}/final-offers`)).json();
      expect(listed.count).toBe(3);
      expect(listed.items.every((o: { decryption: string; priceFen: null }) => o.decryption === 'pending' && o.priceFen === null)).toBe(true);
      expect(problem(await b1!.s.get(`${negUrl(tender)}/final-offers`)).code).toBe('FORBIDDEN');
      const wrong = await b1!.s.post(`${negUrl(tender)}/final-offer/decrypt`, { contentKey: 'ab'.repeat(32) });
      expect(problem(wrong).code).toBe('FINAL_OFFER_WRONG_CONTENT_KEY');
      for (const [b, o, fen] of [
        [b1!, b1Offer, 289_000_000],
        [b2!, b2Offer, 275_000_000],
        [b3!, b3Offer, 279_000_000],
      ] as const) {
        const d = await decryptFinalOffer(tender, b, o.header);
        expect(d.statusCode, d.body).toBe(200);
        expect(d.json().priceFen).toBe(fen);
      }
      const done = (await op.get(negUrl(tender))).json();
      expect(done).toMatchObject({ stage: 'concluded', lotStatus: 'evaluation' });
      expect(done.finalOffers.map((o: { orgId: string; rank: number }) => [o.orgId, o.rank]).sort()).toEqual(
        [
          [b2!.orgId, 1],
          [b3!.orgId, 2],
          [b1!.orgId, 3],
        ].sort(),
      );
      // Each supplier still sees only itself.
      const mine = (await b3!.s.get(negUrl(tender))).json();
      expect(mine).toMatchObject({ me: { status: 'final', finalPriceFen: 279_000_000 }, finalOffers: [], participants: [] });

      // Evaluation: the final prices, and the eliminated supplier cannot be a candidate.
      await advance(sc, '2026-11-25T10:00:00');
      const report = await upload(op, '评审报告.pdf');
      const withB4 = await op.post(`${lotUrl(tender)}/evaluation-result`, { reportFileId: report, candidates: [{ rank: 1, bidderOrgId: b4!.orgId }] });
      expect(withB4.statusCode).toBe(400);
      for (const b of [b1!, b2!, b3!]) b.priceYuan = { b1: '2890000.00', b2: '2750000.00', b3: '2790000.00' }[b.name];
      const ranked = await enterEvaluation(sc, tender, { b1: b1!, b2: b2!, b3: b3! }, ['b1', 'b2', 'b3']);
      expect(ranked.map((b) => b.name)).toEqual(['b2', 'b3', 'b1']);

      // The award: the eliminated supplier is told the result too (采购法 38（五）: 所有参加谈判的未成交的供应商).
      await advance(sc, '2026-11-26T10:00:00');
      const awarded = await op.post(`${lotUrl(tender)}/award`, {});
      expect(awarded.statusCode, awarded.body).toBe(200);
      await advance(sc, '2026-11-26T10:01:00');
      expect((await inbox(b4!.s, 'negotiation.result'))[0]!.body.zh).toContain('2,750,000.00');
      expect(await inbox(b1!.s, 'negotiation.result')).toEqual([]); // b1 hears through the award module's 结果通知书
    });
  }, 300_000);

  it('竞争性磋商: too few final offers → the lot fails with its notice and can be re-procured; the price weight and the exception are checked', async () => {
    await scenario('ncs', async (sc) => {
      const { tender, bidders } = await toNegotiation(sc, 'competitive_consultation', ['b1', 'b2', 'b3']);
      const op = await sc.as('tenderer');
      await advance(sc, '2026-11-24T14:00:00');
      for (const b of Object.values(bidders)) expect((await round(op, tender, b, 1, '磋商第一轮。')).statusCode).toBe(200);
      const deadline = bj('2026-11-24T16:00:00');
      // 214号文 24: goods 30 %–60 %.
      expect(problem(await op.post(`${negUrl(tender)}/final-offers/call`, { deadline })).code).toBe('NEGOTIATION_PRICE_WEIGHT_INVALID');
      expect(problem(await op.post(`${negUrl(tender)}/final-offers/call`, { deadline, priceWeightPercent: 20 })).code).toBe('NEGOTIATION_PRICE_WEIGHT_INVALID');
      expect(problem(await op.post(`${negUrl(tender)}/final-offers/call`, { deadline, priceWeightPercent: 30, minimumException: { kind: 'gp_two_suppliers_approved', note: '批准' } })).code).toBe(
        'NEGOTIATION_EXCEPTION_NOT_ALLOWED',
      );
      const called = await op.post(`${negUrl(tender)}/final-offers/call`, { deadline, priceWeightPercent: 30 });
      expect(called.statusCode, called.body).toBe(200);
      // Two of three submit: b3 does not (视为退出).
      await submitFinalOffer(tender, bidders.b1!, '2900000.00');
      await submitFinalOffer(tender, bidders.b2!, '2800000.00');
      await advance(sc, '2026-11-24T16:00:01');
      const failed = (await op.get(negUrl(tender))).json();
      expect(failed).toMatchObject({ stage: 'failed', lotStatus: 'failed' });
      expect(failed.failedReason).toContain('不足3家（2家）');
      expect(failed.participants.find((p: { orgId: string }) => p.orgId === bidders.b3!.orgId)).toMatchObject({ status: 'no_final_offer' });
      // Prices were never opened.
      expect(failed.finalOffers.every((o: { priceFen: number | null; decryption: string }) => o.priceFen === null && o.decryption === 'pending')).toBe(true);
      expect((await bidders.b3!.s.get(negUrl(tender))).json().me.status).toBe('no_final_offer');
      // The failure notice is public, linked to the procurement notice; everyone who took part is told.
      const notices = (await sc.t.app.inject({ method: 'GET', url: '/api/portal/announcements?limit=50' })).json();
      const notice = (notices.items as { type: string; title: string }[]).find((a) => a.type === 'failure_notice');
      expect(notice?.title).toContain('磋商失败');
      expect((await (await sc.as('b1')).get('/api/notifications?limit=100')).json().items.some((n: { kind: string }) => n.kind === 'negotiation.failed')).toBe(true);
      // Open data: a tenderUpdate with the lot unsuccessful, and no bid of the negotiation in it.
      const ocid = `${sc.t.ctx.config.ocidPrefix}-${tender.id}`;
      const releases = (await sc.t.app.inject({ method: 'GET', url: `/api/opendata/releases?ocid=${ocid}&limit=100` })).json().releases as { tag: string[]; bids?: unknown; tender: { lots?: { status: string }[] } }[];
      const last = releases[releases.length - 1]!;
      expect(last.tag).toEqual(['tenderUpdate']);
      expect(last.tender.lots?.[0]?.status).toBe('unsuccessful');
      expect(last.bids).toBeUndefined();
      // The award module sees a failed lot: re-procurement goes through its re-tender.
      expect((await op.get(lotUrl(tender))).json().status).toBe('failed');
      expect(problem(await bidders.b1!.s.post(`${negUrl(tender)}/final-offer/decrypt`, { contentKey: 'ab'.repeat(32) })).code).toBe('FINAL_OFFER_DECRYPTION_CLOSED');
    });
  }, 300_000);

  it('单一来源: an objection to the publicity holds the agreement until answered; 协商 minutes, an over-budget price refused, the supplier confirms, award at the agreed price', async () => {
    await scenario('nss', async (sc) => {
      const tender = await publishTender(sc, 'single_source', { deadline: '2026-11-24T09:30:00', invited: ['b1'] });
      // 74号令 39: anyone may object during the publicity — here another supplier that was not invited.
      const b2 = await sc.as('b2');
      const raised = await b2.post(`/api/negotiation/tenders/${tender.id}/single-source-objections`, { text: '本单位同样具备该专利产品的供货能力，不属于唯一供应商。' });
      expect(raised.statusCode, raised.body).toBe(201);
      expect((await b2.get(`/api/negotiation/tenders/${tender.id}/single-source-objections`)).json().items).toMatchObject([{ mine: true, status: 'open', objector: null }]);
      const seen = (await (await sc.as('tenderer')).get(`/api/negotiation/tenders/${tender.id}/single-source-objections`)).json().items;
      expect(seen[0].objector).toContain('投标人b2');

      const bidders = await obtainAndPrepare(sc, tender, ['b1']);
      await advance(sc, '2026-11-16T10:00:00');
      await submitBids(sc, tender, bidders, { b1: FIRST.b1 });
      await openAndDecrypt(sc, tender, bidders);
      expect(await closeOpening(sc, tender)).toMatchObject({ lotStatus: 'negotiating' });
      // After the publicity: too late to object.
      expect(problem(await (await sc.as('b3')).post(`/api/negotiation/tenders/${tender.id}/single-source-objections`, { text: '异议。' })).code).toBe('NEGOTIATION_OBJECTION_CLOSED');

      const op = await sc.as('tenderer');
      const b1 = bidders.b1!;
      await advance(sc, '2026-11-24T14:00:00');
      expect(problem(await op.post(`${negUrl(tender)}/agreement`, { priceFen: 290_000_000, terms: '主要条款' })).code).toBe('NEGOTIATION_NO_ROUNDS');
      expect((await round(op, tender, b1, 1, '协商：供应商提供了成本构成及同类项目合同价格；双方就价格与质保期协商。')).statusCode).toBe(200);
      expect(problem(await op.post(`${negUrl(tender)}/final-offers/call`, { deadline: bj('2026-11-24T16:00:00') })).code).toBe('NEGOTIATION_NOT_FOR_SINGLE_SOURCE');
      // The lot's budget is 300 万: a higher price cannot be agreed (74号令 43).
      expect(problem(await op.post(`${negUrl(tender)}/agreement`, { priceFen: 300_000_001, terms: '主要条款' })).code).toBe('NEGOTIATION_OVER_BUDGET');
      const record = await upload(op, '协商情况记录（签字）.pdf');
      const proposed = await op.post(`${negUrl(tender)}/agreement`, { priceFen: 290_000_000, terms: '交货期 60 日，质保 3 年。', recordFileId: record });
      expect(proposed.statusCode, proposed.body).toBe(200);
      expect((await b1.s.get(`/api/files/${record}`)).statusCode).toBe(200);
      expect((await b2.get(`/api/files/${record}`)).statusCode).toBe(404);
      // The purchaser cannot confirm for the supplier; the supplier cannot while the objection is open.
      expect((await op.post(`${negUrl(tender)}/agreement/confirm`)).statusCode).toBe(403);
      expect(problem(await b1.s.post(`${negUrl(tender)}/agreement/confirm`)).code).toBe('NEGOTIATION_OBJECTION_OPEN');
      const answered = await op.post(`/api/negotiation/single-source-objections/${raised.json().id}/answer`, { decision: 'rejected', text: '经专业人员补充论证，该专利产品仅原厂可供货，异议不成立。' });
      expect(answered.statusCode, answered.body).toBe(200);
      expect((await inbox(b2, 'negotiation.single_source_objection_answered'))[0]!.body.zh).toContain('异议不成立');
      const confirmed = await b1.s.post(`${negUrl(tender)}/agreement/confirm`);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toMatchObject({ stage: 'concluded', lotStatus: 'evaluation', me: { status: 'agreed', finalPriceFen: 290_000_000 } });

      // Evaluation and award take the agreed price.
      await advance(sc, '2026-11-25T10:00:00');
      b1.priceYuan = '2900000.00';
      await enterEvaluation(sc, tender, bidders, ['b1']);
      await advance(sc, '2026-11-26T10:00:00');
      const awarded = await op.post(`${lotUrl(tender)}/award`, {});
      expect(awarded.statusCode, awarded.body).toBe(200);
      expect((await b1.s.get(lotUrl(tender))).json().award).toMatchObject({ winnerOrgId: b1.orgId, priceFen: 290_000_000 });
    });
  }, 300_000);
});
