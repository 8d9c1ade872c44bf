import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { personIdHash } from '../identity/identity.pii';
import { admitted, application, expertAccount, idNumber, upload, uscc } from './experts.fixture';

/**
 * The registry through the HTTP API, as an applicant, a regulator and an attacker see it: classification, online
 * application, review in jurisdiction (approve / return / reject), stable error codes with zh/en messages and the
 * field, no self-review, and the ledger and outbox entries of every change.
 */
describeEngines('expert registry: application and review', (engine) => {
  let t: TestApp;
  let reg: Session; // construction + transport + water, 厦门市
  let gpReg: Session; // government procurement, 厦门市
  let fzReg: Session; // construction, 福州市
  let auditor: Session;
  let bidder: Session;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp(engine); // Monday 2026-11-02 09:00 Beijing
    await seedAccount(t.ctx, { username: 'ex-reg', roles: [{ role: 'regulator', industries: ['construction', 'transport', 'water'], regions: ['350200'] }] });
    await seedAccount(t.ctx, { username: 'ex-gp', roles: [{ role: 'regulator', industries: ['government_procurement'], regions: ['350200'] }] });
    await seedAccount(t.ctx, { username: 'ex-fz', roles: [{ role: 'regulator', industries: ['construction'], regions: ['350100'] }] });
    await seedAccount(t.ctx, { username: 'ex-auditor', roles: [{ role: 'auditor', regions: ['350200'] }] });
    await seedAccount(t.ctx, { username: 'ex-bidder', roles: [{ role: 'bidder' }], org: { name: '厦门鹭江建设集团有限公司', uscc: uscc('bidder-org') } });
    await seedAccount(t.ctx, { username: 'ex-admin', roles: [{ role: 'admin' }] });
    [reg, gpReg, fzReg, auditor, bidder, admin] = (await Promise.all(['ex-reg', 'ex-gp', 'ex-fz', 'ex-auditor', 'ex-bidder', 'ex-admin'].map((u) => login(t.app, u)))) as [
      Session,
      Session,
      Session,
      Session,
      Session,
      Session,
    ];
  });
  afterAll(() => t.close());

  it('publishes a three-level classification with at least 40 leaf specialties', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/experts/specialties' });
    expect(res.statusCode).toBe(200);
    const { items, maxSpecialties } = res.json() as { items: { code: string; parentCode: string | null; level: number; nameZh: string }[]; maxSpecialties: number };
    expect(maxSpecialties).toBe(3);
    expect(items.filter((i) => i.level === 1).map((i) => i.nameZh)).toEqual(['工程类', '货物类', '服务类']);
    const leaves = items.filter((i) => i.level === 3);
    expect(leaves.length).toBeGreaterThanOrEqual(40);
    const byCode = new Map(items.map((i) => [i.code, i]));
    for (const l of leaves) expect(byCode.get(byCode.get(l.parentCode!)!.parentCode!)!.level).toBe(1);
    expect(byCode.get('A0101')).toMatchObject({ nameZh: '建筑工程施工（土建）', parentCode: 'A01' });
  });

  it('runs application → return with reasons → resubmission → approval, ledgered, and the expert is active', async () => {
    const { s, accountId } = await expertAccount(t, 'ex-qiu');
    expect(problem(await s.get('/api/experts/me')).code).toBe('EXPERT_NOT_APPLIED');
    const former = uscc('qiu-former');
    const body = await application(s, 'ex-qiu', {
      conflicts: [
        { kind: 'employment', orgName: '厦门鹭江建设集团有限公司', orgUscc: former, startedOn: '2012-07-01', endedOn: '2024-06-30' },
        { kind: 'relative', orgName: '厦门海沧湾建筑工程有限公司', orgUscc: uscc('qiu-relative'), relation: '配偶' },
      ],
    });
    const created = await s.post('/api/experts/me/application', body);
    expect(created.statusCode, created.body).toBe(201);
    const e = created.json();
    expect(e).toMatchObject({ status: 'submitted', code: expect.stringMatching(/^ZJ\d{6}$/), industries: ['construction'], specialties: ['A0101', 'A0601'], kinds: ['works'], regions: ['350200'] });
    expect(e.conflicts).toHaveLength(2);
    expect(e.conflicts[0]).toMatchObject({ kind: 'employment', orgUscc: former, avoidUntil: '2027-06-30', active: true });
    // The ID number is stored only as its keyed hash.
    const row = await t.ctx.db.selectFrom('experts').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(row.person_id_hash).toBe(personIdHash(t.ctx.config, idNumber('ex-qiu')));
    expect(JSON.stringify(row)).not.toContain(idNumber('ex-qiu'));
    // A second application while one is under review.
    expect(problem(await s.post('/api/experts/me/application', await application(s, 'ex-qiu'))).code).toBe('EXPERT_APPLICATION_PENDING');

    // The regulator of construction in 厦门 sees it in the queue; the one in 福州 and the procurement one do not.
    const queue = await reg.get('/api/experts?status=submitted');
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(e.id);
    expect((await fzReg.get('/api/experts?status=submitted')).json().items).toEqual([]);
    expect((await gpReg.get('/api/experts?status=submitted')).json().items).toEqual([]);

    const ret = await reg.post(`/api/experts/${e.id}/return`, { reasons: [{ field: 'materials', note: '职称证书扫描件不清晰，请重新上传' }, { field: 'experienceYears', note: '工作年限与证书不符' }] });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json()).toMatchObject({ status: 'returned', reviews: [{ round: 1, decision: 'return' }] });
    const mine = (await s.get('/api/experts/me')).json();
    expect(mine.reviews[0].reasons).toEqual([{ field: 'materials', note: '职称证书扫描件不清晰，请重新上传' }, { field: 'experienceYears', note: '工作年限与证书不符' }]);
    expect(problem(await reg.post(`/api/experts/${e.id}/approve`, {})).code).toBe('EXPERT_INVALID_TRANSITION');

    const again = await s.post('/api/experts/me/application', { ...(await application(s, 'ex-qiu')), experienceYears: 14, conflicts: body.conflicts });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: e.id, status: 'submitted', submitCount: 2, experienceYears: 14 });

    const ok = await reg.post(`/api/experts/${e.id}/approve`, { comment: '材料齐全' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'active', availability: { eligibleNow: true }, annualReviewDue: { year: 2026, dueAt: '2027-03-31T16:00:00.000Z', done: false } });
    const ledger = await t.ctx.db.selectFrom('ledger_entries').select(['type', 'payload', 'actor_id']).where('subject_id', '=', e.id).orderBy('seq').execute();
    expect(ledger.map((l) => l.type)).toEqual(['expert.applied', 'expert.returned', 'expert.applied', 'expert.approved']);
    expect(JSON.stringify(ledger)).not.toContain('邱评审'); // no personal data in the append-only ledger
    const events = await t.ctx.db.selectFrom('outbox_events').select('type').where('type', 'like', 'expert.%').execute();
    expect(events.map((x) => x.type)).toEqual(expect.arrayContaining(['expert.applied', 'expert.returned', 'expert.approved']));
    const note = await t.ctx.db.selectFrom('notifications').select(['kind']).where('account_id', '=', accountId).execute();
    expect(note.map((n) => n.kind)).toEqual(expect.arrayContaining(['expert.returned', 'expert.approved']));
    // The annual review deadline is scheduled on the chronograph.
    const job = await t.ctx.db.selectFrom('scheduled_jobs').select(['subject_id', 'due_at', 'status']).where('kind', '=', 'experts.annual_review_due').execute();
    expect(job).toEqual([{ subject_id: '2026', due_at: new Date('2027-03-31T16:00:00Z'), status: 'pending' }]);
  });

  it('a natural person applies from a self-registered account and receives the expert role on approval', async () => {
    const id = idNumber('person-lin');
    const org = await t.ctx.db
      .insertInto('organisations')
      .values({ kind: 'person', name: '林工', uscc: null, person_id_hash: personIdHash(t.ctx.config, id), contact_name: null, contact_phone: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { accountId } = await seedAccount(t.ctx, { username: 'ex-person', roles: [{ role: 'auction_bidder' }], org: org.id });
    const s = await login(t.app, 'ex-person');
    // The ID number must be the one the account registered with.
    const wrong = await s.post('/api/experts/me/application', await application(s, 'person-other'));
    expect(problem(wrong)).toMatchObject({ code: 'EXPERT_ID_MISMATCH', field: 'idNumber' });
    const res = await s.post('/api/experts/me/application', await application(s, 'person-lin', { idNumber: id, name: '林工' }));
    expect(res.statusCode, res.body).toBe(201);
    expect((await reg.post(`/api/experts/${res.json().id}/approve`, {})).statusCode).toBe(200);
    const roles = await t.ctx.db.selectFrom('account_roles').select('role').where('account_id', '=', accountId).orderBy('role').execute();
    expect(roles.map((r) => r.role)).toEqual(['auction_bidder', 'expert']);
    const me = await s.get('/api/auth/me');
    expect(JSON.stringify(me.json())).toContain('"expert"');
  });

  it('refuses bad input with stable codes, zh/en messages and the field at fault', async () => {
    const { s } = await expertAccount(t, 'ex-bad');
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ experienceYears: 6 }, 'EXPERT_EXPERIENCE_TOO_SHORT', 'experienceYears'],
      [{ titleLevel: 'intermediate' }, 'EXPERT_TITLE_TOO_LOW', 'titleLevel'],
      [{ idNumber: idNumber('ex-bad').slice(0, 17) + (idNumber('ex-bad').endsWith('1') ? '2' : '1') }, 'INVALID_ID_NUMBER', 'idNumber'],
      [{ employer: { name: '某公司', uscc: '91350200MA2Y0XDJ80' } }, 'INVALID_USCC', 'employer.uscc'],
      [{ specialties: ['A0101', 'A0102', 'A0103', 'A0104'] }, 'EXPERT_TOO_MANY_SPECIALTIES', 'specialties'],
      [{ specialties: ['A01'] }, 'EXPERT_SPECIALTY_NOT_LEAF', 'specialties.0'],
      [{ specialties: ['A0199'] }, 'EXPERT_SPECIALTY_UNKNOWN', 'specialties.0'],
      [{ regions: ['440300'] }, 'EXPERT_REGION_UNKNOWN', 'regions.0'],
      [{ homeRegion: '110101' }, 'EXPERT_REGION_UNKNOWN', 'homeRegion'],
      [
        { conflicts: [{ kind: 'employment', orgName: '旧单位', orgUscc: uscc('old'), startedOn: '2010-01-01', endedOn: '2023-10-31' }] },
        'EXPERT_CONFLICT_OUTSIDE_WINDOW',
        'conflicts.0.endedOn',
      ],
      [{ conflicts: [{ kind: 'relative', orgName: '亲属企业', orgUscc: uscc('rel') }] }, 'FIELD_REQUIRED', 'conflicts.0.relation'],
      [{ materials: [] }, 'EXPERT_MATERIAL_MISSING', 'materials'],
      [{ kinds: ['works', 'auction'] }, 'VALIDATION_FAILED', 'kinds.1'],
      [{ surprise: true }, 'FIELD_UNKNOWN', 'surprise'],
    ];
    for (const [over, code, field] of cases) {
      const p = problem(await s.post('/api/experts/me/application', await application(s, 'ex-bad', over)));
      expect(p, JSON.stringify(over)).toMatchObject({ code, field });
      expect(p.message.zh.length).toBeGreaterThan(2);
      expect(p.message.en.length).toBeGreaterThan(2);
      expect(p.message.zh).not.toBe(p.message.en);
    }
    // Someone else's upload is as unknown as a made-up id.
    const foreign = await upload(reg, 'not-yours.pdf');
    const p = problem(await s.post('/api/experts/me/application', await application(s, 'ex-bad', { materials: [{ code: 'title_certificate', fileId: foreign }] })));
    expect(p).toMatchObject({ code: 'EXPERT_FILE_UNKNOWN', field: 'materials.0.fileId' });
    // Nothing was stored by any of these.
    expect(problem(await s.get('/api/experts/me')).code).toBe('EXPERT_NOT_APPLIED');
    // An organisation's account cannot apply as a person.
    expect(problem(await bidder.post('/api/experts/me/application', await application(bidder, 'ex-bidder'))).code).toBe('EXPERT_APPLICANT_NOT_PERSON');
    // One person, one record.
    const { s: twin } = await expertAccount(t, 'ex-twin');
    expect(problem(await twin.post('/api/experts/me/application', await application(twin, 'ex-qiu'))).code).toBe('EXPERT_PERSON_EXISTS');
  });

  it('the configured maximum of specialties is the administrator’s to change', async () => {
    expect(problem(await reg.put('/api/experts/settings', { maxSpecialties: 4 })).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await admin.put('/api/experts/settings', { annualReviewDue: '02-29' }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'annualReviewDue' });
    const res = await admin.put('/api/experts/settings', { maxSpecialties: 4 });
    expect(res.json()).toEqual({ maxSpecialties: 4, annualReviewDue: '03-31' });
    const { s } = await expertAccount(t, 'ex-four');
    const four = await s.post('/api/experts/me/application', await application(s, 'ex-four', { specialties: ['A0101', 'A0102', 'A0103', 'A0104'] }));
    expect(four.statusCode, four.body).toBe(201);
    await admin.put('/api/experts/settings', { maxSpecialties: 3 });
  });

  it('regulators outside the jurisdiction are refused; auditors read but do not decide; others see nothing', async () => {
    const { s } = await expertAccount(t, 'ex-juris');
    const e = (await s.post('/api/experts/me/application', await application(s, 'ex-juris', { specialties: ['A0301'] }))).json();
    expect(e.industries).toEqual(['transport']);
    for (const other of [fzReg, gpReg]) {
      const p = problem(await other.post(`/api/experts/${e.id}/approve`, {}));
      expect(p).toMatchObject({ code: 'OUT_OF_JURISDICTION', status: 403 });
      expect(problem(await other.get(`/api/experts/${e.id}`)).code).toBe('OUT_OF_JURISDICTION');
    }
    expect((await auditor.get(`/api/experts/${e.id}`)).statusCode).toBe(200);
    expect(problem(await auditor.post(`/api/experts/${e.id}/approve`, {})).code).toBe('FORBIDDEN_ROLE');
    expect(problem(await bidder.get(`/api/experts/${e.id}`)).code).toBe('NOT_FOUND');
    expect(problem(await bidder.get('/api/experts')).code).toBe('FORBIDDEN_ROLE');
    // Works + procurement: one department alone does not admit into the other's field.
    const { s: both } = await expertAccount(t, 'ex-both');
    const b = (await both.post('/api/experts/me/application', await application(both, 'ex-both', { kinds: ['works', 'government_procurement'] }))).json();
    expect(b.industries).toEqual(['construction', 'government_procurement']);
    expect((await gpReg.get('/api/experts?status=submitted')).json().items.map((i: { id: string }) => i.id)).toContain(b.id);
    expect(problem(await gpReg.post(`/api/experts/${b.id}/approve`, {}))).toMatchObject({ code: 'OUT_OF_JURISDICTION' });
    expect(problem(await reg.post(`/api/experts/${b.id}/approve`, {}))).toMatchObject({ code: 'OUT_OF_JURISDICTION' });
    await seedAccount(t.ctx, { username: 'ex-manager', roles: [{ role: 'manager', regions: ['350200'] }] });
    expect((await (await login(t.app, 'ex-manager')).post(`/api/experts/${b.id}/approve`, {})).statusCode).toBe(200);
    // Materials: the reviewer may download them, a bidder may not.
    const fileId = e.materials[0].fileId;
    expect((await reg.get(`/api/files/${fileId}`)).statusCode).toBe(200);
    expect((await bidder.get(`/api/files/${fileId}`)).statusCode).not.toBe(200);
  });

  it('an expert cannot review itself, even as a regulator of the field', async () => {
    const { accountId } = await seedAccount(t.ctx, {
      username: 'ex-reg-expert',
      roles: [{ role: 'regulator', industries: ['construction'], regions: ['350200'] }, { role: 'expert' }],
    });
    const s = await login(t.app, 'ex-reg-expert');
    const e = (await s.post('/api/experts/me/application', await application(s, 'ex-reg-expert'))).json();
    for (const [path, body] of [
      ['approve', {}],
      ['reject', { reason: '自审' }],
      ['return', { reasons: [{ field: 'other', note: 'x' }] }],
    ] as const) {
      const p = problem(await s.post(`/api/experts/${e.id}/${path}`, body));
      expect(p).toMatchObject({ code: 'EXPERT_SELF_REVIEW', status: 403 });
    }
    expect((await t.ctx.db.selectFrom('experts').select('status').where('account_id', '=', accountId).executeTakeFirstOrThrow()).status).toBe('submitted');
    // Another regulator rejects it; the person may apply again later.
    const r = await reg.post(`/api/experts/${e.id}/reject`, { reason: '本部门工作人员不宜入库' });
    expect(r.json()).toMatchObject({ status: 'rejected' });
    const again = await s.post('/api/experts/me/application', await application(s, 'ex-reg-expert'));
    expect(again.json()).toMatchObject({ status: 'submitted', submitCount: 2 });
  });

  it('removal and voluntary exit end membership; a removed expert cannot apply again', async () => {
    const a = await admitted(t, reg, 'ex-removed');
    expect(problem(await a.s.post('/api/experts/me/application', await application(a.s, 'ex-removed'))).code).toBe('EXPERT_ALREADY_REGISTERED');
    const rm = await reg.post(`/api/experts/${a.id}/remove`, { reason: '评标中应当回避而不回避（条例第七十一条）' });
    expect(rm.json()).toMatchObject({ status: 'removed', endReason: '评标中应当回避而不回避（条例第七十一条）' });
    expect(problem(await a.s.post('/api/experts/me/application', await application(a.s, 'ex-removed'))).code).toBe('EXPERT_REMOVED');
    const b = await admitted(t, reg, 'ex-exit');
    await b.s.post('/api/experts/me/conflicts', { kind: 'director', orgName: '厦门某建设公司', orgUscc: uscc('exit-director'), startedOn: '2025-01-01' });
    const ex = await b.s.post('/api/experts/me/exit', { reason: '退休后不再参加评审' });
    expect(ex.json()).toMatchObject({ status: 'exited', availability: { eligibleNow: false } });
    expect(problem(await b.s.post('/api/experts/me/exit', { reason: '再次' })).code).toBe('EXPERT_INVALID_TRANSITION');
    // Applying again after having been in the pool keeps the declarations made then (the new list adds to them).
    const again = await b.s.post('/api/experts/me/application', await application(b.s, 'ex-exit', { conflicts: [{ kind: 'relative', orgName: '亲属企业', orgUscc: uscc('exit-rel'), relation: '子女' }] }));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().conflicts.map((c: { orgUscc: string }) => c.orgUscc).sort()).toEqual([uscc('exit-director'), uscc('exit-rel')].sort());
  });
});
