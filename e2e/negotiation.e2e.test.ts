/**
 * Negotiation rounds in Chromium (ADR 0017): a 竞争性谈判 from the closed opening to the final offers. Set up through
 * the API (the project, the tender, three suppliers sealing their first responses with the SDK, the opening, rounds
 * and a written change). In the browser: the purchaser's negotiation panel (rounds, change recipients, sealed final
 * offers); bidder1 acknowledges the change, seals and submits its final offer with its key file, and after the
 * deadline decrypts it; the panel then ranks the final offers and the evaluation form is prefilled with them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { encodeContentKey, exportKeyFile, generateKeyPair, sealBid, signKeyProof, unwrapContentKey, type BidKeyPair, type Custodian, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { ApiSession } from './lib/api';
import { DESKTOP, PHONE, expectNoPageErrors, newPage, pdf, signIn, snap, uploadVia } from './lib/ui';

requireChromium();

const WAN = 1_000_000;
const KEY_PASSWORD = 'e2e-final-offer-口令';
const PROJECT = '思明区中小学教学设备采购（竞争性谈判）';

function weekdayAfter(from: Date, days: number, hhmm: string): string {
  const d = new Date(from.getTime() + days * 86_400_000 + 8 * 3_600_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return new Date(`${d.toISOString().slice(0, 10)}T${hhmm}:00+08:00`).toISOString();
}
const plusMin = (iso: string, m: number) => new Date(new Date(iso).getTime() + m * 60_000).toISOString();

/** Poll outside a test (set-up): expect.poll is for tests only. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe.skipIf(!hasChromium)('negotiation: rounds, a change notice and sealed final offers (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let tenderId = '';
  let finalDeadline = '';
  let keyFile: Buffer;
  const bidders: Record<string, { s: ApiSession; key: BidKeyPair; header?: SealedBidHeader; finalHeader?: SealedBidHeader }> = {};
  const url = (p: string) => `${server.url}${p}`;
  const neg = () => `/api/negotiation/tenders/${tenderId}/lots/1`;
  async function clockTo(iso: string) {
    await (await ApiSession.login(server.url, 'admin')).post('/api/dev/clock', { to: iso });
  }
  async function registerKey(s: ApiSession, key = generateKeyPair('ed25519')) {
    const { challenge } = await s.get<{ challenge: string }>('/api/identity/keys/challenge');
    await s.post('/api/identity/keys', { algorithm: key.algorithm, publicKey: key.publicKey, challenge, proof: signKeyProof(key, challenge) });
    return key;
  }
  async function seal(u: string, priceYuan: string, sealing: { lotId: string; k: number; custodians: Custodian[] }) {
    const parts: Uint8Array[] = [];
    const summary = await sealBid(
      { tenderId, lotIds: [sealing.lotId], priceSheet: { currency: 'CNY', lots: [{ lotId: sealing.lotId, priceYuan }] }, bidderKey: bidders[u]!.key, custodians: sealing.custodians, threshold: sealing.k },
      (x) => void parts.push(x),
    );
    return { bytes: Buffer.concat(parts), summary };
  }
  const login = (u: string) => ApiSession.login(server.url, u);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: { YIWANG_CLOCK_CONTROL: '1' } }), launch()]);
    ({ context, page, errors } = await newPage(browser));
    page.setDefaultTimeout(60_000);
    const tenderer = await login('tenderer1');
    const materials = [];
    for (const code of ['procurement_plan', 'procurement_requirements']) materials.push({ code, fileId: await tenderer.upload(`${code}.pdf`, pdf(code)) });
    const project = await tenderer.post<{ id: string }>('/api/projects', {
      name: PROJECT,
      catalogCode: 'gp.goods',
      procedureType: 'competitive_negotiation',
      subject: 'goods',
      regionCode: '350203',
      estimateFen: 300 * WAN,
      lots: [{ name: '教学设备', estimateFen: 300 * WAN }],
      materials,
    });
    await tenderer.post(`/api/projects/${project.id}/submit`);
    const intake = await login('intake1');
    await intake.post(`/api/projects/${project.id}/accept`);
    const regulator = await login('regulator2');
    for (const s of [intake, regulator, tenderer]) await registerKey(s);
    const { now } = (await (await fetch(url('/api/dev/clock'))).json()) as { now: string };
    const deadline = weekdayAfter(new Date(now), 14, '09:30');
    const doc = await tenderer.upload('谈判文件.pdf', pdf('negotiation documents'));
    const created = await tenderer.post<{ id: string }>('/api/tendering/tenders', {
      projectId: project.id,
      procedureType: 'competitive_negotiation',
      lots: [{ lotNo: 1, depositFen: 0, bidDeadline: deadline }],
      documentIds: [doc],
      escrow: { k: 2, custodianAccountIds: [intake.accountId, regulator.accountId, tenderer.accountId] },
    });
    tenderId = created.id;
    await tenderer.post(`/api/tendering/tenders/${tenderId}/publish`);

    // Three suppliers obtain the documents and seal their first responses; bidder1's key also as a key file.
    const firsts: Record<string, string> = { bidder1: '2950000.00', bidder2: '2888000.00', bidder3: '2799000.00' };
    for (const u of Object.keys(firsts)) {
      const s = await login(u);
      await s.post(`/api/tendering/tenders/${tenderId}/obtain`);
      bidders[u] = { s, key: await registerKey(s, generateKeyPair(u === 'bidder1' ? 'sm2' : 'ed25519')) };
    }
    keyFile = Buffer.from(JSON.stringify(await exportKeyFile(bidders.bidder1!.key, KEY_PASSWORD, { label: '谈判专用' })));
    const sealing = await bidders.bidder1!.s.get<{ lots: { lotId: string }[]; escrow: { k: number; custodians: Custodian[] } }>(`/api/bidding/tenders/${tenderId}/sealing`);
    const sl = { lotId: sealing.lots[0]!.lotId, k: sealing.escrow.k, custodians: sealing.escrow.custodians };
    for (const [u, price] of Object.entries(firsts)) {
      const { bytes, summary } = await seal(u, price, sl);
      bidders[u]!.header = summary.header;
      const res = await bidders[u]!.s.raw('PUT', `/api/bidding/tenders/${tenderId}/lots/1/bid`, bytes, { 'content-type': 'application/octet-stream' });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    // The opening: each decrypts; the objection period passes; the lot goes to negotiation.
    await clockTo(deadline);
    await until(async () => (await (await login('bidder2')).get<{ status: string }>(`/api/bidding/tenders/${tenderId}/lots/1/opening`)).status, (s) => s === 'decrypting', 'the opening room');
    for (const u of Object.keys(firsts)) {
      const s = await login(u);
      await s.post(`/api/bidding/tenders/${tenderId}/lots/1/opening/decrypt`, { contentKey: encodeContentKey(await unwrapContentKey(bidders[u]!.header!, bidders[u]!.key)) });
    }
    await clockTo(plusMin(deadline, 20));
    await until(async () => (await (await login('tenderer1')).raw('GET', neg())).json() as Promise<{ lotStatus?: string }>, (v) => v.lotStatus === 'negotiating', 'the negotiation');

    // Rounds with each supplier and a written change, through the API.
    await clockTo(plusMin(deadline, 240));
    const t2 = await login('tenderer1');
    const v = await t2.get<{ participants: { orgId: string; name: string }[] }>(neg());
    for (const p of v.participants) await t2.post(`${neg()}/rounds`, { roundNo: 1, bidderOrgId: p.orgId, minutesText: `第一轮谈判：就供货范围、交货期和价格与${p.name}进行了谈判。` });
    await t2.post(`${neg()}/changes`, { text: '技术要求第 3.2 条修改为：交货期不超过 45 日；其余不变。', purchaserConfirmed: true });
    finalDeadline = plusMin(deadline, 360);
    await t2.post(`${neg()}/final-offers/call`, { deadline: finalDeadline });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the purchaser sees the rounds, who received the change, and final offers sealed until the deadline', async () => {
    await signIn(page, server.url, 'tenderer1');
    await page.goto(url(`/workbench/tenders/${tenderId}?tab=negotiation`));
    await expect.poll(() => page.getByTestId('negotiation-panel').getAttribute('data-stage')).toBe('final_offers');
    expect(await page.getByTestId('ng-participant').count()).toBe(3);
    expect(await page.getByTestId('ng-round').count()).toBe(3);
    await page.getByTestId('ng-sealed').waitFor();
    expect(await page.getByTestId('ng-final-offers').count()).toBe(0);
    await snap(page, 'neg-01-panel-sealed');
    await page.setViewportSize(PHONE);
    await snap(page, 'neg-01b-panel-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('bidder1 reads its own minutes and the change, acknowledges it, seals and submits its final offer in the browser', async () => {
    await context.clearCookies();
    await signIn(page, server.url, 'bidder1');
    await page.goto(url(`/workbench/bids/${tenderId}/lots/1/negotiation`));
    await page.getByTestId('ng-supplier').waitFor();
    expect(await page.getByTestId('ng-my-round').count()).toBe(1); // its own round only
    await page.getByTestId('ng-acknowledge').click();
    await expect.poll(() => page.getByTestId('ng-my-change').innerText()).toContain('已确认收到');
    await page.getByTestId('ng-final-price').fill('2,760,000');
    await uploadVia(page, 'ng-keyfile', { name: 'key.json', mimeType: 'application/json', buffer: keyFile });
    await page.getByTestId('ng-keypass').fill(KEY_PASSWORD);
    await page.getByTestId('ng-keyunlock').click();
    await page.getByTestId('ng-keyloaded').waitFor({ timeout: 120_000 });
    await snap(page, 'neg-02-supplier-final-form');
    await page.getByTestId('ng-final-submit').click();
    await page.getByTestId('ng-receipt').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('ng-final-current').getAttribute('data-decryption')).toBe('pending');
    await snap(page, 'neg-03-supplier-submitted');
    await page.setViewportSize(PHONE);
    await snap(page, 'neg-03b-supplier-phone');
    await page.setViewportSize(DESKTOP);
    // The purchaser still cannot read it.
    const r = await (await login('tenderer1')).raw('GET', `${neg()}/final-offers`);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe('NEGOTIATION_FINAL_OFFERS_SEALED');
  });

  it('the others submit through the API; after the deadline bidder1 decrypts in the browser and the panel ranks the offers', async () => {
    const s = await login('bidder2');
    const view = await s.get<{ sealing: { lotId: string; k: number; custodians: Custodian[] } }>(neg());
    for (const [u, price] of [
      ['bidder2', '2750000.00'],
      ['bidder3', '2790000.00'],
    ] as const) {
      const { bytes, summary } = await seal(u, price, view.sealing);
      bidders[u]!.finalHeader = summary.header;
      const res = await (await login(u)).raw('PUT', `${neg()}/final-offer`, bytes, { 'content-type': 'application/octet-stream' });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    await clockTo(plusMin(finalDeadline, 1));
    await expect.poll(async () => (await (await login('bidder2')).get<{ stage: string }>(neg())).stage, { timeout: 60_000, interval: 1000 }).toBe('decrypting');
    await context.clearCookies();
    await signIn(page, server.url, 'bidder1');
    await page.goto(url(`/workbench/bids/${tenderId}/lots/1/negotiation`));
    await uploadVia(page, 'ng-dec-keyfile', { name: 'key.json', mimeType: 'application/json', buffer: keyFile });
    await page.getByTestId('ng-dec-keypass').fill(KEY_PASSWORD);
    await page.getByTestId('ng-dec-keyunlock').click();
    await page.getByTestId('ng-dec-keyloaded').waitFor({ timeout: 120_000 });
    await page.getByTestId('ng-decrypt').click();
    await expect.poll(() => page.getByTestId('ng-final-current').getAttribute('data-decryption'), { timeout: 30_000 }).toBe('decrypted');
    for (const u of ['bidder2', 'bidder3']) {
      const b = bidders[u]!;
      await (await login(u)).post(`${neg()}/final-offer/decrypt`, { contentKey: encodeContentKey(await unwrapContentKey(b.finalHeader!, b.key)) });
    }
    await page.reload();
    await expect.poll(() => page.getByTestId('ng-supplier').getAttribute('data-stage')).toBe('concluded');
    await expect.poll(() => page.getByTestId('ng-my-final-price').innerText()).toContain('2,760,000.00');
    await snap(page, 'neg-04-supplier-decrypted');

    await context.clearCookies();
    await signIn(page, server.url, 'tenderer1');
    await page.goto(url(`/workbench/tenders/${tenderId}?tab=negotiation`));
    await expect.poll(() => page.getByTestId('negotiation-panel').getAttribute('data-stage')).toBe('concluded');
    const ranking = await page.getByTestId('ng-final-offers').innerText();
    expect(ranking.indexOf('2,750,000.00')).toBeLessThan(ranking.indexOf('2,760,000.00'));
    await snap(page, 'neg-05-panel-ranked');
    await page.setViewportSize(PHONE);
    await snap(page, 'neg-05b-panel-ranked-phone');
    await page.setViewportSize(DESKTOP);
    // The evaluation form offers the suppliers still in at their final prices, cheapest first.
    await page.goto(url(`/workbench/tenders/${tenderId}?tab=award`));
    await page.getByTestId('evaluation-form').waitFor();
    await expect.poll(() => page.getByTestId('eval-candidate-0').innerText()).toContain('2,750,000.00');
    await snap(page, 'neg-06-evaluation-prefilled');
    expectNoPageErrors(errors);
  });

  it('单一来源: a signed-in visitor objects to the publicity on the portal page; the purchaser sees it in its tab', async () => {
    const tenderer = await login('tenderer1');
    const materials = [];
    for (const code of ['procurement_plan', 'procurement_requirements']) materials.push({ code, fileId: await tenderer.upload(`${code}.pdf`, pdf(code)) });
    const project = await tenderer.post<{ id: string }>('/api/projects', {
      name: '思明区专用检测仪器采购（单一来源）',
      catalogCode: 'gp.goods',
      procedureType: 'single_source',
      subject: 'goods',
      regionCode: '350203',
      estimateFen: 120 * WAN,
      lots: [{ name: '专用检测仪器', estimateFen: 120 * WAN }],
      materials,
    });
    await tenderer.post(`/api/projects/${project.id}/submit`);
    const intake = await login('intake1');
    await intake.post(`/api/projects/${project.id}/accept`);
    const regulator = await login('regulator2');
    const { now } = (await (await fetch(url('/api/dev/clock'))).json()) as { now: string };
    const doc = await tenderer.upload('单一来源采购文件.pdf', pdf('single source'));
    const b1 = await login('bidder1');
    const created = await tenderer.post<{ id: string }>('/api/tendering/tenders', {
      projectId: project.id,
      procedureType: 'single_source',
      lots: [{ lotNo: 1, depositFen: 0, bidDeadline: weekdayAfter(new Date(now), 14, '09:30') }],
      documentIds: [doc],
      escrow: { k: 2, custodianAccountIds: [intake.accountId, regulator.accountId, tenderer.accountId] },
      invitedOrgIds: [b1.orgId],
    });
    await tenderer.post(`/api/tendering/tenders/${created.id}/publish`);

    await context.clearCookies();
    await signIn(page, server.url, 'bidder2');
    await page.goto(url(`/tenders/${created.id}`));
    await page.getByTestId('ss-objection').waitFor();
    await page.getByTestId('ss-objection-text').fill('本单位同样能够提供该型号检测仪器，不属于只能从唯一供应商处采购的情形。');
    await page.getByTestId('ss-objection-submit').click();
    await page.getByTestId('ss-objection-sent').waitFor();
    await snap(page, 'neg-07-single-source-objection');
    const seen = await (await login('tenderer1')).get<{ items: { objector: string; status: string }[] }>(`/api/negotiation/tenders/${created.id}/single-source-objections`);
    expect(seen.items).toHaveLength(1);
    expect(seen.items[0]).toMatchObject({ status: 'open' });
    expectNoPageErrors(errors);
  });
});
