import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, problem, type TestApp } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { acceptedProject, bj, seedWorld, tenderBody, upload, type World } from './tendering.fixture';

/**
 * Government procurement open tender: 质疑 windows counted in 工作日 from obtaining the documents (采购法 52, 采购条例 53),
 * answers in 7 工作日 (采购法 53) across 中秋 and 国庆 2026 with their 调休 days, a late clarification (采购条例 31).
 */
describeEngines('tendering: government procurement open tender in working days', (engine) => {
  let t: TestApp;
  let w: World;
  const at = (s: string) => t.clock.set(bj(s));

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-09-01T01:00:00Z' });
    w = await seedWorld(t, 'tg');
  });
  afterAll(() => t.close());

  it('counts objection windows from obtaining and answers in working days', async () => {
    const projectId = await acceptedProject(w, { gp: true });
    const tenderer = await w.as('tenderer');
    const doc = await upload(tenderer, '采购文件.pdf');
    const body = tenderBody(w, projectId, [doc], {
      lots: [{ lotNo: 1, depositFen: 6_000_000, bidDeadline: bj('2026-10-12T09:30:00') }],
      // The custodian regulator must supervise government procurement here (the construction one cannot).
      escrow: { k: 2, custodianAccountIds: [w.ids.staff!.accountId, w.ids.regp!.accountId, w.ids.tenderer!.accountId] },
    });
    expect(problem(await tenderer.post('/api/tendering/tenders', tenderBody(w, projectId, [doc]))).code).toBe('TENDER_CUSTODIAN_INVALID');
    const created = await tenderer.post('/api/tendering/tenders', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().procedureType).toBe('gp_open_tender');
    const id = created.json().id as string;
    expect((await tenderer.post(`/api/tendering/tenders/${id}/publish`)).statusCode).toBe(200);
    const policies = (await t.app.inject({ method: 'GET', url: '/api/tendering/policies' })).json();
    expect(policies.find((p: { code: string }) => p.code === 'gp_open_tender').deposit).toMatchObject({
      cashAllowed: false,
      basis: '政府采购法实施条例 第三十三条',
    });

    at('2026-09-14T10:00:00');
    expect((await (await w.as('b1')).post(`/api/tendering/tenders/${id}/obtain`)).statusCode).toBe(200);
    at('2026-09-21T10:00:00');
    expect((await (await w.as('b2')).post(`/api/tendering/tenders/${id}/obtain`)).statusCode).toBe(200);

    at('2026-09-23T09:00:00');
    // b1 obtained Mon 09-14: 7 工作日 = 09-15..18, the 调休 Sunday 09-20, 09-21, 09-22 → closed at 09-22 24:00.
    const late = await (await w.as('b1')).post(`/api/tendering/tenders/${id}/objections`, { text: '采购需求指向特定品牌。' });
    expect(problem(late)).toMatchObject({ code: 'TENDER_OBJECTION_TOO_LATE' });
    expect(late.json().details).toEqual({
      closedAt: '2026-09-22T16:00:00.000Z',
      basis: '政府采购法 第五十二条；政府采购法实施条例 第五十三条',
    });
    // b2 obtained 09-21: still inside its own window. Answer in 7 工作日 from 09-23: 09-24, (中秋 09-25..27), 09-28,
    // 29, 30, (国庆 10-01..07), 10-08, 09 and the 调休 Saturday 10-10.
    const ok = await (await w.as('b2')).post(`/api/tendering/tenders/${id}/objections`, { text: '采购需求指向特定品牌。' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().answerDueAt).toBe('2026-10-10T16:00:00.000Z');
    expect(
      (await (await w.as('tenderer')).post(`/api/tendering/objections/${ok.json().id}/answer`, { text: '已修改，见澄清。' })).statusCode,
    ).toBe(200);

    at('2026-09-30T10:00:00');
    const tenderer2 = await w.as('tenderer');
    const c = await tenderer2.post(`/api/tendering/tenders/${id}/clarifications`, { text: '删除品牌要求。' });
    // 15 日 before 10-12 was 09-27; from 09-30 + 15 日 = Thursday 10-15.
    expect(c.json().deadlineChanges).toEqual([{ lotNo: 1, from: bj('2026-10-12T09:30:00'), to: bj('2026-10-15T09:30:00') }]);
    const notice = await t.app.inject({ method: 'GET', url: `/api/portal/announcements/${c.json().changeNoticeId}` });
    expect(notice.json()).toMatchObject({ type: 'change_notice' });

    at('2026-10-12T09:30:00');
    await runDueJobs(t.ctx);
    expect((await (await w.as('tenderer')).get(`/api/tendering/tenders/${id}`)).json().lots[0].status).toBe('bidding');
    at('2026-10-15T09:30:00');
    await runDueJobs(t.ctx);
    expect((await (await w.as('tenderer')).get(`/api/tendering/tenders/${id}`)).json().lots[0].status).toBe('opening');
    const list = await (await w.as('staff')).get(`/api/tendering/tenders/${id}/obtains`);
    expect(list.json().count).toBe(2);
  }, 240_000); // a long scenario: generous on a loaded 2-core machine
});
