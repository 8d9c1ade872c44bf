import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { drainOutbox } from '../../platform/outbox/processors';
import { ensureCatalogSeeded } from '../catalog/index';

async function upload(s: Session): Promise<string> {
  const boundary = `----yw${randomBytes(6).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const payload = Buffer.concat([head, Buffer.from('%PDF-1.7\n'), randomBytes(64), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await s.request({ method: 'POST', url: '/api/files', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  return res.json().id;
}

const inbox = async (s: Session) => (await s.get('/api/notifications')).json() as { items: { kind: string; title: { zh: string }; link: string }[]; unreadCount: number };

describeEngines('intake and announcement notifications', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await ensureCatalogSeeded(t.ctx.db, t.clock.now());
    await seedAccount(t.ctx, { username: 'nt-tenderer', roles: [{ role: 'tenderer' }], org: { name: '厦门市某学校', uscc: '12350200MB1NOTIFYA' } });
    await seedAccount(t.ctx, { username: 'nt-other', roles: [{ role: 'tenderer' }], org: { name: '无关单位', uscc: '12350200MB1NOTIFYB' } });
    await seedAccount(t.ctx, { username: 'nt-staff', roles: [{ role: 'center_intake' }] });
  });
  afterAll(() => t.close());

  it('tells the window about a submission and the registrant about the return and the acceptance, nobody else', async () => {
    const tenderer = await login(t.app, 'nt-tenderer');
    const materials = [
      { code: 'project_approval', fileId: await upload(tenderer) },
      { code: 'funding_proof', fileId: await upload(tenderer) },
      { code: 'tender_plan', fileId: await upload(tenderer) },
    ];
    const p = (
      await tenderer.post('/api/projects', {
        name: '某学校操场改造工程', catalogCode: 'works.housing', procedureType: 'works_open_tender', subject: 'works', regionCode: '350203',
        estimateFen: 500_000_000, lots: [{ name: '施工', estimateFen: 500_000_000 }], materials,
      })
    ).json();
    expect((await tenderer.post(`/api/projects/${p.id}/submit`)).statusCode).toBe(200);
    const staff = await login(t.app, 'nt-staff');
    expect((await inbox(staff)).items).toHaveLength(0); // nothing before the outbox runs: only committed changes are told
    await drainOutbox(t.ctx);
    const staffInbox = await inbox(staff);
    expect(staffInbox.unreadCount).toBe(1);
    expect(staffInbox.items[0]).toMatchObject({ kind: 'project.submitted', link: `/workbench/intake/${p.id}` });

    expect((await staff.post(`/api/projects/${p.id}/return`, { items: [{ code: 'funding_proof', note: '未盖章' }] })).statusCode).toBe(200);
    await drainOutbox(t.ctx);
    expect((await inbox(tenderer)).items.map((n) => n.kind)).toEqual(['project.returned']);
    expect((await inbox(await login(t.app, 'nt-other'))).items).toHaveLength(0);

    expect((await tenderer.post(`/api/projects/${p.id}/submit`)).statusCode).toBe(200);
    expect((await staff.post(`/api/projects/${p.id}/accept`)).statusCode).toBe(200);
    await drainOutbox(t.ctx);
    const kinds = (await inbox(tenderer)).items.map((n) => n.kind);
    expect(kinds).toContain('project.accepted');
    expect((await inbox(staff)).unreadCount).toBe(2); // the resubmission too
  });

  it('tells the publisher when review returns its announcement, with the reason', async () => {
    const tenderer = await login(t.app, 'nt-tenderer');
    const draft = (await tenderer.post('/api/announcements', { type: 'tender_notice', title: '某学校操场改造工程招标公告', categoryCode: 'works.housing', regionCode: '350203', bodyHtml: '<p>招标</p>' })).json();
    const id = draft.announcement.id;
    expect((await tenderer.post(`/api/announcements/${id}/submit`)).statusCode).toBe(200);
    const staff = await login(t.app, 'nt-staff');
    expect((await staff.post(`/api/announcements/${id}/reject`, { reason: '缺少资格条件' })).statusCode).toBe(200);
    await drainOutbox(t.ctx);
    const n = (await inbox(tenderer)).items.find((x) => x.kind === 'announcement.rejected');
    expect(n?.title.zh).toContain('某学校操场改造工程招标公告');
  });
});
