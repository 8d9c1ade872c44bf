import { expect, it } from 'vitest';
import { describeEngines, problem } from '../harness';
import { afterOpening, myDeposit, openScenario, runToContract, type Scenario } from './scenario.driver';

/**
 * Every tendering procedure policy from publication to contract, through the real APIs, on both engines (issue 3,
 * "Done when"): accepted project → tender published with documents → documents obtained → keys registered → bids
 * sealed with the SDK and submitted → deadline (chronograph) → opening room, each bidder decrypts → opening record →
 * evaluation result (manual seam) → publicity where the policy has one → award, 中标通知书 PDF → contract → refunds
 * started → OCDS release and record packages valid against ../shared/data/ocds.
 *
 * Deposits: 2 % of the estimate per lot, paid by transfer to the lot's virtual sub-account through the demo bank
 * (works) or as an electronic guarantee from the demo issuer (government procurement), both over real HTTP.
 *
 * Policies with negotiation rounds (竞争性谈判, 竞争性磋商, 单一来源 — `negotiationRounds: true`) go through the negotiation
 * module between the opening and the evaluation (ADR 0017): the first responses are not read out in public; one round
 * with each supplier, a written change to all still in, sealed final offers after a deadline, decrypted by their
 * suppliers (谈判/磋商) or the price agreed and confirmed by the supplier (单一来源); the evaluation takes the final
 * prices, and a lower final offer changes the winner. The negotiation module's own tests cover eliminations, unequal
 * rounds, late offers, secrecy, too few final offers and objections to the single-source publicity.
 */
const PRICES = { b1: '2950000.00', b2: '2888000.50', b3: '2799999.99' };
/** Final offers: b2 goes below b3's first price, so the winner differs from the opening's cheapest. */
const FINAL = { b1: '2900000.00', b2: '2750000.00', b3: '2790000.00' };
const THREE = ['b1', 'b2', 'b3'];

describeEngines('scenarios: every procedure policy from publication to contract', (engine) => {
  async function scenario(prefix: string, fn: (sc: Scenario) => Promise<void>) {
    const sc = await openScenario(engine, prefix);
    try {
      await fn(sc);
    } finally {
      await sc.close();
    }
  }
  const FULL = ['published', 'documents obtained', 'bids sealed and submitted', 'opening room: decrypted', 'opening record published', 'evaluation result entered'];
  const NEGOTIATED = ['published', 'documents obtained', 'bids sealed and submitted', 'opening room: decrypted', 'opening record (parties only)', 'negotiated, final offers read', 'evaluation result entered'];
  /** Government procurement deposits are guarantees (采购条例 33): released — the losers' at the award, the winner's at the contract. */
  async function guaranteesReleased(r: Awaited<ReturnType<typeof runToContract>>) {
    expect(r.contract!.refunds).toEqual([]); // no cash to send back
    for (const b of Object.values(r.bidders)) expect((await myDeposit(r.tender, b)).guarantees.map((g) => g.status), b.name).toEqual(['released']);
  }
  const TAIL = ['awarded, notice PDF', 'contract published', 'OCDS record package'];

  it('工程 公开招标: candidates publicised, an objection pauses the award until answered, contract, refunds after it', async () => {
    await scenario('pwo', async (sc) => {
      const r = await runToContract(sc, 'works_open_tender', { bidders: [...THREE, 'b4'], prices: PRICES, publicityObjectionBy: 'b2' });
      expect(r.stages).toEqual([...FULL, 'candidates publicised', 'publicity objection paused the award, answered', ...TAIL]);
      expect(r.winner!.name).toBe('b3');
      expect(r.award!.refunds).toEqual([]); // works: deposits go back after the contract (条例 57), none at the award
      // Everyone who paid — the winner, the losers and b4, which paid and did not bid — within 5 日 of signing (12-02).
      expect(r.contract!.refunds.map((x) => x.bidderOrgId).sort()).toEqual(['b1', 'b2', 'b3', 'b4'].map((b) => sc.w.ids[b]!.orgId).sort());
      expect(new Set(r.contract!.refunds.map((x) => x.dueAt))).toEqual(new Set(['2026-12-07T16:00:00.000Z']));
      expect((await myDeposit(r.tender, r.bidders.b1!)).refunds).toHaveLength(1);
      expect(afterOpening(r.ocds!.tags)).toEqual(['award', 'award', 'contract']);
    });
  }, 300_000);

  it('工程 邀请招标: only the invited obtain and bid; no public tender notice; later stages public', async () => {
    await scenario('pwi', async (sc) => {
      const r = await runToContract(sc, 'works_invited_tender', { bidders: THREE, invited: THREE, prices: PRICES });
      expect(r.stages).toEqual([...FULL, 'candidates publicised', ...TAIL]);
      const b4 = await sc.as('b4');
      expect((await b4.get(`/api/tendering/tenders/${r.tender.id}`)).statusCode).toBe(404);
      expect(problem(await b4.post(`/api/tendering/tenders/${r.tender.id}/obtain`)).code).toBe('NOT_FOUND');
      expect((await b4.get(`/api/bidding/tenders/${r.tender.id}/sealing`)).statusCode).toBe(404);
      expect(afterOpening(r.ocds!.tags)).toEqual(['award', 'award', 'contract']);
    });
  }, 300_000);

  for (const [code, name] of [
    ['gp_open_tender', '政府采购 公开招标'],
    ['competitive_consultation', '竞争性磋商'],
    ['competitive_negotiation', '竞争性谈判'],
    ['inquiry', '询价'],
  ] as const) {
    it(`${name}: no publicity, award within 5 工作日, result and contract announcements`, async () => {
      await scenario(`p${code.slice(0, 3)}${code.length}`, async (sc) => {
        const negotiates = code === 'competitive_negotiation' || code === 'competitive_consultation';
        const r = await runToContract(sc, code, { bidders: THREE, prices: PRICES, ...(negotiates ? { finalPrices: FINAL } : {}) });
        expect(r.tender.policy.negotiationRounds.value).toBe(negotiates);
        expect(r.stages).toEqual([...(negotiates ? NEGOTIATED : FULL), ...TAIL]);
        expect(r.tender.policy.regime).toBe('government_procurement');
        expect(r.award!.warnings.map((x) => x.code)).not.toContain('AWARD_LATE');
        await guaranteesReleased(r);
        if (negotiates) {
          // The lowest final offer wins (74号令 35; here the candidates are ranked by price for 磋商 too), at its final price.
          expect(r.winner!.name).toBe('b2');
          const lot = (await r.winner!.s.get(`/api/award/tenders/${r.tender.id}/lots/1`)).json();
          expect(lot.award).toMatchObject({ winnerOrgId: r.winner!.orgId, priceFen: 275_000_000 });
          // No opening tenderUpdate: the responses became public with the result.
          expect(r.ocds!.tags).toEqual(['tender', 'award', 'contract']);
          const bids = r.ocds!.record.records[0].compiledRelease.bids?.details ?? [];
          expect(bids.map((b: { value?: { amount: number } }) => b.value?.amount).sort()).toEqual([2750000, 2790000, 2900000]);
        } else {
          expect(r.winner!.name).toBe('b3');
          expect(afterOpening(r.ocds!.tags)).toEqual(['award', 'contract']);
        }
      });
    }, 300_000);
  }

  it('政府采购 邀请招标: the invited alone; no public tender notice', async () => {
    await scenario('pgi', async (sc) => {
      const r = await runToContract(sc, 'gp_invited_tender', { bidders: THREE, invited: THREE, prices: PRICES });
      expect(r.stages).toEqual([...FULL, ...TAIL]);
      expect(r.tender.noticeId).toBeNull();
      await guaranteesReleased(r);
      expect(problem(await (await sc.as('b4')).post(`/api/tendering/tenders/${r.tender.id}/obtain`)).code).toBe('NOT_FOUND');
    });
  }, 300_000);

  it('单一来源: the one invited supplier, 单一来源公示 at publication, minimum 1 bidder, price agreed in 协商, to contract', async () => {
    await scenario('pss', async (sc) => {
      const r = await runToContract(sc, 'single_source', { bidders: ['b1'], invited: ['b1'], prices: { b1: '2950000.00' }, finalPrices: { b1: '2900000.00' } });
      expect(r.tender.policy.minBidders.value).toBe(1);
      expect(r.stages).toEqual([...NEGOTIATED.slice(0, 5), 'price agreed and confirmed', NEGOTIATED[6], ...TAIL]);
      expect(r.winner!.name).toBe('b1');
      // The price agreed in 协商 (采购法 39), not the first response's, is the award price.
      expect((await r.winner!.s.get(`/api/award/tenders/${r.tender.id}/lots/1`)).json().award.priceFen).toBe(290_000_000);
      await guaranteesReleased(r);
      expect(problem(await (await sc.as('b2')).post(`/api/tendering/tenders/${r.tender.id}/obtain`)).code).toBe('NOT_FOUND');
    });
  }, 300_000);
});
