import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, problem, type Session, type TestApp } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { acceptedProject, bj, seedWorld, tenderBody, upload, type World } from './tendering.fixture';

/**
 * A works open tender end to end (this part of issue 3): accepted project → tender → published with documents and the
 * 招标公告 → documents obtained (secret) → anonymous question → a clarification that moves the deadline over National
 * Day 2026 → objections pausing the procedure, one running over the deadline → the chronograph opens the lots.
 */
describeEngines('tendering: works open tender from project to opening', (engine) => {
  let t: TestApp;
  let w: World;
  let tenderer: Session, b1: Session, b2: Session, b3: Session;
  const at = async (s: string) => t.clock.set(bj(s));
  const db = () => t.ctx.db;

  beforeAll(async () => {
    // Tuesday 09:00 Beijing. Sessions expire by the server clock: let them outlive the seven weeks this test spans.
    t = await createTestApp(engine, { now: '2026-09-01T01:00:00Z', config: { sessionTtlMinutes: 200 * 24 * 60 } });
    w = await seedWorld(t, 'tw');
    [tenderer, b1, b2, b3] = (await Promise.all(['tenderer', 'b1', 'b2', 'b3'].map((u) => w.as(u)))) as [
      Session,
      Session,
      Session,
      Session,
    ];
  });
  afterAll(() => t.close());

  it('runs the whole core, server time deciding every step', async () => {
    await at('2026-09-01T09:00:00');
    const projectId = await acceptedProject(w);
    const docId = await upload(tenderer, '招标文件.pdf');

    // ---- create and publish -------------------------------------------------------------------------------------
    const created = await tenderer.post('/api/tendering/tenders', tenderBody(w, projectId, [docId]));
    expect(created.statusCode, created.body).toBe(201);
    const tender = created.json();
    expect(tender).toMatchObject({
      status: 'draft',
      procedureType: 'works_open_tender',
      procedureName: { zh: '工程 公开招标' },
      escrow: { k: 2 },
    });
    expect(
      tender.lots.map((l: { status: string; openingAt: string; bidDeadline: string }) => [l.status, l.openingAt === l.bidDeadline]),
    ).toEqual([
      ['draft', true],
      ['draft', true],
    ]);
    expect(tender.escrow.custodians.map((c: { kind: string }) => c.kind).sort()).toEqual(['center', 'regulator', 'tenderer']);
    const id = tender.id as string;
    expect((await (await w.as('b1')).get(`/api/tendering/public/tenders/${id}`)).statusCode).toBe(404); // drafts are nobody's business

    const published = await tenderer.post(`/api/tendering/tenders/${id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().lots.map((l: { status: string }) => l.status)).toEqual(['bidding', 'bidding']);
    const noticeId = published.json().noticeId as string;
    const notice = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${noticeId}` });
    expect(notice.statusCode).toBe(200);
    expect(notice.json()).toMatchObject({ type: 'tender_notice', projectId, attachments: [] });
    expect(notice.json().bodyHtml).toContain('招标文件.pdf');
    const pub = await t.app.inject({ method: 'GET', url: `/api/tendering/public/tenders/${id}` });
    expect(pub.json()).toMatchObject({
      id,
      noticeId,
      lots: [{ lotNo: 1, depositFen: 6_000_000, bidDeadline: bj('2026-09-24T09:30:00') }, { lotNo: 2 }],
    });
    expect(pub.json().documents[0]).toMatchObject({ name: '招标文件.pdf' });
    expect(pub.body).not.toContain(docId); // the portal names the documents; it does not hand them out
    const jobs = await db()
      .selectFrom('scheduled_jobs')
      .select(['due_at'])
      .where('kind', '=', 'tendering.bid_deadline')
      .where('status', '=', 'pending')
      .execute();
    expect(jobs.map((j) => j.due_at.toISOString())).toEqual([bj('2026-09-24T09:30:00'), bj('2026-09-24T09:30:00')]);
    // Each lot's deposit requirement is registered with the deposits module, sealed until the bid deadline.
    const depositRows = async () =>
      (await db().selectFrom('deposit_requirements').select(['lot_id', 'required_fen', 'reveal_after']).where('tender_id', '=', id).execute())
        .map((r) => ({ fen: Number(r.required_fen), revealAfter: r.reveal_after.toISOString() }))
        .sort((a, b) => b.fen - a.fen);
    expect(await depositRows()).toEqual([
      { fen: 6_000_000, revealAfter: bj('2026-09-24T09:30:00') },
      { fen: 4_000_000, revealAfter: bj('2026-09-24T09:30:00') },
    ]);
    const lot1 = await db().selectFrom('tender_lots').select('id').where('tender_id', '=', id).where('lot_no', '=', 1).executeTakeFirstOrThrow();
    const sealed = await tenderer.get(`/api/deposits/lots/${id}/${lot1.id}`);
    expect(sealed.statusCode).toBe(403);
    expect(sealed.json().code).toBe('DEPOSITS_SEALED');

    // ---- documents obtained online, secretly ----------------------------------------------------------------------
    await at('2026-09-02T10:00:00');
    expect((await b3.get(`/api/files/${docId}`)).statusCode).toBe(404); // not obtained: not downloadable
    const got = await b1.post(`/api/tendering/tenders/${id}/obtain`);
    expect(got.json()).toEqual({ obtainedAt: bj('2026-09-02T10:00:00'), first: true });
    expect((await b1.post(`/api/tendering/tenders/${id}/obtain`)).json().first).toBe(false); // recorded once
    expect((await b2.post(`/api/tendering/tenders/${id}/obtain`)).statusCode).toBe(200);
    expect((await b1.get(`/api/files/${docId}`)).statusCode).toBe(200);
    expect((await b1.get(`/api/tendering/tenders/${id}`)).json()).toMatchObject({
      obtainedByMe: { obtainedAt: bj('2026-09-02T10:00:00') },
      invitedOrgs: null,
    });
    await expectSecret(id, ['tenderer', 'tenderer2', 'staff', 'witness', 'reg', 'b1', 'b3']);

    // ---- an anonymous question ---------------------------------------------------------------------------------------
    const asked = await b1.post(`/api/tendering/tenders/${id}/questions`, { text: '第三章工程量清单第12项的单位是否有误？' });
    expect(asked.statusCode, asked.body).toBe(201);
    const seen = await tenderer.get(`/api/tendering/tenders/${id}/questions`);
    expect(seen.json()).toEqual([
      {
        id: asked.json().id,
        text: '第三章工程量清单第12项的单位是否有误？',
        askedAt: bj('2026-09-02T10:00:00'),
        clarificationId: null,
        mine: false,
      },
    ]);
    expect(seen.body).not.toContain(w.ids.b1!.orgId!);
    expect((await b2.get(`/api/tendering/tenders/${id}/questions`)).json()).toEqual([]); // other bidders do not see it either
    expect((await b1.get(`/api/tendering/tenders/${id}/questions`)).json()[0].mine).toBe(true);

    // ---- clarifications: on time, then late across National Day -----------------------------------------------------
    await at('2026-09-09T16:00:00'); // exactly 15 days before 09-24
    const onTime = await tenderer.post(`/api/tendering/tenders/${id}/clarifications`, {
      text: '第12项单位为立方米。',
      questionIds: [asked.json().id],
    });
    expect(onTime.json()).toMatchObject({ seq: 1, deadlineChanges: [], changeNoticeId: null });
    await at('2026-09-16T10:00:00');
    const addendum = await upload(tenderer, '补遗1.pdf');
    const late = await tenderer.post(`/api/tendering/tenders/${id}/clarifications`, {
      text: '补充技术要求，见补遗1。',
      fileIds: [addendum],
    });
    expect(late.statusCode, late.body).toBe(201);
    // 09-16 + 15 日 = 10-01, National Day (10-01..07 rest) → Thursday 10-08, at 09:30 as before.
    expect(late.json().deadlineChanges).toEqual([
      { lotNo: 1, from: bj('2026-09-24T09:30:00'), to: bj('2026-10-08T09:30:00') },
      { lotNo: 2, from: bj('2026-09-24T09:30:00'), to: bj('2026-10-08T09:30:00') },
    ]);
    const change = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${late.json().changeNoticeId}` });
    expect(change.json()).toMatchObject({ type: 'change_notice', relatedId: noticeId });
    // The deposit records stay sealed until the new deadline.
    expect((await depositRows()).map((r) => r.revealAfter)).toEqual([bj('2026-10-08T09:30:00'), bj('2026-10-08T09:30:00')]);
    expect((await b2.get(`/api/files/${addendum}`)).statusCode).toBe(200); // clarification files reach the obtainers
    const told = await db().selectFrom('notifications').select(['account_id']).where('kind', '=', 'tender.clarification').execute();
    expect(new Set(told.map((n) => n.account_id))).toEqual(new Set([w.ids.b1!.accountId, w.ids.b2!.accountId]));
    const moved = await db().selectFrom('scheduled_jobs').select(['due_at']).where('kind', '=', 'tendering.bid_deadline').execute();
    expect(moved.map((j) => j.due_at.toISOString())).toEqual([bj('2026-10-08T09:30:00'), bj('2026-10-08T09:30:00')]);

    // ---- objections: one answered in time, one too late, one that the pause carries over the deadline ---------------
    await at('2026-09-17T10:00:00');
    const o1 = await b2.post(`/api/tendering/tenders/${id}/objections`, { text: '资格条件第3条排斥外地企业。', lotNo: 1 });
    expect(o1.statusCode, o1.body).toBe(201);
    // 3 日 from 09-17 end on 09-20, a Sunday that is a 调休 working day.
    expect(o1.json()).toMatchObject({ status: 'open', answerDueAt: '2026-09-20T16:00:00.000Z', mine: true, objector: null });
    const paused = await tenderer.get(`/api/tendering/tenders/${id}`);
    expect(paused.json().paused).toBe(true);
    const hidden = await tenderer.get(`/api/tendering/tenders/${id}/objections`);
    expect(hidden.json()[0]).toMatchObject({ objector: null, mine: false });
    expect(hidden.body).not.toContain(w.ids.b2!.orgId!);
    await at('2026-09-18T10:00:00');
    const a1 = await tenderer.post(`/api/tendering/objections/${o1.json().id}/answer`, { text: '该条已删除，见后续澄清。' });
    expect(a1.json()).toMatchObject({ status: 'answered', overdue: false });
    expect((await tenderer.get(`/api/tendering/tenders/${id}`)).json().paused).toBe(false);

    await at('2026-09-24T10:00:00');
    expect((await runDueJobs(t.ctx)).ran).toBe(0); // the old deadline no longer does anything
    await at('2026-09-28T10:00:00');
    const o2 = await b1.post(`/api/tendering/tenders/${id}/objections`, { text: '评标办法第5条与法律不符。' });
    // 09-28 + 3 日 = 10-01, a holiday → the next working day, 10-08, 24:00: after the 09:30 deadline.
    expect(o2.json().answerDueAt).toBe('2026-10-08T16:00:00.000Z');
    await at('2026-09-29T09:00:00'); // the last day was 09-28 (10 days before 10-08)
    const tooLate = await b1.post(`/api/tendering/tenders/${id}/objections`, { text: '太迟的异议' });
    expect(problem(tooLate)).toMatchObject({ code: 'TENDER_OBJECTION_TOO_LATE', status: 409 });
    expect(tooLate.json().details.closedAt).toBe('2026-09-28T16:00:00.000Z');
    expect(await db().selectFrom('tender_objections').select('id').where('tender_id', '=', id).execute()).toHaveLength(2);

    await at('2026-10-08T09:30:00');
    expect((await runDueJobs(t.ctx)).failed).toEqual([]);
    const held = (await tenderer.get(`/api/tendering/tenders/${id}`)).json();
    expect(held.lots.map((l: { status: string; deadlineHeld: boolean }) => [l.status, l.deadlineHeld])).toEqual([
      ['bidding', true],
      ['bidding', true],
    ]);
    await expectSecret(id, ['tenderer', 'staff']); // held at the deadline: still secret

    await at('2026-10-09T08:00:00');
    await runDueJobs(t.ctx);
    expect((await tenderer.get(`/api/tendering/tenders/${id}/objections`)).json()[1]).toMatchObject({ status: 'open', overdue: true });
    const flagged = await db()
      .selectFrom('tender_objections')
      .select('overdue_flagged_at')
      .where('id', '=', o2.json().id)
      .executeTakeFirstOrThrow();
    expect(flagged.overdue_flagged_at?.toISOString()).toBe(bj('2026-10-09T08:00:00'));
    expect(
      await db()
        .selectFrom('notifications')
        .select('id')
        .where('kind', '=', 'tender.objection_overdue')
        .where('account_id', '=', w.ids.tenderer!.accountId)
        .execute(),
    ).toHaveLength(1);

    await at('2026-10-09T10:00:00');
    const a2 = await tenderer.post(`/api/tendering/objections/${o2.json().id}/answer`, { text: '评标办法符合规定，异议不成立。' });
    // The pause began 09-28 with 10 days left; answered 10-09 → 10-19 (Monday), 09:30.
    expect(a2.json().deadlineChanges).toEqual([
      { lotNo: 1, from: bj('2026-10-08T09:30:00'), to: bj('2026-10-19T09:30:00') },
      { lotNo: 2, from: bj('2026-10-08T09:30:00'), to: bj('2026-10-19T09:30:00') },
    ]);
    const notices = await db()
      .selectFrom('announcements')
      .select(['type', 'related_id'])
      .where('project_id', '=', projectId)
      .orderBy('created_at')
      .execute();
    expect(notices.map((n) => n.type)).toEqual(['tender_notice', 'change_notice', 'change_notice']);

    // ---- the chronograph opens the lots at the (moved) deadline ------------------------------------------------------
    await at('2026-10-19T09:29:59');
    await runDueJobs(t.ctx);
    expect((await b1.post(`/api/tendering/tenders/${id}/obtain`)).statusCode).toBe(200); // still before the deadline
    await at('2026-10-19T09:30:00');
    await runDueJobs(t.ctx);
    const opened = (await tenderer.get(`/api/tendering/tenders/${id}`)).json();
    expect(opened.lots.map((l: { status: string; deadlineHeld: boolean }) => [l.status, l.deadlineHeld])).toEqual([
      ['opening', false],
      ['opening', false],
    ]);
    const events = await db().selectFrom('outbox_events').select(['payload']).where('type', '=', 'tender.lot_opening').execute();
    expect(events.map((e) => e.payload as { lotNo: number; decryptionWindowMinutes: number })).toMatchObject([
      { lotNo: 1, decryptionWindowMinutes: 30 },
      { lotNo: 2, decryptionWindowMinutes: 30 },
    ]);

    // ---- after the deadline the tenderer (and staff, supervisors) see who obtained, bidders still do not -------------
    const list = await tenderer.get(`/api/tendering/tenders/${id}/obtains`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().count).toBe(2);
    expect(list.json().items.map((x: { orgId: string }) => x.orgId)).toEqual([w.ids.b1!.orgId, w.ids.b2!.orgId]);
    expect((await (await w.as('reg')).get(`/api/tendering/tenders/${id}/obtains`)).json().count).toBe(2);
    expect(problem(await b1.get(`/api/tendering/tenders/${id}/obtains`)).code).toBe('FORBIDDEN');
    expect(
      (await tenderer.get(`/api/tendering/tenders/${id}/objections`)).json().map((o: { objector: { orgId: string } }) => o.objector.orgId),
    ).toEqual([w.ids.b2!.orgId, w.ids.b1!.orgId]);
    expect(problem(await b3.post(`/api/tendering/tenders/${id}/obtain`)).code).toBe('TENDER_BIDDING_CLOSED');

    // The ledger names no tender on an obtain entry (staff see types and subjects).
    const obtains = await db()
      .selectFrom('ledger_entries')
      .select(['subject_type', 'subject_id'])
      .where('type', '=', 'tender.documents_obtained')
      .execute();
    expect(obtains).toHaveLength(2);
    expect(obtains.every((e) => e.subject_type === 'tender_obtain' && e.subject_id !== id)).toBe(true);
  }, 240_000); // one long scenario: generous on a loaded 2-core machine

  async function expectSecret(id: string, users: string[]) {
    for (const u of users) {
      const s: Session = await w.as(u);
      const res = await s.get(`/api/tendering/tenders/${id}/obtains`);
      expect(problem(res), u).toMatchObject({ code: 'TENDER_SECRET_UNTIL_DEADLINE', status: 403 });
      expect(res.body).not.toContain(w.ids.b1!.orgId!);
    }
  }
});
