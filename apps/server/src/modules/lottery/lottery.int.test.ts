import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drawLedgerPayload, ledgerEntryHash, runDraw, verifyDrawRecord, type DrawRecord } from '@yiwang/contracts/lottery';
import { verifyDrawAnchors } from '@yiwang/sdk/lottery';
import { createCheckpoint } from '../../platform/ledger/checkpoint';
import { verifyDrawCommand } from '../../platform/lottery/cli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { commitDraw, executeDraw, getDrawRecord, revealDraw } from '../../platform/lottery/index';

type Rec = DrawRecord & { platform: { status: string; replacedBy: string | null; ledger: { committed: number; executed: number | null; revealed: number | null } } };
const seats = Array.from({ length: 24 }, (_, k) => `seat-${String(k + 1).padStart(2, '0')}`);
const experts = ['exp-a', 'exp-b', 'exp-c', 'exp-d', 'exp-e'];

describeEngines('verifiable lottery', (engine) => {
  let t: TestApp;
  let venue: Session;
  let regulator: Session;
  let bidder: Session;

  beforeAll(async () => {
    t = await createTestApp(engine, { config: { requireStaffTotp: false } });
    await seedAccount(t.ctx, { username: 'venue1', roles: [{ role: 'center_venue' }] });
    await seedAccount(t.ctx, { username: 'reg1', roles: [{ role: 'regulator', industries: ['*'], regions: ['35'] }] });
    await seedAccount(t.ctx, { username: 'bid1', roles: [{ role: 'bidder' }], org: { name: '某建设公司', uscc: '91350200MA0000002Y' } });
  });
  // Sessions last 2 hours of the test clock, which some tests move: sign in afresh for each.
  beforeEach(async () => {
    venue = await login(t.app, 'venue1');
    regulator = await login(t.app, 'reg1');
    bidder = await login(t.app, 'bid1');
  });
  afterAll(() => t?.close());

  const record = async (id: string, s?: Session): Promise<Rec> => {
    const res = s ? await s.get(`/api/lottery/draws/${id}/record`) : await t.app.inject({ method: 'GET', url: `/api/lottery/draws/${id}/record` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Rec>();
  };
  const ledgerOf = (id: string) =>
    t.ctx.db.selectFrom('ledger_entries').select(['seq', 'type', 'payload']).where('subject_type', '=', 'lottery_draw').where('subject_id', '=', id).orderBy('seq').execute();

  it('commits before the inputs exist, executes once, and the public record verifies after the reveal', async () => {
    const c = await venue.post('/api/lottery/draws', { purpose: 'seat_assignment', subject: '第3评标室 2026-11-02 上午 标段1', revealAfter: null });
    expect(c.statusCode, c.body).toBe(201);
    const committed = c.json<Rec>();
    expect(committed.execution).toBeNull();
    expect(committed.seed).toBeNull();
    expect(committed.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(committed.subject).toBe('center:第3评标室 2026-11-02 上午 标段1');
    // The commitment is in the ledger before any candidate was sent.
    const [first] = await ledgerOf(committed.drawId);
    expect(first).toMatchObject({ type: 'lottery.committed', payload: { commitment: committed.commitment } });
    expect(verifyDrawRecord(committed).pending.map((p) => p.check)).toEqual(['commitment', 'pool', 'inputs', 'result']);

    const x = await venue.post(`/api/lottery/draws/${committed.drawId}/execute`, { candidates: seats, assignTo: experts, entropy: '现场 3 1 4' });
    expect(x.statusCode, x.body).toBe(200);
    const executed = x.json<Rec>();
    expect(executed.commitment).toBe(committed.commitment);
    expect(executed.seed).toBeNull(); // no reveal time given: hidden until an explicit reveal
    expect(executed.execution!.result.assignments!.map((a) => a.to)).toEqual(experts);
    expect(new Set(executed.execution!.result.selected!.map((s) => s.id)).size).toBe(5);
    expect(verifyDrawRecord(executed).pending.map((p) => p.check)).toEqual(['commitment', 'result']);
    expect(verifyDrawRecord(executed).problems).toEqual([]);

    const r = await venue.post(`/api/lottery/draws/${committed.drawId}/reveal`);
    expect(r.statusCode, r.body).toBe(200);
    const pub = await record(committed.drawId);
    expect(pub.seed).toMatch(/^[0-9a-f]{64}$/);
    const v = verifyDrawRecord(pub);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(pub.platform.ledger).toMatchObject({ committed: first!.seq });
    expect(v.checks.find((c) => c.check === 'ledger')!.status).toBe('pass');

    // A consistent forgery — one seat swapped for another and every hash recomputed — passes the record's own checks
    // but not its ledger entries, which hold the hashes ledgered at the draw.
    const forged = structuredClone(pub);
    const x0 = pub.execution!;
    const swapped = x0.pool.candidates!.map((c) => (x0.result.selected!.some((s) => s.id === c.id) ? c : { id: `${c.id}-x`, groups: c.groups }));
    const o = runDraw(pub.seed!, { drawId: pub.drawId, purpose: pub.purpose, subject: pub.subject, replaces: pub.replaces }, {
      candidates: swapped,
      strata: x0.strata,
      exclusions: x0.exclusions,
      assignTo: x0.assignTo!.ids,
      entropy: x0.entropy,
    });
    forged.execution = {
      ...x0,
      pool: { size: swapped.length, hash: o.poolHash, candidates: o.canonical.candidates },
      inputsHash: o.inputsHash,
      result: { count: o.selected.length, hash: o.resultHash, selected: o.selected, assignments: o.assignments },
    };
    expect(verifyDrawRecord(forged).problems.map((p) => p.check)).toEqual(['ledger']);
    // Forging the entry hashes too makes the record wholly self-consistent — and then its entries are not in the
    // platform's signed ledger: the online check (SDK verifyDrawAnchors, used by the public page) names the step.
    await createCheckpoint({ db: t.ctx.db, clock: t.clock });
    const viaApp = (async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url: new URL(url).pathname });
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
    }) as typeof fetch;
    expect(await verifyDrawAnchors('http://platform', pub, { fetch: viaApp })).toMatchObject({ ok: true });
    forged.ledger = forged.ledger!.map((e) => ({
      ...e,
      entryHash: ledgerEntryHash({ ...e, subjectType: 'lottery_draw', subjectId: forged.drawId, payload: drawLedgerPayload(forged, e.type) }),
    }));
    expect(verifyDrawRecord(forged).ok).toBe(true);
    const anchors = await verifyDrawAnchors('http://platform', forged, { fetch: viaApp });
    expect(anchors.ok).toBe(false);
    expect(anchors.entries.map((e) => `${e.type}:${e.status}`)).toEqual(['lottery.committed:anchored', 'lottery.executed:mismatch', 'lottery.revealed:anchored']);

    // The CLI does the same against a running platform: exit 0 for the real record, 1 for the forgery.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'draw-'));
    try {
      const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
      writeFileSync(path.join(dir, 'real.json'), JSON.stringify(pub));
      writeFileSync(path.join(dir, 'forged.json'), JSON.stringify(forged));
      const lines: string[] = [];
      expect(await verifyDrawCommand([path.join(dir, 'real.json'), '--platform', base], (l) => lines.push(l), (l) => lines.push(l))).toBe(0);
      expect(lines.join('\n')).toContain('✔ 已签名存证 anchored');
      lines.length = 0;
      expect(await verifyDrawCommand([path.join(dir, 'forged.json'), '--platform', base], (l) => lines.push(l), (l) => lines.push(l))).toBe(1);
      expect(lines.join('\n')).toMatch(/#\d+ lottery\.executed: ✘ 与账本不符 MISMATCH/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Ledger entries as the public ledger API reports them.
    for (const e of pub.ledger!) {
      const le = await t.app.inject({ method: 'GET', url: `/api/ledger/entries/${e.seq}` });
      expect(le.json()).toMatchObject({ entryHash: e.entryHash, prevHash: e.prevHash });
    }
    expect((await ledgerOf(committed.drawId)).map((e) => e.type)).toEqual(['lottery.committed', 'lottery.executed', 'lottery.revealed']);

    // The public verification endpoint agrees, and names a tampered record's faults.
    const ok = await t.app.inject({ method: 'POST', url: '/api/lottery/verify', payload: pub });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json(), ok.body).toMatchObject({ ok: true, problems: [] });
    const tampered = structuredClone(pub);
    tampered.execution!.result.assignments![0]!.id = tampered.execution!.result.assignments![1]!.id;
    const bad = await t.app.inject({ method: 'POST', url: '/api/lottery/verify', payload: tampered });
    expect(bad.json<{ ok: boolean; problems: { check: string }[] }>()).toMatchObject({ ok: false, problems: [{ check: 'result' }] });
    const wrongSeed = structuredClone(pub);
    wrongSeed.seed = 'ab'.repeat(32);
    expect(verifyDrawRecord(wrongSeed).problems.map((p) => p.check)).toContain('commitment');
  });

  it('keeps the seed secret until the reveal time, then the chronograph reveals it', async () => {
    const revealAfter = new Date(t.clock.now().getTime() + 2 * 3_600_000).toISOString();
    const c = await venue.post('/api/lottery/draws', { purpose: 'tie_break', subject: '标段2 第二名同分', revealAfter });
    const id = c.json<Rec>().drawId;
    const x = await venue.post(`/api/lottery/draws/${id}/execute`, { candidates: ['org-1', 'org-2', 'org-3'], count: 3 });
    expect(x.statusCode, x.body).toBe(200);
    const sealedSeed = (await t.ctx.db.selectFrom('lottery_draws').select('seed_sealed').where('id', '=', id).executeTakeFirstOrThrow()).seed_sealed;
    for (const s of [undefined, venue, regulator]) {
      const res = s ? await s.get(`/api/lottery/draws/${id}/record`) : await t.app.inject({ method: 'GET', url: `/api/lottery/draws/${id}/record` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Rec>().seed).toBeNull();
      expect(res.body).not.toContain(sealedSeed.slice(0, 64));
    }
    const early = await venue.post(`/api/lottery/draws/${id}/reveal`);
    expect(early.statusCode).toBe(409);
    expect(problem(early).code).toBe('LOTTERY_SECRECY_PERIOD');

    t.clock.advance(2 * 3_600_000 + 1000);
    expect((await runDueJobs(t.ctx)).failed).toEqual([]);
    const pub = await record(id);
    expect(pub.platform.status).toBe('revealed');
    expect(verifyDrawRecord(pub).ok).toBe(true);
    // The reveal is idempotent: an explicit call afterwards changes nothing.
    venue = await login(t.app, 'venue1');
    expect((await venue.post(`/api/lottery/draws/${id}/reveal`)).statusCode).toBe(200);
    expect((await ledgerOf(id)).filter((e) => e.type === 'lottery.revealed')).toHaveLength(1);
  });

  it('refuses a second execution; a re-draw is a new, linked, separately ledgered draw', async () => {
    const c = await venue.post('/api/lottery/draws', { purpose: 'venue_selection', subject: '远程副场 项目X', revealAfter: t.clock.now().toISOString() });
    const firstId = c.json<Rec>().drawId;
    const venues = ['venue-fz', 'venue-qz', 'venue-zz', 'venue-np'];
    const x1 = await venue.post(`/api/lottery/draws/${firstId}/execute`, { candidates: venues, count: 1 });
    expect(x1.statusCode, x1.body).toBe(200);
    expect(x1.json<Rec>().seed).toMatch(/^[0-9a-f]{64}$/); // reveal time already passed: revealed at once
    const firstResult = x1.json<Rec>().execution!.result;

    const again = await venue.post(`/api/lottery/draws/${firstId}/execute`, { candidates: venues.slice(1), count: 1 });
    expect(again.statusCode).toBe(409);
    expect(problem(again).code).toBe('LOTTERY_ALREADY_EXECUTED');
    expect((await record(firstId)).execution!.result).toEqual(firstResult);

    const unlinked = await venue.post('/api/lottery/draws', { purpose: 'venue_selection', subject: '远程副场 项目X' });
    expect(unlinked.statusCode).toBe(409);
    expect(problem(unlinked)).toMatchObject({ code: 'LOTTERY_SUBJECT_HAS_DRAW', field: 'replaces' });

    const redo = await venue.post('/api/lottery/draws', { purpose: 'venue_selection', subject: '远程副场 项目X', replaces: { drawId: firstId, reason: '所抽副场当日停电，无法使用' }, revealAfter: t.clock.now().toISOString() });
    expect(redo.statusCode, redo.body).toBe(201);
    const secondId = redo.json<Rec>().drawId;
    expect(redo.json<Rec>().replaces).toBe(firstId);
    const x2 = await venue.post(`/api/lottery/draws/${secondId}/execute`, {
      candidates: venues.filter((v) => v !== firstResult.selected![0]!.id),
      count: 1,
    });
    expect(x2.statusCode, x2.body).toBe(200);

    // No fork: the first draw already has its successor.
    const fork = await venue.post('/api/lottery/draws', { purpose: 'venue_selection', subject: '远程副场 项目X', replaces: { drawId: firstId, reason: '再抽一次' } });
    expect(fork.statusCode).toBe(409);
    expect(problem(fork).code).toBe('LOTTERY_NOT_LATEST');

    // Both draws stand, linked, each with its own ledger entries, and both still verify.
    const first = await record(firstId);
    expect(first.platform.replacedBy).toBe(secondId);
    expect(first.execution!.result).toEqual(firstResult);
    const list = await t.app.inject({ method: 'GET', url: `/api/lottery/draws?subject=${encodeURIComponent('center:远程副场 项目X')}` });
    expect(list.json<{ items: { id: string; replaces: string | null; replaceReason: string | null }[] }>().items).toEqual([
      expect.objectContaining({ id: firstId, replaces: null }),
      expect.objectContaining({ id: secondId, replaces: firstId, replaceReason: '所抽副场当日停电，无法使用' }),
    ]);
    for (const id of [firstId, secondId]) {
      expect((await ledgerOf(id)).map((e) => e.type)).toEqual(['lottery.committed', 'lottery.executed', 'lottery.revealed']);
      expect(verifyDrawRecord(await record(id)).ok).toBe(true);
    }
  });

  it('lets only center staff and administrators run draws, and keeps business draws to their modules', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/lottery/draws', payload: { purpose: 'tie_break', subject: 'x' } });
    expect(anon.statusCode).toBe(401);
    const b = await bidder.post('/api/lottery/draws', { purpose: 'tie_break', subject: 'x' });
    expect(b.statusCode).toBe(403);
    expect(problem(b).code).toBe('LOTTERY_NOT_OPERATOR');
    const r = await regulator.post('/api/lottery/draws', { purpose: 'tie_break', subject: 'x' });
    expect(r.statusCode).toBe(403);
    expect(problem(r).code).toBe('SUPERVISOR_CANNOT_OPERATE');
    const expertPurpose = await venue.post('/api/lottery/draws', { purpose: 'expert_selection', subject: 'x' });
    expect(expertPurpose.statusCode).toBe(400);

    // An expert draw committed by the expert module cannot be executed (nor revealed) through the center's routes.
    const d = await t.ctx.db.transaction().execute((trx) => commitDraw(trx, { purpose: 'expert_selection', subject: 'tender:T-9/lot:1/experts', secret: true }, t.clock.now()));
    const hijack = await venue.post(`/api/lottery/draws/${d.id}/execute`, { candidates: ['my-friend'], count: 1 });
    expect(hijack.statusCode).toBe(403);
    expect(problem(hijack).code).toBe('LOTTERY_PURPOSE_NOT_HERE');
    // Nor a business module's seat draw (secret until its report): not executed, not revealed early, here.
    const seatsDraw = await t.ctx.db.transaction().execute(async (trx) => {
      const c = await commitDraw(trx, { purpose: 'seat_assignment', subject: 'evaluation:lot:L-1/seats', secret: true, revealAfter: null }, t.clock.now());
      await executeDraw(trx, c.id, { candidates: ['s1', 's2', 's3'].map((id) => ({ id, groups: [] })), strata: [{ group: '*', count: 2 }], assignTo: ['exp-1', 'exp-2'] }, t.clock.now());
      return c;
    });
    const early = await venue.post(`/api/lottery/draws/${seatsDraw.id}/reveal`);
    expect(early.statusCode).toBe(403);
    expect(problem(early).code).toBe('LOTTERY_PURPOSE_NOT_HERE');
    expect((await record(seatsDraw.id)).seed).toBeNull();
    expect((await record(seatsDraw.id)).execution!.result.assignments).toBeNull();
    const unknown = await venue.post(`/api/lottery/draws/00000000-0000-4000-8000-000000000000/execute`, { candidates: ['a'], count: 1 });
    expect(unknown.statusCode).toBe(404);
  });

  it('a secret expert draw: hashes public at once, names only to custodians until the reveal; seed encrypted at rest', async () => {
    const before = process.env.YIWANG_MASTER_KEY;
    process.env.YIWANG_MASTER_KEY = 'test master key 主密钥';
    try {
      const now = t.clock.now();
      const pool = Array.from({ length: 40 }, (_, k) => ({ id: `expert-${k}`, groups: [k % 2 ? 'A0101' : 'B0203'] }));
      const d = await t.ctx.db.transaction().execute((trx) =>
        commitDraw(trx, { purpose: 'expert_selection', subject: 'tender:T-1/lot:1/experts', secret: true, revealAfter: null }, now),
      );
      const stored = await t.ctx.db.selectFrom('lottery_draws').select(['seed_protection', 'seed_sealed']).where('id', '=', d.id).executeTakeFirstOrThrow();
      expect(stored.seed_protection).toBe('aes-256-gcm');
      expect(stored.seed_sealed).not.toMatch(/^[0-9a-f]{64}$/);

      const result = await t.ctx.db.transaction().execute((trx) =>
        executeDraw(
          trx,
          d.id,
          {
            candidates: pool,
            strata: [{ group: 'A0101', count: 3 }, { group: 'B0203', count: 2 }],
            exclusions: [{ id: 'expert-99', reason: 'conflict_of_interest', detail: '与投标人甲存在劳动关系' }],
          },
          now,
        ),
      );
      expect(result.selected).toHaveLength(5);
      // Excluded candidates may not be left in the pool.
      const d2 = await t.ctx.db.transaction().execute((trx) => commitDraw(trx, { purpose: 'expert_selection', subject: 'tender:T-2/lot:1/experts', secret: true }, now));
      await expect(
        t.ctx.db.transaction().execute((trx) =>
          executeDraw(trx, d2.id, { candidates: pool, strata: [{ group: 'A0101', count: 1 }], exclusions: [{ id: 'expert-1', reason: 'same_organisation', detail: '同单位' }] }, now),
        ),
      ).rejects.toMatchObject({ code: 'LOTTERY_EXCLUDED_IN_POOL' });

      const pub = await record(d.id);
      expect(pub.execution!.pool).toMatchObject({ size: 40, candidates: null });
      expect(pub.execution!.result.selected).toBeNull();
      expect(pub.execution!.exclusions).toEqual([{ commitment: expect.stringMatching(/^[0-9a-f]{64}$/), reason: 'conflict_of_interest' }]);
      expect(pub.exclusionOpenings).toBeUndefined();
      expect(JSON.stringify(pub)).not.toContain('expert-');
      expect(verifyDrawRecord(pub).checks.find((c) => c.check === 'ledger')!.status).toBe('pass');
      expect(JSON.stringify(await ledgerOf(d.id))).not.toContain('expert-');

      const custodian = await record(d.id, regulator);
      expect(custodian.seed).toBeNull();
      expect(custodian.execution!.result.selected!.map((s) => s.id)).toEqual(result.selected.map((s) => s.id));
      expect(custodian.exclusionOpenings).toEqual([expect.objectContaining({ id: 'expert-99', detail: '与投标人甲存在劳动关系' })]);
      expect(await record(d.id, bidder)).toEqual(pub);

      await t.ctx.db.transaction().execute((trx) => revealDraw(trx, d.id, t.clock.now()));
      const revealed = await record(d.id);
      expect(revealed.execution!.result.selected!.map((s) => s.id)).toEqual(result.selected.map((s) => s.id));
      expect(verifyDrawRecord(revealed).ok).toBe(true);
      const withOpenings = await getDrawRecord(t.ctx.db, d.id, { custodian: true });
      expect(verifyDrawRecord(withOpenings).checks.find((c) => c.check === 'exclusions')!.status).toBe('pass');
    } finally {
      if (before === undefined) delete process.env.YIWANG_MASTER_KEY;
      else process.env.YIWANG_MASTER_KEY = before;
    }
  });
});

describe('lottery record secrecy of a committed draw', () => {
  it('has nothing to show but the commitment', () => {
    expect(verifyDrawRecord({ algorithm: 'yiwang-draw/1', drawId: 'd', purpose: 'tie_break', subject: 's', replaces: null, commitment: 'a'.repeat(64), seed: null, execution: null }).ok).toBe(false);
  });
});
