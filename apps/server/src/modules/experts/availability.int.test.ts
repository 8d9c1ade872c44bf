import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { conflictedExperts, eligibleExperts, registerRatingGuard } from './index';
import { admitted, uscc } from './experts.fixture';

const H = 3_600_000;
const D = 24 * H;

/**
 * What the draw will rely on: leave, declared conflicts, the blacklist, the annual review and exits decide who is
 * eligible at a given time, through `eligibleExperts` and `conflictedExperts`; plus performance ratings and points.
 */
describeEngines('expert registry: availability, eligibility and sanctions', (engine) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const now = () => t.clock.now();
  // Sessions last two hours of (test-clock) time and the tests move the clock by days: sign in again when stale.
  const signedIn = new Map<string, { s: Session; at: number }>();
  const as = async (username: string): Promise<Session> => {
    const hit = signedIn.get(username);
    if (hit && now().getTime() - hit.at < 3_600_000) return hit.s;
    const s = await login(t.app, username);
    signedIn.set(username, { s, at: now().getTime() });
    return s;
  };
  const eligible = async (q: Partial<Parameters<typeof eligibleExperts>[1]> = {}) =>
    (await eligibleExperts(t.ctx.db, { specialties: ['A01'], regions: ['350203'], at: now(), ...q })).map((e) => e.expertId);

  beforeAll(async () => {
    t = await createTestApp(engine); // Monday 2026-11-02 09:00 Beijing
    await seedAccount(t.ctx, { username: 'av-reg', roles: [{ role: 'regulator', industries: ['construction', 'transport', 'water'], regions: ['350200'] }] });
    await seedAccount(t.ctx, { username: 'av-gp', roles: [{ role: 'regulator', industries: ['government_procurement'], regions: ['350200'] }] });
    await seedAccount(t.ctx, { username: 'av-witness', roles: [{ role: 'center_witness' }] });
    await seedAccount(t.ctx, { username: 'av-tenderer', roles: [{ role: 'tenderer' }], org: { name: '厦门市思明区建设局', uscc: uscc('av-tenderer') } });
    for (const [name, over] of [
      ['a', { specialties: ['A0101'] }],
      ['b', { specialties: ['A0102', 'A0601'], regions: ['350000'] }],
      ['c', { specialties: ['A0101'], regions: ['350100'] }],
      ['d', { specialties: ['A0301'], regions: ['350203'] }],
      ['e', { specialties: ['A0101'], conflicts: [{ kind: 'employment', orgName: '厦门鹭江建设集团有限公司', orgUscc: uscc('bidder-1'), startedOn: '2015-01-01', endedOn: '2024-01-15' }] }],
    ] as const) {
      ids[name] = (await admitted(t, await as('av-reg'), `av-${name}`, over as Record<string, unknown>)).id;
    }
  });
  afterAll(() => t.close());

  it('selects by specialty (a 中类 stands for its 小类), served region and kind, in expert-number order', async () => {
    expect(await eligible()).toEqual([ids.a, ids.b, ids.e]);
    // c serves 福州 only; d is a transport expert.
    expect(await eligible({ regions: ['350100'] })).toEqual([ids.b, ids.c]);
    expect(await eligible({ specialties: ['A0301'] })).toEqual([ids.d]);
    expect(await eligible({ specialties: ['A'], regions: undefined })).toEqual([ids.a, ids.b, ids.c, ids.d, ids.e]);
    expect(await eligible({ kinds: ['government_procurement'] })).toEqual([]);
    const full = await eligibleExperts(t.ctx.db, { specialties: ['A0601', 'A0102'], at: now() });
    expect(full).toEqual([
      expect.objectContaining({ expertId: ids.b, specialties: ['A0102', 'A0601'], groups: ['A0102', 'A0601'], code: expect.stringMatching(/^ZJ\d{6}$/), avoidOrgCodes: [expect.any(String)] }),
    ]);
    // The draw's strata may name a 中类: each candidate carries the requested codes it matches.
    const mixed = await eligibleExperts(t.ctx.db, { specialties: ['A01', 'A0301'], at: now() });
    expect(mixed.map((e) => [e.expertId, e.groups])).toEqual([
      [ids.a, ['A01']],
      [ids.b, ['A01']],
      [ids.c, ['A01']],
      [ids.d, ['A0301']],
      [ids.e, ['A01']],
    ]);
    await expect(eligibleExperts(t.ctx.db, { specialties: ['Q01'], at: now() })).rejects.toMatchObject({ code: 'EXPERT_SPECIALTY_UNKNOWN' });
  });

  it('returns the organisation codes each expert must avoid, and excludes the conflicted when given the bidders', async () => {
    const [e] = await eligibleExperts(t.ctx.db, { specialties: ['A0101'], at: now(), excludeExpertIds: [ids.a!, ids.c!] });
    const employer = (await t.ctx.db.selectFrom('experts').select('employer_uscc').where('id', '=', ids.e!).executeTakeFirstOrThrow()).employer_uscc!;
    expect(e!.expertId).toBe(ids.e);
    expect(e!.avoidOrgCodes).toEqual([employer, uscc('bidder-1')].sort());
    // Bidders and the tenderer of a tender: the former employer (ended 2024-01-15, inside 3 years) is avoided.
    expect(await eligible({ avoidOrgCodes: [uscc('bidder-1'), uscc('av-tenderer')] })).toEqual([ids.a, ids.b]);
    expect(await eligible({ avoidOrgCodes: [employer] })).toEqual([ids.a, ids.b]);
    // On 2027-01-16 (Beijing) the 3-year window is over: e is drawn again for that bidder.
    const later = new Date('2027-01-16T01:00:00Z');
    expect(await eligible({ avoidOrgCodes: [uscc('bidder-1')], at: later })).toEqual([ids.a, ids.b, ids.e]);
    expect(await eligible({ avoidOrgCodes: [uscc('bidder-1')], at: new Date('2027-01-15T15:00:00Z') })).toEqual([ids.a, ids.b]);
    const hit = await conflictedExperts(t.ctx.db, { orgCodes: [uscc('bidder-1'), employer, uscc('nobody')], at: now() });
    expect([...hit.entries()]).toEqual([[ids.e, [employer, uscc('bidder-1')].sort()]]);
    expect((await conflictedExperts(t.ctx.db, { orgCodes: [uscc('bidder-1')], at: later })).size).toBe(0);
  });

  it('a conflict declared later counts at once; its end date starts the 3-year window', async () => {
    const s = await as('av-a');
    const res = await s.post('/api/experts/me/conflicts', { kind: 'director', orgName: '厦门同安建工有限公司', orgUscc: uscc('bidder-2'), startedOn: '2020-01-01' });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json().conflicts.find((x: { orgUscc: string }) => x.orgUscc === uscc('bidder-2'));
    expect(c).toMatchObject({ avoidUntil: null, active: true });
    expect(await eligible({ avoidOrgCodes: [uscc('bidder-2')] })).toEqual([ids.b, ids.e]);
    const ended = await s.post(`/api/experts/me/conflicts/${c.id}/end`, { endedOn: '2026-10-31' });
    expect(ended.json().conflicts.find((x: { id: string }) => x.id === c.id)).toMatchObject({ endedOn: '2026-10-31', avoidUntil: '2029-10-31', active: true });
    expect(problem(await s.post(`/api/experts/me/conflicts/${c.id}/end`, { endedOn: '2026-11-01' })).code).toBe('EXPERT_CONFLICT_ENDED');
    expect(await eligible({ avoidOrgCodes: [uscc('bidder-2')] })).toEqual([ids.b, ids.e]);
    expect(problem(await s.post('/api/experts/me/conflicts', { kind: 'shareholder', orgName: 'x', orgUscc: 'NOTACODE' }))).toMatchObject({ code: 'INVALID_USCC', field: 'conflict.orgUscc' });
  });

  it('leave: not eligible while on leave, eligible before and after; overlaps refused; withdrawal', async () => {
    const s = await as('av-b');
    const starts = new Date(now().getTime() + 2 * D);
    const ends = new Date(now().getTime() + 5 * D);
    const res = await s.post('/api/experts/me/leaves', { startsAt: starts.toISOString(), endsAt: ends.toISOString(), reason: '出差' });
    expect(res.statusCode, res.body).toBe(201);
    const leave = res.json().leaves[0];
    expect(await eligible({ at: new Date(starts.getTime() - 1) })).toContain(ids.b);
    expect(await eligible({ at: starts })).not.toContain(ids.b);
    expect(await eligible({ at: new Date(ends.getTime() - 1) })).not.toContain(ids.b);
    expect(await eligible({ at: ends })).toContain(ids.b);
    // An evaluation period that only touches the leave's start is fine; one that overlaps it is not.
    expect(await eligible({ at: { from: new Date(starts.getTime() - 4 * H), to: starts } })).toContain(ids.b);
    expect(await eligible({ at: { from: new Date(starts.getTime() - 4 * H), to: new Date(starts.getTime() + 1) } })).not.toContain(ids.b);
    const clash = problem(await s.post('/api/experts/me/leaves', { startsAt: new Date(ends.getTime() - H).toISOString(), endsAt: new Date(ends.getTime() + D).toISOString(), reason: '重叠' }));
    expect(clash).toMatchObject({ code: 'EXPERT_LEAVE_OVERLAP', field: 'startsAt', details: { leaveId: leave.id } });
    expect(problem(await s.post('/api/experts/me/leaves', { startsAt: '2026-10-01T00:00:00Z', endsAt: '2026-10-02T00:00:00Z', reason: '过去' })).code).toBe('EXPERT_LEAVE_IN_PAST');
    // The status page shows it as current once it starts; withdrawing it then ends it now.
    t.clock.advance(2 * D + H);
    const b = await as('av-b');
    const me = (await b.get('/api/experts/me')).json();
    expect(me.availability).toEqual({ onLeaveNow: true, blacklistedNow: false, eligibleNow: false });
    expect(me.leaves[0].current).toBe(true);
    const back = await b.delete(`/api/experts/me/leaves/${leave.id}`);
    expect(back.json().leaves[0]).toMatchObject({ endsAt: now().toISOString(), cancelledAt: null, current: false });
    expect(await eligible()).toContain(ids.b);
    // Someone else's leave id is not found; an expert not in the pool declares none.
    expect(problem(await (await as('av-a')).delete(`/api/experts/me/leaves/${leave.id}`)).code).toBe('NOT_FOUND');
    expect(problem(await (await as('av-tenderer')).post('/api/experts/me/leaves', { startsAt: starts.toISOString(), endsAt: ends.toISOString(), reason: 'x' })).code).toBe('EXPERT_NOT_APPLIED');
  });

  it('blacklisted experts are never eligible, whatever else matches; lifting or the end of the bar restores them', async () => {
    expect(problem(await (await as('av-gp')).post(`/api/experts/${ids.a}/blacklist`, { reason: 'x' })).code).toBe('OUT_OF_JURISDICTION');
    expect(problem(await (await as('av-a')).post(`/api/experts/${ids.a}/blacklist`, { reason: 'x' })).code).toBe('EXPERT_SELF_REVIEW');
    const bar = await (await as('av-reg')).post(`/api/experts/${ids.a}/blacklist`, { reason: '评标中擅离职守', basis: '《招标投标法实施条例》第七十一条' });
    expect(bar.statusCode, bar.body).toBe(201);
    expect(bar.json()).toMatchObject({ status: 'active', availability: { blacklistedNow: true, eligibleNow: false }, blacklist: [{ endsAt: null, inForce: true }] });
    const at = [now(), new Date(now().getTime() + 400 * D), new Date(now().getTime() + 5000 * D)];
    for (const when of at) {
      const all = await eligibleExperts(t.ctx.db, { specialties: ['A', 'B', 'C'], at: when });
      expect(all.map((e) => e.expertId)).not.toContain(ids.a);
    }
    const entry = bar.json().blacklist[0].id;
    const lifted = await (await as('av-reg')).post(`/api/experts/${ids.a}/blacklist/${entry}/lift`, { reason: '复议撤销' });
    expect(lifted.json().availability.blacklistedNow).toBe(false);
    expect(await eligible()).toContain(ids.a);
    expect(problem(await (await as('av-reg')).post(`/api/experts/${ids.a}/blacklist/${entry}/lift`, { reason: '再次' })).code).toBe('EXPERT_BLACKLIST_OVER');
    // A bar for a period: not eligible during it, eligible after.
    const until = new Date(now().getTime() + 30 * D);
    await (await as('av-reg')).post(`/api/experts/${ids.a}/blacklist`, { reason: '无正当理由拒不参加评标', endsAt: until.toISOString() });
    expect(await eligible({ at: new Date(until.getTime() - 1) })).not.toContain(ids.a);
    expect(await eligible({ at: until })).toContain(ids.a);
    expect(problem(await (await as('av-reg')).post(`/api/experts/${ids.a}/blacklist`, { reason: 'x', endsAt: '2026-01-01T00:00:00Z' })).code).toBe('EXPERT_BLACKLIST_RANGE');
  });

  it('annual review: a fail suspends at once, a pass reinstates; no result by the deadline suspends everyone due', async () => {
    expect(problem(await (await as('av-reg')).post(`/api/experts/${ids.c}/annual-reviews`, { year: 2027, result: 'pass' })).code).toBe('EXPERT_REVIEW_YEAR');
    expect(problem(await (await as('av-reg')).post(`/api/experts/${ids.c}/annual-reviews`, { year: 2025, result: 'pass' })).code).toBe('EXPERT_REVIEW_YEAR');
    const fail = await (await as('av-reg')).post(`/api/experts/${ids.c}/annual-reviews`, { year: 2026, result: 'fail', comment: '全年三次无故缺席' });
    expect(fail.statusCode, fail.body).toBe(201);
    expect(fail.json()).toMatchObject({ status: 'suspended', suspendedReason: 'annual_review_failed', annualReviews: [{ year: 2026, result: 'fail' }] });
    expect(await eligible({ regions: ['350100'] })).not.toContain(ids.c);
    expect(problem(await (await as('av-reg')).post(`/api/experts/${ids.c}/annual-reviews`, { year: 2026, result: 'pass' })).code).toBe('EXPERT_ANNUAL_REVIEW_EXISTS');
    for (const k of ['a', 'b', 'd'] as const) expect((await (await as('av-reg')).post(`/api/experts/${ids[k]}/annual-reviews`, { year: 2026, result: 'pass' })).statusCode).toBe(201);

    // The 2026 deadline (2027-03-31 24:00 Beijing) passes: e has no result and is suspended by the chronograph.
    t.clock.set(new Date('2027-03-31T16:00:01Z'));
    const r = await runDueJobs(t.ctx);
    expect(r.failed).toEqual([]);
    const status = async (k: string) => (await t.ctx.db.selectFrom('experts').select(['status', 'suspended_reason']).where('id', '=', ids[k]!).executeTakeFirstOrThrow());
    expect(await status('e')).toEqual({ status: 'suspended', suspended_reason: 'annual_review_overdue' });
    expect((await status('a')).status).toBe('active');
    expect((await status('c')).suspended_reason).toBe('annual_review_failed');
    const sweep = await t.ctx.db.selectFrom('ledger_entries').select('payload').where('type', '=', 'expert.annual_review_overdue').execute();
    expect(sweep).toHaveLength(1);
    expect((sweep[0]!.payload as { suspended: string[] }).suspended).toEqual([ids.e]);
    // The next deadline is scheduled; running again suspends nobody twice.
    const jobs = await t.ctx.db.selectFrom('scheduled_jobs').select(['subject_id', 'status', 'due_at']).where('kind', '=', 'experts.annual_review_due').orderBy('subject_id').execute();
    expect(jobs).toEqual([
      { subject_id: '2026', status: 'done', due_at: new Date('2027-03-31T16:00:00Z') },
      { subject_id: '2027', status: 'pending', due_at: new Date('2028-03-31T16:00:00Z') },
    ]);
    expect((await runDueJobs(t.ctx)).ran).toBe(0);
    // A late pass reinstates.
    const pass = await (await as('av-reg')).post(`/api/experts/${ids.e}/annual-reviews`, { year: 2026, result: 'pass', comment: '补考核合格' });
    expect(pass.json()).toMatchObject({ status: 'active', suspendedReason: null });
    expect(await eligible()).toContain(ids.e);
  });

  it('performance ratings by the center (or whom the evaluation part allows), incentive and penalty points', async () => {
    const rate = (s: Session, over: Record<string, unknown> = {}) => s.post(`/api/experts/${ids.b}/performance`, { evaluationRef: 'lot-2026-001', rating: 4, comment: '评审认真', ...over });
    expect((await rate(await as('av-witness'))).statusCode).toBe(201);
    expect(problem(await rate(await as('av-witness'))).code).toBe('EXPERT_ALREADY_RATED');
    expect(problem(await rate(await as('av-witness'), { rating: 6 }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'rating' });
    expect(problem(await rate(await as('av-tenderer'))).code).toBe('EXPERT_RATING_NOT_ALLOWED');
    registerRatingGuard(async (_db, { actor, evaluationRef }) => evaluationRef === 'lot-2026-001' && actor.roles.some((g) => g.role === 'tenderer'));
    try {
      expect((await rate(await as('av-tenderer'), { rating: 2, comment: '对技术标理解有偏差' })).statusCode).toBe(201);
      expect(problem(await rate(await as('av-tenderer'), { evaluationRef: 'lot-other' })).code).toBe('EXPERT_RATING_NOT_ALLOWED');
    } finally {
      registerRatingGuard(null);
    }
    expect((await (await as('av-reg')).post(`/api/experts/${ids.b}/incentives`, { kind: 'incentive', points: 5, reason: '年度评审次数多、评价好' })).statusCode).toBe(201);
    const pen = await (await as('av-reg')).post(`/api/experts/${ids.b}/incentives`, { kind: 'penalty', points: 2, reason: '迟到 20 分钟' });
    expect(pen.json()).toMatchObject({ performance: { count: 2, average: 3 }, incentives: { points: 3 } });
    // The expert sees ratings and points about itself; the raters are not named.
    const me = (await (await as('av-b')).get('/api/experts/me')).json();
    expect(me.performance.entries).toHaveLength(2);
    expect(JSON.stringify(me.performance)).not.toMatch(/rater/i);
  });

  it('exited and removed experts are not eligible', async () => {
    await (await as('av-d')).post('/api/experts/me/exit', { reason: '工作调动' });
    expect(await eligible({ specialties: ['A0301'] })).toEqual([]);
    await (await as('av-reg')).post(`/api/experts/${ids.b}/remove`, { reason: '受到刑事处罚' });
    expect(await eligible()).not.toContain(ids.b);
  });
});
