/**
 * Issue 3 "Done when", in Chromium: a tender from publication to the notice of award, with the bidder's part in the
 * browser. Set up through the API (not the UI under test): the tenderer registers a project, the window accepts it,
 * the custodians register keys, the tenderer publishes the tender. In the browser, bidder1 generates and registers a
 * key, obtains and downloads the documents, asks a question, seals and submits a bid (receipt shown and verified).
 * bidder2 and bidder3 bid through the API with the SDK. The demo clock moves to the deadline; in the opening room
 * bidder1 decrypts in the browser, the others through the API. The tenderer (API) enters the evaluation result,
 * publishes the candidates and awards; the result is on the portal and the winner downloads the notice PDF.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { encodeContentKey, generateKeyPair, sealBid, signKeyProof, unwrapContentKey, type BidKeyPair, type Custodian, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { ApiSession } from './lib/api';
import { DESKTOP, PHONE, expectNoPageErrors, newPage, pdf, signIn, snap, uploadVia } from './lib/ui';

requireChromium();

const WAN = 1_000_000; // 1 万元 in 分
const KEY_PASSWORD = 'e2e-bid-key-口令-2026';
const PROJECT = '湖里区五缘湾片区道路提升改造工程';

/** 09:30 Beijing on a weekday at least `days` after `from`. */
function deadlineAfter(from: Date, days: number): string {
  const d = new Date(from.getTime() + days * 86_400_000 + 8 * 3_600_000); // Beijing calendar via UTC+8 fields
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  const day = d.toISOString().slice(0, 10);
  return new Date(`${day}T09:30:00+08:00`).toISOString();
}

describe.skipIf(!hasChromium)('bidding from a published tender to the notice of award (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let tenderId = '';
  let deadline = '';
  let keyFile: Buffer;
  const apiBidders: Record<string, { s: ApiSession; key: BidKeyPair; header?: SealedBidHeader }> = {};
  let bidder1Org = '';
  let admin: ApiSession;

  const url = (p: string) => `${server.url}${p}`;
  async function clockTo(iso: string) {
    admin = await ApiSession.login(server.url, 'admin');
    await admin.post('/api/dev/clock', { to: iso });
  }
  async function registerKey(s: ApiSession, key = generateKeyPair('ed25519')) {
    const { challenge } = await s.get<{ challenge: string }>('/api/identity/keys/challenge');
    await s.post('/api/identity/keys', { algorithm: key.algorithm, publicKey: key.publicKey, challenge, proof: signKeyProof(key, challenge) });
    return key;
  }
  /** Sign bidder1 in again (sessions end when the clock jumps past their lifetime); localStorage is kept. */
  async function resignIn() {
    await context.clearCookies();
    await signIn(page, server.url, 'bidder1');
  }
  async function room(s: ApiSession) {
    return s.get<{ status: string; bids: { mine: boolean; decryption: string; priceFen: number | null }[]; windowEndsAt: string | null; objectionsUntil: string | null }>(`/api/bidding/tenders/${tenderId}/lots/1/opening`);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: { YIWANG_CLOCK_CONTROL: '1' } }), launch()]);
    ({ context, page, errors } = await newPage(browser));
    page.setDefaultTimeout(60_000);

    // The tenderer registers the project; the intake window accepts it.
    const tenderer = await ApiSession.login(server.url, 'tenderer1');
    const materials = [];
    for (const code of ['project_approval', 'funding_proof', 'tender_plan']) materials.push({ code, fileId: await tenderer.upload(`${code}.pdf`, pdf(code)) });
    const project = await tenderer.post<{ id: string }>('/api/projects', {
      name: PROJECT,
      catalogCode: 'works.housing',
      procedureType: 'works_open_tender',
      subject: 'works',
      regionCode: '350206',
      estimateFen: 500 * WAN,
      lots: [{ name: '道路施工标段', estimateFen: 500 * WAN }],
      materials,
    });
    await tenderer.post(`/api/projects/${project.id}/submit`);
    const intake = await ApiSession.login(server.url, 'intake1');
    await intake.post(`/api/projects/${project.id}/accept`);

    // Custodians of the escrow: the center, the regulator, the tenderer — each registers a key.
    const regulator = await ApiSession.login(server.url, 'regulator1');
    for (const s of [intake, regulator, tenderer]) await registerKey(s);

    const { now } = await (await fetch(url('/api/dev/clock'))).json() as { now: string };
    deadline = deadlineAfter(new Date(now), 28);
    const doc = await tenderer.upload('招标文件.pdf', pdf('tender documents'));
    const created = await tenderer.post<{ id: string }>('/api/tendering/tenders', {
      projectId: project.id,
      lots: [{ lotNo: 1, depositFen: 8 * WAN, bidDeadline: deadline }],
      documentIds: [doc],
      escrow: { k: 2, custodianAccountIds: [intake.accountId, regulator.accountId, tenderer.accountId] },
    });
    tenderId = created.id;
    await tenderer.post(`/api/tendering/tenders/${tenderId}/publish`);

    // Two more bidders, through the API with the SDK.
    for (const u of ['bidder2', 'bidder3']) {
      const s = await ApiSession.login(server.url, u);
      await s.post(`/api/tendering/tenders/${tenderId}/obtain`);
      apiBidders[u] = { s, key: await registerKey(s, generateKeyPair(u === 'bidder2' ? 'sm2' : 'p256')) };
    }
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the public tender page shows the published tender', async () => {
    await page.goto(url(`/tenders/${tenderId}`));
    await expect.poll(() => page.getByTestId('ptender-title').innerText()).toContain(PROJECT);
    expect(await page.getByTestId('ptender-lot').count()).toBe(1);
    await snap(page, 'bid-01-public-tender');
  });

  it('bidder1 generates a key in the browser, registers it and downloads the key file', async () => {
    await signIn(page, server.url, 'bidder1');
    await page.getByTestId('menu-bids').first().click();
    await page.getByTestId('bid-keys-link').click();
    await page.getByTestId('bidkey-form').waitFor();
    await page.getByTestId('bidkey-alg').getByText('SM2').click();
    await page.getByTestId('bidkey-label').fill('投标专用');
    await page.getByTestId('bidkey-password').fill(KEY_PASSWORD);
    await page.getByTestId('bidkey-confirm').fill(KEY_PASSWORD);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('bidkey-generate').click()]);
    keyFile = fs.readFileSync((await download.path())!);
    const parsed = JSON.parse(keyFile.toString('utf8'));
    expect(parsed.kdf.name).toBe('scrypt');
    expect(keyFile.toString('utf8')).not.toMatch(/secretKey/);
    await page.getByTestId('bidkey-done').waitFor();
    await expect.poll(() => page.getByTestId('bidkey-item').count()).toBeGreaterThan(0);
    await snap(page, 'bid-02-keys');
  });

  it('bidder1 finds the tender, obtains and downloads the documents and asks a question', async () => {
    await page.goto(url('/workbench/bids'));
    await page.getByTestId('bid-tender-link').filter({ hasText: PROJECT }).first().click();
    await page.getByTestId('bid-tender-title').waitFor();
    await snap(page, 'bid-03-tender-before-obtain');
    await page.getByTestId('bid-obtain').click();
    await page.getByTestId('bid-obtained').waitFor();
    const [doc] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bid-document-download').first().click()]);
    expect(doc.suggestedFilename()).toBe('招标文件.pdf');
    await page.getByRole('tab', { name: '提问与澄清' }).first().click();
    await page.getByTestId('bid-question-text').fill('道路施工期间的交通疏导费用是否单列？');
    await page.getByTestId('bid-question-submit').click();
    await expect.poll(() => page.getByTestId('bid-question-list').innerText()).toContain('交通疏导');
    await snap(page, 'bid-04-tender-obtained');
    await page.setViewportSize(PHONE);
    await page.getByRole('tab', { name: '招标文件' }).first().click();
    await snap(page, 'bid-04b-tender-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('bidder1 seals and submits a bid in the browser; the receipt verifies', async () => {
    await page.getByTestId('bid-lot-1-submit').first().click();
    await page.getByTestId('bid-form').waitFor();
    await page.getByTestId('bid-price').fill('4,860,000.5');
    await page.getByTestId('bid-duration').fill('300');
    await page.getByTestId('bid-quality').fill('合格');
    await page.locator('[data-testid=bid-files] input[type=file]').setInputFiles([
      { name: '商务标.pdf', mimeType: 'application/pdf', buffer: pdf('commercial') },
      { name: '技术标.pdf', mimeType: 'application/pdf', buffer: pdf('technical') },
    ]);
    await page.getByTestId('bid-deposit-ref').fill('BH-2026-E2E-001');
    await uploadVia(page, 'bid-keyfile', { name: 'key.json', mimeType: 'application/json', buffer: keyFile });
    await page.getByTestId('bid-keypass').fill(KEY_PASSWORD);
    await page.getByTestId('bid-keyunlock').click();
    await page.getByTestId('bid-keyloaded').waitFor({ timeout: 120_000 });
    await snap(page, 'bid-05-submit-form');
    await page.getByTestId('bid-seal-submit').click();
    await page.getByTestId('bid-receipt').waitFor({ timeout: 120_000 });
    await page.getByTestId('bid-receipt-verify').click();
    await expect.poll(() => page.getByTestId('bid-receipt-check').getAttribute('data-valid')).toBe('true');
    await expect.poll(() => page.getByTestId('bid-receipt-check').innerText()).toContain('与平台存证记录一致');
    await page.getByTestId('bid-current').waitFor();
    await snap(page, 'bid-06-receipt');
    await page.setViewportSize(PHONE);
    await snap(page, 'bid-06b-receipt-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('bidder2 and bidder3 submit through the API with the SDK', async () => {
    const b1 = await ApiSession.login(server.url, 'bidder1');
    bidder1Org = b1.orgId!;
    const prices: Record<string, string> = { bidder2: '4950000.00', bidder3: '4799999.99' };
    for (const [u, b] of Object.entries(apiBidders)) {
      const sealing = await b.s.get<{ lots: { lotId: string }[]; escrow: { k: number; custodians: Custodian[] } }>(`/api/bidding/tenders/${tenderId}/sealing`);
      const lotId = sealing.lots[0]!.lotId;
      const parts: Uint8Array[] = [];
      const text = new TextEncoder().encode(`${u} 技术标`);
      const summary = await sealBid(
        {
          tenderId,
          lotIds: [lotId],
          priceSheet: { currency: 'CNY', lots: [{ lotId, priceYuan: prices[u]!, durationDays: 320, quality: '合格' }] },
          files: [{ name: '技术标.txt', mediaType: 'text/plain', size: text.length, content: text }],
          bidderKey: b.key,
          custodians: sealing.escrow.custodians.map((c) => ({ kind: c.kind, accountId: c.accountId, algorithm: c.algorithm, publicKey: c.publicKey })),
          threshold: sealing.escrow.k,
        },
        (x) => void parts.push(x),
      );
      b.header = summary.header;
      const res = await b.s.raw('PUT', `/api/bidding/tenders/${tenderId}/lots/1/bid?depositKind=guarantee&depositRef=BH-${u}`, Buffer.concat(parts), { 'content-type': 'application/octet-stream' });
      expect(res.status, await res.clone().text()).toBe(201);
    }
  });

  it('at the deadline the room opens; bidder1 decrypts in the browser, the others through the API', async () => {
    await clockTo(deadline);
    const b2 = await ApiSession.login(server.url, 'bidder2');
    await expect.poll(async () => (await room(b2)).status, { timeout: 60_000, interval: 1000 }).toBe('decrypting');
    // The session of the browser ended with the jump of the clock: sign in again.
    await resignIn();
    await page.goto(url(`/workbench/bids/${tenderId}/lots/1/opening`));
    await expect.poll(() => page.getByTestId('room-status').getAttribute('data-status')).toBe('decrypting');
    await expect.poll(() => page.getByTestId('room-live').innerText()).toBe('实时');
    await page.getByTestId('room-header-ready').waitFor();
    await snap(page, 'bid-07-room-decrypting');
    await uploadVia(page, 'room-keyfile', { name: 'key.json', mimeType: 'application/json', buffer: keyFile });
    await page.getByTestId('room-keypass').fill(KEY_PASSWORD);
    await page.getByTestId('room-keyunlock').click();
    await page.getByTestId('room-keyloaded').waitFor({ timeout: 120_000 });
    await page.getByTestId('room-decrypt-submit').click();
    await expect.poll(() => page.getByTestId('room-bids').innerText(), { timeout: 30_000 }).toContain('¥4,860,000.50');
    for (const [u, b] of Object.entries(apiBidders)) {
      const s = await ApiSession.login(server.url, u);
      const contentKey = encodeContentKey(await unwrapContentKey(b.header!, b.key));
      await s.post(`/api/bidding/tenders/${tenderId}/lots/1/opening/decrypt`, { contentKey });
    }
    await snap(page, 'bid-08-room-decrypted');
  });

  it('once every bid is decrypted the opening record is drawn up, shown in the room, and the objection period runs', async () => {
    // All three decrypted: the room does not wait for the end of the window (bidding/commands/decrypt.ts).
    await expect.poll(async () => (await room(await ApiSession.login(server.url, 'bidder2'))).status, { timeout: 60_000, interval: 1000 }).toBe('objections');
    await resignIn();
    await page.goto(url(`/workbench/bids/${tenderId}/lots/1/opening`));
    await expect.poll(() => page.getByTestId('room-status').getAttribute('data-status')).toBe('objections');
    expect(await page.getByTestId('room-price').count()).toBe(3);
    await page.getByTestId('room-record-link').waitFor();
    await snap(page, 'bid-09-room-record');
    await page.setViewportSize(PHONE);
    await snap(page, 'bid-09b-room-phone');
    await page.setViewportSize(DESKTOP);
    const until = (await room(await ApiSession.login(server.url, 'bidder2'))).objectionsUntil!;
    await clockTo(new Date(new Date(until).getTime() + 60_000).toISOString());
    await expect.poll(async () => (await room(await ApiSession.login(server.url, 'bidder2'))).status, { timeout: 60_000, interval: 1000 }).toBe('closed');
  });

  it('the tenderer enters the result, publishes the candidates and awards; bidder1 sees it and downloads the notice', async () => {
    const tenderer = await ApiSession.login(server.url, 'tenderer1');
    const lot = `/api/award/tenders/${tenderId}/lots/1`;
    await expect.poll(async () => (await tenderer.get<{ status: string }>(lot)).status, { timeout: 60_000, interval: 1000 }).toBe('evaluation');
    const report = await tenderer.upload('评标报告.pdf', pdf('evaluation report'));
    const org = async (u: string) => (await ApiSession.login(server.url, u)).orgId!;
    await tenderer.post(`${lot}/evaluation-result`, {
      reportFileId: report,
      candidates: [
        { rank: 1, bidderOrgId: bidder1Org },
        { rank: 2, bidderOrgId: await org('bidder3') },
        { rank: 3, bidderOrgId: await org('bidder2') },
      ],
    });
    const pub = await tenderer.post<{ endsAt: string }>(`${lot}/publicity`, {});

    await resignIn();
    await page.goto(url(`/workbench/bids/${tenderId}/lots/1/result`));
    await expect.poll(() => page.getByTestId('result-candidates').innerText()).toContain('¥4,860,000.50');
    await snap(page, 'bid-10-publicity');

    await clockTo(new Date(new Date(pub.endsAt).getTime() + 60_000).toISOString());
    const t2 = await ApiSession.login(server.url, 'tenderer1');
    await t2.post(`${lot}/award`, {});

    await resignIn();
    await page.goto(url(`/workbench/bids/${tenderId}/lots/1/result`));
    await page.getByTestId('result-award').waitFor();
    const [notice] = await Promise.all([page.waitForEvent('download'), page.getByTestId('result-notice-pdf').click()]);
    const bytes = fs.readFileSync((await notice.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await snap(page, 'bid-11-award');
    await page.setViewportSize(PHONE);
    await snap(page, 'bid-11b-award-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('the award result is on the portal: the public tender page lists the opening record and the result', async () => {
    const visitor = await newPage(browser);
    await visitor.page.goto(url(`/tenders/${tenderId}`));
    await expect.poll(() => visitor.page.getByTestId('ptender-notice').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const text = await visitor.page.getByTestId('ptender-notice').allInnerTexts();
    expect(text.join('\n')).toContain('开标记录');
    await snap(visitor.page, 'bid-12-public-after');
    await visitor.page.setViewportSize(PHONE);
    await snap(visitor.page, 'bid-12b-public-phone');
    expectNoPageErrors(visitor.errors);
    await visitor.context.close();
    expectNoPageErrors(errors);
    await context.close();
  });
});
