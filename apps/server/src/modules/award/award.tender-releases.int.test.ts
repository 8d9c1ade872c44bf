import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, type Session, type TestApp } from '../../../test/harness';
import { loadOcdsValidator } from '../../../test/ocds-schema';
import { drainOutbox } from '../../platform/outbox/processors';
import { acceptedProject, bj, seedWorld, tenderBody, upload, type World } from '../tendering/tendering.fixture';

const validator = loadOcdsValidator();

/**
 * Open data before the opening: publication, a clarification and the deadline it moves become OCDS releases; who
 * obtained the documents or asked a question never appears in them.
 */
describeEngines('OCDS releases of a tender before its opening', (engine) => {
  let t: TestApp;
  let w: World;
  let tenderer: Session, b1: Session;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-09-01T01:00:00Z', config: { sessionTtlMinutes: 200 * 24 * 60 } });
    w = await seedWorld(t, 'or');
    [tenderer, b1] = (await Promise.all(['tenderer', 'b1'].map((u) => w.as(u)))) as [Session, Session];
  });
  afterAll(() => t.close());

  const releases = async (ocid: string) => {
    await drainOutbox(t.ctx, { processors: ['award.ocds_tender_releases'] });
    const res = await t.app.inject({ method: 'GET', url: `/api/opendata/releases?ocid=${ocid}` });
    expect(res.statusCode).toBe(200);
    return res.json() as { releases: { tag: string[]; tender: { status: string; tenderPeriod: { endDate: string }; lots: unknown[] }; bids?: unknown }[] };
  };

  it('publishes tender, tenderUpdate and tenderAmendment releases with nothing secret in them', async () => {
    const projectId = await acceptedProject(w);
    const docId = await upload(tenderer, '招标文件.pdf');
    const id = (await tenderer.post('/api/tendering/tenders', tenderBody(w, projectId, [docId]))).json().id as string;
    const ocid = `${t.ctx.config.ocidPrefix}-${id}`;
    expect((await releases(ocid)).releases).toEqual([]); // a draft is not public

    t.clock.set(bj('2026-09-01T10:00:00'));
    expect((await tenderer.post(`/api/tendering/tenders/${id}/publish`)).statusCode).toBe(200);
    let pkg = await releases(ocid);
    expect(pkg.releases.map((r) => r.tag)).toEqual([['tender']]);
    expect(pkg.releases[0]!.tender).toMatchObject({ status: 'active', tenderPeriod: { endDate: bj('2026-09-24T09:30:00') } });
    expect(pkg.releases[0]!.tender.lots).toHaveLength(2);

    // Obtaining the documents and asking a question are secret: no release, and no trace of the bidder.
    t.clock.set(bj('2026-09-02T10:00:00'));
    expect((await b1.post(`/api/tendering/tenders/${id}/obtain`)).statusCode).toBe(200);
    expect((await b1.post(`/api/tendering/tenders/${id}/questions`, { text: '工期是否可以调整？' })).statusCode).toBe(201);
    pkg = await releases(ocid);
    expect(pkg.releases).toHaveLength(1);

    // A late clarification (09-16 + 15 日 over National Day → 10-08) adds documents and moves the deadline.
    t.clock.set(bj('2026-09-16T10:00:00'));
    const late = await tenderer.post(`/api/tendering/tenders/${id}/clarifications`, { text: '补充技术要求。', fileIds: [await upload(tenderer, '补遗1.pdf')] });
    expect(late.statusCode, late.body).toBe(201);
    pkg = await releases(ocid);
    expect(pkg.releases.map((r) => r.tag[0]).sort()).toEqual(['tender', 'tenderAmendment', 'tenderUpdate']);
    expect(pkg.releases.at(-1)!.tender.tenderPeriod.endDate).toBe(bj('2026-10-08T09:30:00'));

    const text = JSON.stringify(pkg);
    expect(text).not.toContain(w.ids.b1!.orgId!);
    expect(text).not.toContain('工期是否可以调整');
    expect(pkg.releases.every((r) => r.bids === undefined)).toBe(true);
    if (validator) expect(validator.releasePackage(pkg)).toEqual([]);
  });
});
