/**
 * Expert evaluation in Chromium (issue 4: "an expert logs in, checks in, scores, signs"; ADR 0019 + 0020).
 *
 * Set-up runs in this process on the server's own scenario driver (apps/server/test/scenarios): the same buildApp on
 * PGlite with a manual clock, listening on a port, so the browser talks to a real server over HTTP. A works tender is
 * published with a comprehensive scoring template, three bidders seal and submit, four experts are admitted to the
 * registry, the tenderer requests the expert draw and center staff run it; the opening closes (lot → evaluation).
 * The last confirmation seats the committee (the expert draw calls the evaluation's seatCommittee itself once every
 * seat is confirmed, ADR 0019 § seating): 4 experts + the nominated representative. The built web app is served to
 * the browser from apps/web/dist by request interception (the scenario app is built without a web root).
 *
 * In the browser, one expert: 我的评标邀请 → confirm → check in (conflict question: none) → 评标工作台 → review (one bid
 * fails with a reason) → scores (one far below the others) → submit → (others via the API) → own deviation flag corrected →
 * report produced by the chair → download, SHA-256 checked in the browser → sign. The candidates reach the award
 * module. Desktop and phone screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { advance, closeOpening, lotUrl, obtainAndPrepare, openAndDecrypt, openScenario, publishTender, submitBids, bj, type Bidder, type Scenario, type Tender } from '../apps/server/test/scenarios/scenario.driver';
import { TEST_PASSWORD, type Session } from '../apps/server/test/harness';
import { preparePgliteDump } from '../apps/server/test/fixture-db';
import { admitted } from '../apps/server/src/modules/experts/experts.fixture';
import { drawnCommittee } from '../apps/server/src/modules/expertdraw/index';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { ROOT } from './lib/server';
import { DESKTOP, PHONE, expectNoPageErrors, newPage, signIn, snap } from './lib/ui';

requireChromium();

const DIST = path.join(ROOT, 'apps/web/dist');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2' };

/** Serve the built web app for every non-API request of the context (same origin as the API). */
async function serveWeb(context: BrowserContext, base: string) {
  await context.route((u) => u.href.startsWith(base) && !u.pathname.startsWith('/api/'), async (route) => {
    const p = new URL(route.request().url()).pathname;
    const file = path.join(DIST, p);
    const hit = p !== '/' && file.startsWith(DIST) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(DIST, 'index.html');
    await route.fulfill({ status: 200, body: fs.readFileSync(hit), contentType: TYPES[path.extname(hit)] ?? 'application/octet-stream' });
  });
}

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

describe.skipIf(!hasChromium || !fs.existsSync(path.join(DIST, 'index.html')))('evaluation: invitation, check-in, review, scores, signature (Chromium)', () => {
  let sc: Scenario;
  let tender: Tender;
  let bidders: Record<string, Bidder>;
  let lotId = '';
  let base = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const experts: { id: string; s: Session; accountId: string; username: string }[] = [];
  let requestId = '';
  const ev = () => `/api/evaluation/lots/${lotId}`;

  beforeAll(async () => {
    // The migrated PGlite template the harness copies (the e2e project's global set-up does not make it).
    await preparePgliteDump();
    sc = await openScenario('pglite', 'eve');
    base = `http://127.0.0.1:${(sc.t.app.server.address() as { port: number }).port}`;
    browser = await launch();
    tender = await publishTender(sc, 'works_open_tender', { deadline: '2026-11-24T09:30:00' });
    bidders = await obtainAndPrepare(sc, tender, ['b1', 'b2', 'b3']);
    lotId = tender.lots[0]!.lotId;
    const reg = await sc.as('reg');
    for (let i = 1; i <= 4; i++) {
      const u = `eve-expert${i}`;
      experts.push({ ...(await admitted(sc.t, reg, u, { name: `评标专家${i}`, specialties: ['A0101'], regions: ['350200'], kinds: ['works'] })), username: u });
    }
    const tenderer = await sc.as('tenderer');
    const set = await tenderer.put(`${ev()}/template`, template);
    expect(set.statusCode, set.body).toBe(200);
    const nominate = await tenderer.post(`${ev()}/representatives`, { accountId: sc.w.ids.tenderer2!.accountId });
    expect(nominate.statusCode, nominate.body).toBe(204);
    // The expert draw: four A0101 experts for the afternoon of the opening day, run by center staff the day before.
    const req = await tenderer.post('/api/expert-draws', { tenderId: tender.id, lotNo: 1, quotas: [{ code: 'A0101', count: 4 }], evaluationAt: bj('2026-11-24T14:00:00'), confirmMinutes: 2880 });
    expect(req.statusCode, req.body).toBe(201);
    requestId = req.json().id;
    await advance(sc, '2026-11-16T10:00:00');
    await submitBids(sc, tender, bidders, { b1: '1000000', b2: '1100000', b3: '1200000' });
    await advance(sc, '2026-11-23T10:00:00');
    const ex = await (await sc.as('staff')).post(`/api/expert-draws/${requestId}/execute`);
    expect(ex.statusCode, ex.body).toBe(200);
    expect(ex.json().members).toHaveLength(4);
    ({ context, page, errors } = await newPage(browser, DESKTOP));
    await serveWeb(context, base);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await sc?.close();
  });

  it('the expert confirms the invitation in the browser; the others by the API; the opening closes', async () => {
    await signIn(page, base, experts[0]!.username, TEST_PASSWORD);
    await page.getByTestId('menu-evaluations').first().click();
    await page.getByTestId('ev-invitation-list').waitFor();
    await expect.poll(() => page.getByTestId('ev-inv-status').first().getAttribute('data-status')).toBe('invited');
    await snap(page, 'evaluation-invitation-desktop');
    await page.getByTestId('ev-confirm').click();
    await expect.poll(() => page.getByTestId('ev-inv-status').first().getAttribute('data-status')).toBe('confirmed');
    for (const e of experts.slice(1)) {
      const mine = (await e.s.get('/api/expert-draws/invitations/mine')).json() as { id: string }[];
      expect((await e.s.post(`/api/expert-draws/invitations/${mine[0]!.id}/confirm`)).statusCode).toBe(200);
    }
    await openAndDecrypt(sc, tender, bidders);
    expect(await closeOpening(sc, tender)).toMatchObject({ status: 'closed', lotStatus: 'evaluation' });
  });

  it('checks in with the conflict question answered "none"', async () => {
    await page.reload();
    await page.getByTestId('ev-checkin').click();
    await page.getByTestId('ev-conflict-no').waitFor();
    await snap(page, 'evaluation-checkin-desktop');
    await page.getByTestId('ev-checkin-ok').click();
    await page.getByTestId('ev-inv-checked-in').waitFor();
    for (const e of experts.slice(1)) {
      const mine = (await e.s.get('/api/expert-draws/invitations/mine')).json() as { id: string }[];
      expect((await e.s.post(`/api/expert-draws/invitations/${mine[0]!.id}/check-in`, { conflict: null })).json()).toEqual({ voided: false });
    }
    // Nobody seats the committee by hand: the last confirmation did (the draw's 4 experts + the representative).
    const members = await drawnCommittee(sc.t.ctx.db, lotId);
    expect(members).toHaveLength(4);
    const seated = await sc.t.ctx.db.selectFrom('eval_members as m').innerJoin('eval_committees as c', 'c.id', 'm.committee_id').select(['m.expert_id', 'm.kind']).where('c.lot_id', '=', lotId).execute();
    expect(seated.filter((m) => m.kind === 'expert').map((m) => m.expert_id).sort()).toEqual(members!.map((m) => m.expertId).sort());
    expect(seated.filter((m) => m.kind === 'representative')).toHaveLength(1);
  });

  it('reviews, scores and submits in the workspace; the others do it through the API', async () => {
    const rep = await sc.as('tenderer2');
    const others: Session[] = [...experts.slice(1).map((e) => e.s), rep];
    // From the checked-in invitation to the lot's workspace.
    await page.getByTestId('ev-open-workspace').click();
    await page.waitForURL(new RegExp(`/workbench/evaluations/lots/${lotId}$`));
    await expect.poll(() => page.getByTestId('ev-stage').getAttribute('data-stage')).toBe('review');
    const ws = (await experts[0]!.s.get(`${ev()}/workspace`)).json() as { bids: { bidId: string; bidderOrgId: string }[] };
    const idx = (b: string) => ws.bids.findIndex((x) => x.bidderOrgId === bidders[b]!.orgId);
    await page.getByTestId(`ev-review-${idx('b1')}-pass`).click();
    await page.getByTestId(`ev-review-${idx('b2')}-pass`).click();
    await page.getByTestId(`ev-review-${idx('b3')}-fail`).click();
    await expect.poll(() => page.getByTestId('ev-review-submit').isDisabled()).toBe(true); // a failing bid needs a reason
    await page.getByTestId(`ev-review-${idx('b3')}-reason`).fill('项目经理注册证书不符合要求');
    await snap(page, 'evaluation-review-desktop');
    await page.getByTestId('ev-review-submit').click();
    await page.getByTestId('ev-review-done').waitFor();
    const bidOf = (b: string) => ws.bids[idx(b)]!.bidId;
    for (const [k, s] of others.entries()) {
      for (const b of ['b1', 'b2']) expect((await s.put(`${ev()}/reviews/${bidOf(b)}`, { pass: true })).statusCode).toBe(204);
      expect((await s.put(`${ev()}/reviews/${bidOf('b3')}`, k < 2 ? { pass: false, reason: '项目经理注册证书不符合要求' } : { pass: true })).statusCode).toBe(204);
      expect((await s.post(`${ev()}/reviews/submit`)).statusCode).toBe(200);
    }
    await page.reload();
    await expect.poll(() => page.getByTestId('ev-stage').getAttribute('data-stage')).toBe('scoring');
    // Only b1 and b2 are left to score (b3 failed with three of five).
    await expect.poll(() => page.getByTestId('ev-score-bid').count()).toBe(2);
    const sbids = ((await experts[0]!.s.get(`${ev()}/workspace`)).json().bids as { bidId: string; bidderOrgId: string; qualified: boolean }[]).filter((b) => b.qualified);
    const si = (b: string) => sbids.findIndex((x) => x.bidderOrgId === bidders[b]!.orgId);
    await page.getByTestId(`ev-score-${si('b1')}-tech`).fill('40.5');
    await page.getByText('超出分值范围').first().waitFor();
    expect(await page.getByTestId('ev-scores-submit').isDisabled()).toBe(true);
    // 10 is far below the others' (30–36): the committee flags it after everyone submits.
    await page.getByTestId(`ev-score-${si('b1')}-tech`).fill('10');
    await page.getByTestId(`ev-score-${si('b1')}-biz`).fill('20');
    await page.getByTestId(`ev-score-${si('b2')}-tech`).fill('35');
    await page.getByTestId(`ev-score-${si('b2')}-biz`).fill('25');
    await page.getByTestId('ev-scores-save').click();
    await snap(page, 'evaluation-scoring-desktop');
    // Sealed: another member cannot read the scores before submitting their own.
    expect((await others[0]!.get(`${ev()}/scores`)).statusCode).toBe(403);
    await page.getByTestId('ev-scores-submit').click();
    await page.getByTestId('ev-scores-submit-ok').click();
    await page.getByTestId('ev-scores-done').waitFor();
    await expect.poll(() => page.getByTestId('ev-my-scores').locator('tr.ant-table-row').count()).toBe(4);
    const tech = ['30', '32', '34', '36'];
    const bid = (b: string) => sbids[si(b)]!;
    for (const [k, s] of others.entries()) {
      const r = await s.put(`${ev()}/scores`, { scores: [
        { bidId: bid('b1').bidId, item: 'tech', score: tech[k]! }, { bidId: bid('b1').bidId, item: 'biz', score: '20' },
        { bidId: bid('b2').bidId, item: 'tech', score: '35' }, { bidId: bid('b2').bidId, item: 'biz', score: '25' },
      ] });
      expect(r.statusCode, r.body).toBe(204);
      expect((await s.post(`${ev()}/scores/submit`)).statusCode).toBe(200);
    }
    // The expert's own 10 deviates: corrected in the browser (10 → 30, with a note) → results computed.
    await page.reload();
    await expect.poll(() => page.getByTestId('ev-stage').getAttribute('data-stage')).toBe('flags');
    await page.getByTestId('ev-flag').waitFor();
    await page.getByTestId('ev-flag-0-correct').click();
    await page.getByTestId('ev-flag-0-score').fill('30');
    await page.getByTestId('ev-flag-0-note').fill('录入有误，更正');
    await snap(page, 'evaluation-flag-desktop');
    await page.getByTestId('ev-flag-0-submit').click();
    await expect.poll(() => page.getByTestId('ev-stage').getAttribute('data-stage')).toBe('report');
  });

  it('downloads the report, checks its SHA-256 in the browser and signs; the candidates reach the award module', async () => {
    const all: Session[] = [...experts.map((e) => e.s), await sc.as('tenderer2')];
    let chair: Session | undefined;
    for (const s of all) if ((await s.get(`${ev()}/workspace`)).json().me.chair) chair = s;
    const produced = await chair!.post(`${ev()}/report`);
    expect(produced.statusCode, produced.body).toBe(200);
    const { reportSha256 } = produced.json() as { reportSha256: string };
    await page.reload();
    await expect.poll(() => page.getByTestId('ev-stage').getAttribute('data-stage')).toBe('report');
    await expect.poll(() => page.getByTestId('ev-result').count()).toBe(3);
    expect(await page.getByTestId('ev-report-sha').textContent()).toContain(reportSha256);
    expect(await page.getByTestId('ev-sign').isDisabled()).toBe(true); // not before the file is downloaded and checked
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ev-report-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^evaluation-report-.*\.pdf$/);
    await expect.poll(() => page.getByTestId('ev-report-check').getAttribute('data-match')).toBe('true');
    await snap(page, 'evaluation-report-desktop');
    await page.getByTestId('ev-sign').click();
    await page.getByTestId('ev-signed').waitFor();
    for (const s of all.slice(1)) expect((await s.post(`${ev()}/report/sign`, { sha256: reportSha256 })).statusCode).toBe(200);
    const award = (await (await sc.as('tenderer')).get(lotUrl(tender))).json();
    expect(award.result.source).toBe('expert');
    expect(award.result.candidates.map((c: { bidderOrgId: string }) => c.bidderOrgId)).toEqual([bidders.b2!.orgId, bidders.b1!.orgId]);
    await page.reload();
    await expect.poll(() => page.getByTestId('ev-stage').getAttribute('data-stage')).toBe('signed');
    await snap(page, 'evaluation-signed-desktop');
    expectNoPageErrors(errors);
  });

  it('is usable on a phone: cards for the invitations and the results', async () => {
    const phone = await newPage(browser, DESKTOP);
    await serveWeb(phone.context, base);
    await signIn(phone.page, base, experts[0]!.username, TEST_PASSWORD);
    await phone.page.setViewportSize(PHONE);
    await phone.page.goto(`${base}/workbench/evaluations`);
    await phone.page.getByTestId('ev-invitation').first().waitFor();
    await snap(phone.page, 'evaluation-invitations-phone');
    await phone.page.goto(`${base}/workbench/evaluations/lots/${lotId}`);
    await phone.page.getByTestId('ev-result').first().waitFor();
    await snap(phone.page, 'evaluation-workspace-phone');
    expectNoPageErrors(phone.errors);
    await phone.context.close();
  });
});
