import { makeUscc } from '@yiwang/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { emitEvent } from '../../platform/outbox/emit';
import { drainOutbox } from '../../platform/outbox/processors';
import { admitted } from '../experts/experts.fixture';
import { acceptedProject, bj, seedWorld, upload, WAN, type World } from '../tendering/tendering.fixture';
import { drawnCommittee } from './index';
import { verifyDrawRecord } from '@yiwang/contracts/lottery';
import { nodeSha256 } from '../../platform/lottery/index';
import { setChannelAdapter, type OutgoingMessage } from '../../platform/notify/adapters';

// The voice gateway as a test double of the adapter interface (the platform's default only logs): what was called.
const calls: OutgoingMessage[] = [];
setChannelAdapter({ name: 'capture-voice', channel: 'voice', send: async (m) => (calls.push(m), { providerRef: `call-${calls.length}` }) });

/**
 * The expert draw end to end through the API: request (seed committed) → too early → draw with avoidance → secrecy
 * → confirmations, a decline and a missed deadline (replacements) → complete → a conflict at check-in (replacement)
 * → publication at the award → every draw of the chain verifies. Plus the shortage error (nothing drawn).
 */
describeEngines('expert draw', (engine) => {
  let t: TestApp;
  let w: World;
  let tenderId: string;
  let lot1: string;
  const code = (s: string) => makeUscc(`expertdraw-${s}`, { region: '350200' });
  const experts: Record<string, { id: string; s: Session; accountId: string; username: string }> = {};
  const admit = async (reviewer: Session, username: string, over: Record<string, unknown>) => ({ ...(await admitted(t, reviewer, username, over)), username });
  const avoided: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine);
    w = await seedWorld(t, 'xd');
    // Valid 统一社会信用代码 for the parties (the registry validates the codes experts declare).
    for (const u of ['tenderer', 'agency', 'b1', 'b2', 'b3', 'b4'])
      await t.ctx.db.updateTable('organisations').set({ uscc: code(u) }).where('id', '=', w.ids[u]!.orgId!).execute();
    const projectId = await acceptedProject(w);
    const tenderer = await w.as('tenderer');
    const doc = await upload(tenderer, '招标文件.pdf');
    const created = await tenderer.post('/api/tendering/tenders', {
      projectId,
      lots: [
        { lotNo: 1, depositFen: 6 * WAN, bidDeadline: bj('2026-11-24T09:30:00') },
        { lotNo: 2, depositFen: 4 * WAN, bidDeadline: bj('2026-11-24T09:30:00') },
      ],
      documentIds: [doc],
      escrow: { k: 2, custodianAccountIds: [w.ids.staff!.accountId, w.ids.reg!.accountId, w.ids.tenderer!.accountId] },
    });
    expect(created.statusCode, created.body).toBe(201);
    tenderId = created.json().id;
    expect((await tenderer.post(`/api/tendering/tenders/${tenderId}/publish`)).statusCode).toBe(200);
    for (const b of ['b1', 'b2', 'b3']) expect((await (await w.as(b)).post(`/api/tendering/tenders/${tenderId}/obtain`)).statusCode).toBe(200);
    lot1 = (await t.ctx.db.selectFrom('tender_lots').select('id').where('tender_id', '=', tenderId).where('lot_no', '=', 1).executeTakeFirstOrThrow()).id;

    // The supervising department (construction, 厦门) with its own organisation.
    await seedAccount(t.ctx, { username: 'xd-regorg', roles: [{ role: 'regulator', industries: ['construction'], regions: ['350200'] }], org: { name: '厦门市建设局', uscc: code('regulator') } });

    const reviewer = await w.as('reg');
    const base = { specialties: ['A0101'], regions: ['350200'], kinds: ['works'] };
    for (let i = 1; i <= 10; i++) experts[`e${i}`] = await admit(reviewer, `xd-e${i}`, { ...base, name: `专家${i}`, employer: { name: `单位${i}`, uscc: code(`employer-${i}`) } });
    // Must never be drawn: employed by a bidder (obtained the documents), a relative at another, employed by the
    // tenderer, staff of the supervising department.
    experts.bid = await admit(reviewer, 'xd-ebid', { ...base, name: '投标人员工', employer: { name: '投标人b1', uscc: code('b1') } });
    experts.rel = await admit(reviewer, 'xd-erel', {
      ...base,
      name: '投标人亲属',
      conflicts: [{ kind: 'relative', orgName: '投标人b2', orgUscc: code('b2'), relation: '配偶' }],
    });
    experts.ten = await admit(reviewer, 'xd-eten', { ...base, name: '招标人员工', employer: { name: '招标人', uscc: code('tenderer') } });
    experts.sup = await admit(reviewer, 'xd-esup', { ...base, name: '监督部门人员', employer: { name: '厦门市建设局', uscc: code('regulator') } });
    avoided.push(experts.bid.id, experts.rel.id, experts.ten.id, experts.sup.id);
  }, 120_000);
  afterAll(async () => t?.close());

  const evaluationAt = bj('2026-11-20T09:00:00');
  const seatedOn = (lotId: string) =>
    t.ctx.db
      .selectFrom('eval_members as m')
      .innerJoin('eval_committees as c', 'c.id', 'm.committee_id')
      .select(['m.seat', 'm.expert_id', 'm.account_id', 'm.kind', 'm.chair'])
      .where('c.lot_id', '=', lotId)
      .orderBy('m.seat')
      .execute();

  it('refuses a shortage with the count per specialty and draws nothing', async () => {
    const tenderer = await w.as('tenderer');
    const r = await tenderer.post('/api/expert-draws', { tenderId, lotNo: 2, quotas: [{ code: 'A0101', count: 20 }], evaluationAt });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    t.clock.set(bj('2026-11-19T10:00:00'));
    const staff = await w.as('staff');
    const res = await staff.post(`/api/expert-draws/${id}/execute`);
    const p = problem(res);
    expect(p.code).toBe('EXPERTDRAW_SHORTAGE');
    expect(res.statusCode).toBe(422);
    // 14 active experts hold A0101; 4 are avoided → 10 available.
    expect(res.json().details?.shortages ?? res.json().shortages).toEqual([{ specialty: 'A0101', needed: 20, available: 10 }]);
    const view = (await staff.get(`/api/expert-draws/${id}`)).json();
    expect(view.status).toBe('committed');
    expect(view.members).toEqual([]);
    expect(view.draws).toEqual([expect.objectContaining({ status: 'committed' })]);
    t.clock.set('2026-11-02T01:00:00Z');
  });

  it('request → draw with avoidance → secrecy → decline, missed deadline and a check-in conflict replaced → published and verifiable', async () => {
    let tenderer = await w.as('tenderer');
    let staff = await w.as('staff');
    const r = await tenderer.post('/api/expert-draws', { tenderId, lotNo: 1, quotas: [{ code: 'A0101', count: 5 }], evaluationAt, confirmMinutes: 30 });
    expect(r.statusCode, r.body).toBe(201);
    const req = r.json();
    expect(req).toMatchObject({ status: 'committed', earliestAt: bj('2026-11-19T00:00:00').replace('.000', '.000'), regions: ['350203'], kinds: ['works'] });
    expect(req.draws).toHaveLength(1);
    expect(req.draws[0].commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(problem(await tenderer.post('/api/expert-draws', { tenderId, lotNo: 1, quotas: [{ code: 'A0101', count: 5 }], evaluationAt })).code).toBe('EXPERTDRAW_EXISTS');
    // Bidders cannot request, nor see.
    expect((await (await w.as('b1')).post('/api/expert-draws', { tenderId, lotNo: 1, quotas: [{ code: 'A0101', count: 5 }], evaluationAt })).statusCode).toBe(403);

    // Too early: before 00:00 of the day before the evaluation.
    expect(problem(await staff.post(`/api/expert-draws/${req.id}/execute`)).code).toBe('EXPERTDRAW_TOO_EARLY');
    // The tenderer cannot run it; a supervisor cannot operate.
    t.clock.set(bj('2026-11-19T10:00:00'));
    [tenderer, staff] = [await w.as('tenderer'), await w.as('staff')];
    expect((await tenderer.post(`/api/expert-draws/${req.id}/execute`)).statusCode).toBe(403);
    expect(problem(await (await w.as('reg')).post(`/api/expert-draws/${req.id}/execute`)).code).toBe('SUPERVISOR_CANNOT_OPERATE');

    const ex = await staff.post(`/api/expert-draws/${req.id}/execute`);
    expect(ex.statusCode, ex.body).toBe(200);
    let view = ex.json();
    expect(view.status).toBe('drawing');
    expect(view.members).toHaveLength(5);
    expect(view.namesVisible).toBe(true);
    const drawn = () => view.members.map((m: { expert: { id: string } }) => m.expert.id) as string[];
    for (const id of avoided) expect(drawn()).not.toContain(id);

    // Secrecy: the tenderer sees seats and statuses, no names; bidders and strangers: 404; the public record hides ids.
    const asTenderer = (await tenderer.get(`/api/expert-draws/${req.id}`)).json();
    expect(asTenderer.namesVisible).toBe(false);
    expect(asTenderer.members.every((m: { expert: unknown }) => m.expert === null)).toBe(true);
    expect(asTenderer.seats).toEqual([{ specialty: 'A0101', needed: 5, invited: 5, confirmed: 0, declined: 0, expired: 0, voided: 0 }]);
    expect(JSON.stringify(asTenderer)).not.toContain('专家');
    expect((await (await w.as('b1')).get(`/api/expert-draws/${req.id}`)).statusCode).toBe(404);
    expect((await (await w.as('b1')).get(`/api/expert-draws?tenderId=${tenderId}&lotNo=1`)).statusCode).toBe(404);
    expect((await (await login(t.app, 'xd-e1')).get(`/api/expert-draws/${req.id}`)).statusCode).toBe(404);
    const pub = (await t.app.inject({ method: 'GET', url: `/api/lottery/draws/${req.draws[0].id}/record` })).json();
    expect(pub.execution.pool.candidates).toBeNull();
    expect(pub.execution.result.selected).toBeNull();
    expect(pub.execution.pool.size).toBe(10);
    expect(pub.execution.exclusions.map((e: { reason: string }) => e.reason).sort()).toEqual(['bidder_conflict', 'bidder_conflict', 'supervising_staff', 'tenderer_conflict']);
    expect(JSON.stringify(pub)).not.toContain(code('b1'));

    const byExpert = new Map(Object.values(experts).map((e) => [e.id, e]));
    const invitationOf = async (expertId: string) => {
      const found = byExpert.get(expertId)!;
      const e = { ...found, s: await login(t.app, found.username) }; // sessions expire as the clock moves on
      const list = (await e.s.get('/api/expert-draws/invitations/mine')).json();
      return { e, inv: list[0] };
    };
    // The expert learns time and deadline, not the project, until confirming; an SMS was queued with the inbox item.
    const first = await invitationOf(drawn()[0]!);
    expect(first.inv).toMatchObject({ status: 'invited', project: null, evaluationAt: new Date(evaluationAt).toISOString() });
    const sms = await t.ctx.db.selectFrom('notifications').select(['channels', 'kind']).where('account_id', '=', first.e.accountId).where('kind', '=', 'expertdraw.invited').execute();
    expect(sms).toEqual([{ channels: ['sms'], kind: 'expertdraw.invited' }]);
    // Another expert cannot answer someone else's invitation.
    const other = Object.values(experts).find((e) => !drawn().includes(e.id))!;
    expect((await (await login(t.app, other.username)).post(`/api/expert-draws/invitations/${first.inv.id}/confirm`)).statusCode).toBe(404);

    // Three confirm, one declines (replacement drawn at once), one never answers (replacement at the deadline).
    for (const id of drawn().slice(0, 3)) {
      const { e, inv } = await invitationOf(id);
      const c = await e.s.post(`/api/expert-draws/invitations/${inv.id}/confirm`);
      expect(c.statusCode, c.body).toBe(200);
      expect(c.json()[0].project).toMatchObject({ tenderId, lotNo: 1 });
    }
    const decliner = await invitationOf(drawn()[3]!);
    expect((await decliner.e.s.post(`/api/expert-draws/invitations/${decliner.inv.id}/decline`, { reason: '出差在外' })).statusCode).toBe(200);
    view = (await staff.get(`/api/expert-draws/${req.id}`)).json();
    expect(view.draws).toHaveLength(2);
    expect(view.draws[1]).toMatchObject({ replaces: view.draws[0].id, status: 'executed' });
    expect(view.members).toHaveLength(6);
    const firstFive = drawn().slice(0, 5);
    expect(firstFive).not.toContain(view.members[5].expert.id);
    for (const id of avoided) expect(drawn()).not.toContain(id);

    // The 5th never answers: at its deadline (30 minutes) the chronograph voids it and draws the 7th.
    t.clock.set(bj('2026-11-19T10:31:00'));
    expect((await runDueJobs(t.ctx)).failed).toEqual([]);
    staff = await w.as('staff');
    view = (await staff.get(`/api/expert-draws/${req.id}`)).json();
    // The 5th (drawn at 10:00) and the 6th (the decline's replacement, also 10:00 + 30 min) both expired: one
    // replacement draw each, every one a new ledgered draw following the previous.
    expect(view.members.map((m: { status: string }) => m.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'declined', 'expired', 'expired', 'invited', 'invited']);
    expect(view.draws).toHaveLength(4);
    expect(view.draws.slice(1).map((d: { replaces: string }) => d.replaces)).toEqual(view.draws.slice(0, 3).map((d: { id: string }) => d.id));
    expect(await drawnCommittee(t.ctx.db, lot1)).toBeNull();
    // The two replacements confirm → complete.
    const pending = view.members.filter((m: { status: string }) => m.status === 'invited');
    for (const m of pending) {
      const { e, inv } = await invitationOf(m.expert.id);
      expect((await e.s.post(`/api/expert-draws/invitations/${inv.id}/confirm`)).statusCode).toBe(200);
    }
    view = (await staff.get(`/api/expert-draws/${req.id}`)).json();
    expect(view.status).toBe('complete');
    const committee = await drawnCommittee(t.ctx.db, lot1);
    expect(committee).toHaveLength(5);
    for (const id of avoided) expect(committee!.map((m) => m.expertId)).not.toContain(id);
    // The last confirmation seated the evaluation committee (nobody called seatCommittee): the five confirmed
    // experts on seats 1–5 assigned by a secret seat_assignment lottery draw.
    expect(view.seatError).toBeNull();
    const seats = await seatedOn(lot1);
    expect(seats.map((m) => m.seat)).toEqual([1, 2, 3, 4, 5]);
    expect(seats.map((m) => m.expert_id).sort()).toEqual(committee!.map((m) => m.expertId).sort());
    expect(seats.filter((m) => m.chair)).toHaveLength(1);
    const seatDraw = (await t.ctx.db.selectFrom('eval_committees').select('seat_draw_id').where('lot_id', '=', lot1).executeTakeFirstOrThrow()).seat_draw_id;
    expect((await t.ctx.db.selectFrom('lottery_draws').select(['purpose', 'status']).where('id', '=', seatDraw).executeTakeFirstOrThrow())).toEqual({ purpose: 'seat_assignment', status: 'executed' });

    // Evaluation day: one confirmed expert declares a conflict at check-in → voided, replacement drawn.
    t.clock.set(bj('2026-11-20T08:30:00'));
    staff = await w.as('staff');
    const conflicted = await invitationOf(committee![0]!.expertId);
    const ci = await conflicted.e.s.post(`/api/expert-draws/invitations/${conflicted.inv.id}/check-in`, { conflict: { reason: '其配偶在投标单位任职' } });
    expect(ci.statusCode, ci.body).toBe(200);
    expect(ci.json()).toEqual({ voided: true });
    const okIn = await invitationOf(committee![1]!.expertId);
    expect((await okIn.e.s.post(`/api/expert-draws/invitations/${okIn.inv.id}/check-in`, { conflict: null })).json()).toEqual({ voided: false });
    view = (await staff.get(`/api/expert-draws/${req.id}`)).json();
    expect(view.status).toBe('drawing');
    const last = view.members.at(-1);
    expect(last.status).toBe('invited');
    expect(new Date(last.respondBy).getTime()).toBe(new Date(bj('2026-11-20T09:00:00')).getTime()); // capped at the start
    const lastInv = await invitationOf(last.expert.id);
    expect((await lastInv.e.s.post(`/api/expert-draws/invitations/${lastInv.inv.id}/confirm`)).statusCode).toBe(200);
    expect((await staff.get(`/api/expert-draws/${req.id}`)).json().status).toBe('complete');
    // The replacement took the voided expert's seat (number and chair); the others kept theirs.
    const reseated = await seatedOn(lot1);
    const gone = seats.find((m) => m.expert_id === committee![0]!.expertId)!;
    expect(reseated.find((m) => m.seat === gone.seat)).toMatchObject({ expert_id: last.expert.id, chair: gone.chair });
    expect(reseated.filter((m) => m.seat !== gone.seat)).toEqual(seats.filter((m) => m.seat !== gone.seat));
    const everyone = (await staff.get(`/api/expert-draws/${req.id}`)).json().members.map((m: { expert: { id: string } }) => m.expert.id);
    expect(new Set(everyone).size).toBe(everyone.length); // nobody drawn twice
    for (const id of avoided) expect(everyone).not.toContain(id);

    // The award is made → names published, every draw of the chain revealed and verifiable by anyone.
    t.clock.set(bj('2026-11-28T10:00:00'));
    await t.ctx.db.transaction().execute((trx) => emitEvent(trx, { type: 'award.awarded', payload: { tenderId, lotId: lot1, lotNo: 1 } }, t.clock.now()));
    expect((await drainOutbox(t.ctx)).failures).toEqual([]);
    tenderer = await w.as('tenderer');
    const published = (await tenderer.get(`/api/expert-draws/${req.id}`)).json();
    expect(published.status).toBe('published');
    expect(published.namesVisible).toBe(true);
    expect(published.members.every((m: { expert: { phone: unknown } | null }) => m.expert && m.expert.phone === null)).toBe(true);
    expect((await (await w.as('b1')).get(`/api/expert-draws/${req.id}`)).statusCode).toBe(404);
    for (const [i, d] of published.draws.entries()) {
      const record = (await t.app.inject({ method: 'GET', url: `/api/lottery/draws/${d.id}/record` })).json();
      expect(record.seed).toMatch(/^[0-9a-f]{64}$/);
      expect(record.execution.result.selected).toHaveLength(i === 0 ? 5 : 1);
      const offline = verifyDrawRecord(record, nodeSha256);
      expect(offline.ok, JSON.stringify(offline.problems)).toBe(true);
      {
        // The public endpoint agrees, also on replacement draws (one selected expert: a one-element array).
        const v = await t.app.inject({ method: 'POST', url: '/api/lottery/verify', payload: record });
        expect(v.statusCode, v.body).toBe(200);
        expect(v.json().ok, JSON.stringify(v.json().problems)).toBe(true);
      }
    }
    const ledger = await t.ctx.db.selectFrom('ledger_entries').select('type').where('subject_type', '=', 'expert_draw').execute();
    const types = ledger.map((l) => l.type);
    expect(types).toEqual(
      expect.arrayContaining(['expertdraw.requested', 'expertdraw.executed', 'expertdraw.declined', 'expertdraw.expired', 'expertdraw.replaced', 'expertdraw.completed', 'expertdraw.committee_seated', 'expertdraw.voided', 'expertdraw.published']),
    );
    // Hashes and counts only: no expert's name or id in the ledger's payloads.
    const payloads = JSON.stringify(await t.ctx.db.selectFrom('ledger_entries').select('payload').where('subject_type', '=', 'expert_draw').execute());
    for (const e of Object.values(experts)) expect(payloads).not.toContain(e.id);
  }, 120_000);

  it('voice calls where the expert asks for them; a seating that breaks the policy does not undo the confirmation, center staff retry once a representative is nominated', async () => {
    t.clock.set('2026-11-02T01:00:00Z');
    const tenderer = await w.as('tenderer');
    const projectId = await acceptedProject(w);
    const created = await tenderer.post('/api/tendering/tenders', {
      projectId,
      lots: [{ lotNo: 1, depositFen: 2 * WAN, bidDeadline: bj('2026-11-25T09:30:00') }],
      documentIds: [await upload(tenderer, '招标文件.pdf')],
      escrow: { k: 2, custodianAccountIds: [w.ids.staff!.accountId, w.ids.reg!.accountId, w.ids.tenderer!.accountId] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const tender2 = created.json().id;
    expect((await tenderer.post(`/api/tendering/tenders/${tender2}/publish`)).statusCode).toBe(200);
    const lot = (await t.ctx.db.selectFrom('tender_lots').select('id').where('tender_id', '=', tender2).executeTakeFirstOrThrow()).id;
    const r = await tenderer.post('/api/expert-draws', { tenderId: tender2, lotNo: 1, quotas: [{ code: 'A0101', count: 4 }], evaluationAt: bj('2026-11-21T09:00:00') });
    expect(r.statusCode, r.body).toBe(201);
    // Voice (语音通知): the policy says SMS; every expert but e10 asks for a call as well (with a phone on the account),
    // so at least three of the four drawn are called (the main scenario covers SMS only).
    expect((await (await w.as('staff')).get('/api/expert-draws/settings')).json().inviteChannels).toEqual(['sms']);
    const callers = Object.entries(experts).filter(([k]) => k !== 'e10').map(([, e]) => e);
    for (const e of callers) {
      const pref = await (await login(t.app, e.username)).put('/api/expert-draws/invitations/preference', { voice: true });
      expect(pref.json()).toEqual({ voice: true });
      await t.ctx.db.updateTable('accounts').set({ phone: '13905920001' }).where('id', '=', e.accountId).execute();
    }
    expect((await tenderer.put('/api/expert-draws/invitations/preference', { voice: true })).statusCode).toBe(403);
    t.clock.set(bj('2026-11-20T10:00:00'));
    const staff = await w.as('staff');
    calls.length = 0;
    const ex = await staff.post(`/api/expert-draws/${r.json().id}/execute`);
    expect(ex.statusCode, ex.body).toBe(200);
    const drawnIds = (ex.json().members as { expert: { id: string } }[]).map((m) => m.expert.id);
    const wantsCall = new Set(callers.map((e) => e.id));
    for (const id of drawnIds) {
      const e = Object.values(experts).find((x) => x.id === id)!;
      const n = await t.ctx.db.selectFrom('notifications').select('channels').where('account_id', '=', e.accountId).where('kind', '=', 'expertdraw.invited').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      expect(n.channels).toEqual(wantsCall.has(id) ? ['sms', 'voice'] : ['sms']);
    }
    // After commit the outbox calls each of them through the voice adapter, reading the invitation (no project name).
    expect((await drainOutbox(t.ctx)).failures).toEqual([]);
    const called = drawnIds.filter((id) => wantsCall.has(id)).map((id) => Object.values(experts).find((x) => x.id === id)!.accountId);
    expect(calls.map((c) => c.accountId).sort()).toEqual(called.sort());
    expect(called.length).toBeGreaterThanOrEqual(3);
    for (const c of calls) expect(c).toMatchObject({ channel: 'voice', to: '13905920001', kind: 'expertdraw.invited', body: { zh: expect.stringContaining('您被随机抽取参加') } });
    const d = await t.ctx.db.selectFrom('notification_deliveries').select(['status', 'address', 'adapter']).where('account_id', '=', called[0]!).where('channel', '=', 'voice').execute();
    expect(d).toEqual([{ status: 'sent', address: '139****0001', adapter: 'capture-voice' }]);
    for (const m of ex.json().members as { expert: { id: string } }[]) {
      const e = Object.values(experts).find((x) => x.id === m.expert.id)!;
      const s = await login(t.app, e.username);
      const inv = ((await s.get('/api/expert-draws/invitations/mine')).json() as { id: string; project: { tenderId: string } | null; status: string }[]).find((i) => i.status === 'invited')!;
      expect((await s.post(`/api/expert-draws/invitations/${inv.id}/confirm`)).statusCode).toBe(200);
    }
    // Four experts alone break 法 37 (five or more, odd): the draw is complete, every confirmation stands, no committee.
    let view = (await staff.get(`/api/expert-draws/${r.json().id}`)).json();
    expect(view.status).toBe('complete');
    expect(view.seats[0]).toMatchObject({ needed: 4, confirmed: 4 });
    expect(view.seatError).toMatch(/^EVAL_COMMITTEE_COMPOSITION: /);
    expect(await seatedOn(lot)).toEqual([]);
    // Retrying unchanged fails with the same reason; the tenderer (not staff) cannot retry.
    expect(problem(await staff.post(`/api/expert-draws/${r.json().id}/seat`)).code).toBe('EVAL_COMMITTEE_COMPOSITION');
    expect((await (await w.as('tenderer')).post(`/api/expert-draws/${r.json().id}/seat`)).statusCode).toBe(403);
    // With the tenderer's representative nominated, 4 + 1 = 5: seated.
    const nominate = await (await w.as('tenderer')).post(`/api/evaluation/lots/${lot}/representatives`, { accountId: w.ids.tenderer2!.accountId });
    expect(nominate.statusCode, nominate.body).toBe(204);
    const retried = await (await w.as('staff')).post(`/api/expert-draws/${r.json().id}/seat`);
    expect(retried.statusCode, retried.body).toBe(200);
    view = retried.json();
    expect(view.seatError).toBeNull();
    const seats = await seatedOn(lot);
    expect(seats.map((m) => m.seat)).toEqual([1, 2, 3, 4, 5]);
    expect(seats.filter((m) => m.kind === 'representative').map((m) => m.account_id)).toEqual([w.ids.tenderer2!.accountId]);
    expect(seats.find((m) => m.chair)!.kind).toBe('expert');
    expect(problem(await (await w.as('staff')).post(`/api/expert-draws/${r.json().id}/seat`)).code).toBe('EXPERTDRAW_NOTHING_TO_SEAT');
  }, 120_000);
});
