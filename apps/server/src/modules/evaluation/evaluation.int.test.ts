/**
 * The electronic evaluation through the HTTP API on a real works tender taken to the opening by the scenario driver:
 * template locked at the opening, committee seated (composition refused when it breaks 法 37), review, clarification,
 * scores sealed from peers until submitted, deviation flag corrected, trimmed mean and price formula, report PDF signed
 * by every member, candidates handed to the award module and publicised, ratings guarded.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines, problem, type Session } from '../../../test/harness';
import { advance, closeOpening, lotUrl, obtainAndPrepare, openAndDecrypt, openScenario, publicise, publishTender, submitBids, type Scenario, type Tender, type Bidder } from '../../../test/scenarios/scenario.driver';
import { admitted } from '../experts/experts.fixture';
import { seatCommittee } from './index';

describeEngines('evaluation', (engine) => {
  let sc: Scenario;
  let tender: Tender;
  let bidders: Record<string, Bidder>;
  let lotId: string;
  let experts: { id: string; s: Session; accountId: string }[];
  let committeeId: string;
  const url = () => `/api/evaluation/lots/${lotId}`;
  const template = {
    method: 'comprehensive',
    items: [
      { code: 'tech', name: '技术方案', category: 'technical', min: '0', max: '40' },
      { code: 'biz', name: '商务', category: 'commercial', min: '0', max: '30' },
    ],
    price: { benchmark: 'lowest', max: '30' },
    trimmed: true,
    deviationPercent: 30,
  };

  beforeAll(async () => {
    sc = await openScenario(engine, 'ev');
    tender = await publishTender(sc, 'works_open_tender', { deadline: '2026-11-24T09:30:00' });
    bidders = await obtainAndPrepare(sc, tender, ['b1', 'b2', 'b3']);
    lotId = tender.lots[0]!.lotId;
    const reg = await sc.as('reg');
    experts = [];
    for (let i = 1; i <= 4; i++) experts.push(await admitted(sc.t, reg, `ev-expert${i}`));
  }, 240_000);
  afterAll(() => sc?.close());

  it('runs from template to publicity', async () => {
    const tenderer = await sc.as('tenderer');
    const bad = await tenderer.put(`${url()}/template`, { ...template, price: { benchmark: 'lowest', max: '20' } });
    expect(problem(bad)).toMatchObject({ code: 'EVAL_TEMPLATE_INVALID', field: 'items' });
    const set = await tenderer.put(`${url()}/template`, template);
    expect(set.statusCode, set.body).toBe(200);
    expect((await (await sc.as('b1')).put(`${url()}/template`, template)).statusCode).toBe(404);

    await advance(sc, '2026-11-16T10:00:00');
    await submitBids(sc, tender, bidders, { b1: '1000000', b2: '1100000', b3: '1200000' });
    await openAndDecrypt(sc, tender, bidders);
    expect(await closeOpening(sc, tender)).toMatchObject({ status: 'closed', lotStatus: 'evaluation' });
    expect(problem(await tenderer.put(`${url()}/template`, template)).code).toBe('EVAL_TEMPLATE_LOCKED');
    // Evaluated electronically: the agency cannot short-circuit the committee with a hand-entered result.
    const manual = await tenderer.post(`${lotUrl(tender)}/evaluation-result`, { reportFileId: '00000000-0000-4000-8000-000000000000', candidates: [{ rank: 1, bidderOrgId: bidders.b1!.orgId }] });
    expect(problem(manual).code).toBe('AWARD_MANUAL_ENTRY_OFF');

    // Committee: 4 experts + the tenderer's representative = 5 (法 37). 3 + 1 = 4 is refused.
    const nominate = await tenderer.post(`${url()}/representatives`, { accountId: sc.w.ids.tenderer2!.accountId });
    expect(nominate.statusCode, nominate.body).toBe(204);
    expect(problem(await tenderer.post(`${url()}/representatives`, { accountId: sc.w.ids.b1!.accountId })).code).toBe('EVAL_REPRESENTATIVE_INVALID');
    const now = sc.t.clock.now();
    const members = experts.map((e) => ({ expertId: e.id, accountId: e.accountId }));
    await expect(sc.t.ctx.db.transaction().execute((trx) => seatCommittee(trx, { lotId, members: members.slice(0, 3), now }))).rejects.toMatchObject({ code: 'EVAL_COMMITTEE_COMPOSITION' });
    const seated = await sc.t.ctx.db.transaction().execute((trx) => seatCommittee(trx, { lotId, members, now }));
    committeeId = seated.committeeId;
    expect(seated.seats.map((s) => s.seat).sort()).toEqual([1, 2, 3, 4, 5]);
    const rep = await sc.as('tenderer2');
    const all: Session[] = [...experts.map((e) => e.s), rep];
    const seatOf = new Map<Session, number>();
    for (const s of all) {
      const w = await s.get(`${url()}/workspace`);
      expect(w.statusCode, w.body).toBe(200);
      seatOf.set(s, w.json().me.seat);
      // Others appear as seats, not names, until the hand-off.
      expect(w.json().members.filter((m: { name: string | null }) => m.name).length).toBe(1);
    }
    const chair = all.find((s) => seatOf.get(s) === seated.seats.find((x) => x.chair)!.seat)!;
    expect(chair).not.toBe(rep);
    expect(problem(await (await sc.as('b1')).get(`${url()}/workspace`)).code).toBe('EVAL_NOT_MEMBER');

    // Review: b3 fails with three of five members.
    const bid = (b: string) => sc.t.ctx.db.selectFrom('bids').select('id').where('lot_id', '=', lotId).where('bidder_org_id', '=', bidders[b]!.orgId).where('status', '=', 'submitted').executeTakeFirstOrThrow().then((r) => r.id);
    const [b1, b2, b3] = [await bid('b1'), await bid('b2'), await bid('b3')];
    expect(problem(await all[0]!.put(`${url()}/reviews/${b3}`, { pass: false })).code).toBe('EVAL_REASON_REQUIRED');
    for (const [k, s] of all.entries()) {
      for (const b of [b1, b2]) expect((await s.put(`${url()}/reviews/${b}`, { pass: true })).statusCode).toBe(204);
      expect((await s.put(`${url()}/reviews/${b3}`, k < 3 ? { pass: false, reason: '项目经理注册证书不符合要求' } : { pass: true })).statusCode).toBe(204);
      expect((await s.post(`${url()}/reviews/submit`)).json().stage).toBe(k < 4 ? 'review' : 'scoring');
    }

    // Clarification: the chair asks b2; b2 answers; the question carries no committee names.
    expect(problem(await all.find((s) => s !== chair)!.post(`${url()}/clarifications`, { bidderOrgId: bidders.b2!.orgId, question: '请说明报价中的暂列金额。' })).code).toBe('EVAL_NOT_CHAIR');
    const asked = await chair.post(`${url()}/clarifications`, { bidderOrgId: bidders.b2!.orgId, question: '请说明报价中的暂列金额。' });
    expect(asked.statusCode, asked.body).toBe(201);
    const mine = (await bidders.b2!.s.get('/api/evaluation/clarifications')).json();
    expect(mine).toHaveLength(1);
    expect(Object.keys(mine[0]).sort()).toEqual(['answer', 'answeredAt', 'askedAt', 'id', 'lotId', 'question', 'tenderId']);
    expect((await bidders.b1!.s.get('/api/evaluation/clarifications')).json()).toHaveLength(0);
    expect((await bidders.b1!.s.post(`/api/evaluation/clarifications/${asked.json().id}/answer`, { answer: '冒充' })).statusCode).toBe(404);
    expect((await bidders.b2!.s.post(`/api/evaluation/clarifications/${asked.json().id}/answer`, { answer: '暂列金额 10 万元，按招标文件计列。' })).statusCode).toBe(204);

    // Scores: b3 cannot be scored; out of range refused; the fifth member scores b1's technical item far below the rest.
    expect(problem(await all[0]!.put(`${url()}/scores`, { scores: [{ bidId: b3, item: 'tech', score: '30' }] })).code).toBe('EVAL_BID_UNKNOWN');
    expect(problem(await all[0]!.put(`${url()}/scores`, { scores: [{ bidId: b1, item: 'tech', score: '40.01' }] })).code).toBe('EVAL_SCORE_OUT_OF_RANGE');
    const tech = ['30', '32', '34', '36', '10'];
    for (const [k, s] of all.entries()) {
      const r = await s.put(`${url()}/scores`, { scores: [
        { bidId: b1, item: 'tech', score: tech[k]! }, { bidId: b1, item: 'biz', score: '20' },
        { bidId: b2, item: 'tech', score: '35' }, { bidId: b2, item: 'biz', score: '25' },
      ] });
      expect(r.statusCode, r.body).toBe(204);
    }
    expect((await all[0]!.post(`${url()}/scores/submit`)).json().stage).toBe('scoring');
    // The attack: an expert asks for the others' scores before submitting → refused.
    const peek = await all[1]!.get(`${url()}/scores`);
    expect(peek.statusCode).toBe(403);
    expect(problem(peek).code).toBe('EVAL_SCORES_SEALED');
    const own = (await all[0]!.get(`${url()}/scores`)).json().scores;
    expect(new Set(own.map((x: { seat: number }) => x.seat))).toEqual(new Set([seatOf.get(all[0]!)]));
    for (const s of all.slice(1)) await s.post(`${url()}/scores/submit`);
    expect((await all[0]!.get(`${url()}/workspace`)).json().stage).toBe('flags');
    expect((await all[0]!.get(`${url()}/scores`)).json().scores).toHaveLength(20);

    // The deviating member is asked to confirm or correct; correcting 10 → 30 computes the results.
    const flags = (await all[4]!.get(`${url()}/workspace`)).json().myFlags;
    expect(flags).toEqual([{ bidId: b1, item: 'tech', score: '10.00', mean: '28.40', status: 'open', note: null }]);
    expect((await all[0]!.get(`${url()}/workspace`)).json().myFlags).toEqual([]);
    const fixed = await all[4]!.post(`${url()}/flags/resolve`, { bidId: b1, item: 'tech', action: 'correct', score: '30', note: '录入有误，更正' });
    expect(fixed.json().stage).toBe('report');
    const results = (await chair.get(`${url()}/workspace`)).json().results;
    // b1: totals 50,52,54,56,50 → drop one 50 and 56 → 52.00 + price 30.00; b2: 60 + 30×100/110 = 27.27.
    expect(results.map((r: { bidId: string; total: string | null; rank: number | null; qualified: boolean }) => [r.bidId, r.total, r.rank, r.qualified])).toEqual([
      [b2, '87.27', 1, true],
      [b1, '82.00', 2, true],
      [b3, null, null, false],
    ]);

    // The report: chair only; members download it and sign its hash.
    expect(problem(await all.find((s) => s !== chair)!.post(`${url()}/report`)).code).toBe('EVAL_NOT_CHAIR');
    const rep1 = await chair.post(`${url()}/report`);
    expect(rep1.statusCode, rep1.body).toBe(200);
    const { reportSha256, fileId } = rep1.json();
    const pdf = await all[2]!.get(`/api/files/${fileId}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(reportSha256);
    expect((await bidders.b1!.s.get(`/api/files/${fileId}`)).statusCode).toBe(404);
    const ws = (await chair.get(`${url()}/workspace`)).json();
    expect(ws.members.filter((m: { kind: string; feeFen: number }) => m.kind === 'expert').every((m: { feeFen: number }) => m.feeFen > 0)).toBe(true);
    expect(problem(await all[0]!.post(`${url()}/report/sign`, { sha256: '0'.repeat(64) })).code).toBe('EVAL_REPORT_HASH_MISMATCH');
    for (const [k, s] of all.entries()) {
      const r = await s.post(`${url()}/report/sign`, { sha256: reportSha256 });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().handedOver).toBe(k === all.length - 1);
    }

    // The award module has the candidates (source 'expert') and the publicity runs as before.
    const award = (await tenderer.get(lotUrl(tender))).json();
    expect(award.result.candidates.map((c: { bidderOrgId: string }) => c.bidderOrgId)).toEqual([bidders.b2!.orgId, bidders.b1!.orgId]);
    expect(award.result.source).toBe('expert');
    await publicise(sc, tender);

    // Ratings: the tenderer rates a member; a bidder may not; an expert not on the committee cannot be rated for it.
    const rate = await tenderer.post(`/api/experts/${experts[0]!.id}/performance`, { evaluationRef: committeeId, rating: 5 });
    expect(rate.statusCode, rate.body).toBe(201);
    expect(problem(await bidders.b1!.s.post(`/api/experts/${experts[1]!.id}/performance`, { evaluationRef: committeeId, rating: 1 })).code).toBe('EXPERT_RATING_NOT_ALLOWED');
    const witness = await sc.as('witness');
    expect((await witness.post(`/api/experts/${experts[1]!.id}/performance`, { evaluationRef: committeeId, rating: 4 })).statusCode).toBe(201);
  }, 300_000);
});
