/**
 * A tender through its life in the browser (tenderer side): tenderer1 creates a tender from its accepted project
 * (earliest legal deadline from the server, deposits in 元, documents, escrow custodians), publishes it, answers a
 * bidder's anonymous question with a clarification; three bidders seal and submit bids with the SDK over the API;
 * the demo clock passes the deadline, the bidders decrypt, the tenderer sees the opening record (and lot 2 failed
 * with no bids), enters the evaluation result, publishes the candidate publicity, awards after it ends and downloads
 * the notice of award. Center pages (refunds desk, key custody) are opened too. Screenshots desktop + phone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodeContentKey, generateKeyPair, sealBid, signKeyProof, unwrapContentKey, type BidKeyPair, type Custodian, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium, shot } from './lib/browser';
import { chooseOption, DEMO_PASSWORD, expectNoPageErrors, newPage, pdf, PHONE, signIn, snap, uploadVia } from './lib/ui';
import { ApiSession } from './lib/session';

requireChromium();

const PROJECT = '思明区第二实验小学教学楼改扩建工程';
const file = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdf(name) });
const BIDDERS = ['bidder1', 'bidder2', 'bidder3'] as const;
const PRICES: Record<string, string> = { bidder1: '12500000.00', bidder2: '12388000.50', bidder3: '12299999.99' };

/** Sign in on a phone viewport: the menu lives in a drawer there, so wait for its toggle. */
async function signInPhone(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  const form = page.getByTestId('login-username');
  await form.or(page.getByTestId('workbench-drawer-toggle').first()).first().waitFor();
  if (!(await form.isVisible())) return;
  await form.fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/workbench/);
  await page.getByTestId('workbench-drawer-toggle').first().waitFor();
}

/** After a clock move the session may or may not have outlived its TTL: sign in only when the login form shows. */
async function resignIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  const form = page.getByTestId('login-username');
  const menu = page.getByTestId('workbench-menu').first();
  await form.or(menu).first().waitFor();
  if (await form.isVisible()) await signIn(page, base, username);
}

async function registerKey(s: ApiSession): Promise<BidKeyPair> {
  const key = generateKeyPair('ed25519');
  const { challenge } = await s.get<{ challenge: string }>('/api/identity/keys/challenge');
  await s.post('/api/identity/keys', { algorithm: key.algorithm, publicKey: key.publicKey, challenge, proof: signKeyProof(key, challenge) });
  return key;
}

describe.skipIf(!hasChromium)('a tender from an accepted project to the notice of award (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let phone: Page;
  const errors: string[][] = [];
  let tenderId = '';
  let deadline = '';
  const custodians: Record<string, string> = {};
  const keys: Record<string, BidKeyPair> = {};
  const orgs: Record<string, { id: string; name: string }> = {};
  const headers: Record<string, SealedBidHeader> = {};

  const base = () => server.url;
  const as = (u: string) => ApiSession.login(base(), u);
  /** Move the demo clock (admin; forward only; runs the jobs that became due). Sessions may expire: sign in anew. */
  async function clockTo(iso: string) {
    const admin = await as('admin');
    await admin.post('/api/dev/clock', { to: iso });
  }
  async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await f().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  async function lotStatus(lotNo: number): Promise<string> {
    const t = await (await as('tenderer1')).get<{ lots: { lotNo: number; status: string }[] }>(`/api/tendering/tenders/${tenderId}`);
    return t.lots.find((l) => l.lotNo === lotNo)!.status;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: { YIWANG_CLOCK_CONTROL: '1' } }), launch()]);
    const admin = await as('admin');
    for (const u of ['intake1', 'regulator1', 'tenderer1']) {
      const r = await admin.get<{ items: { id: string; username: string }[] }>(`/api/admin/accounts?q=${u}`);
      custodians[u] = r.items.find((a) => a.username === u)!.id;
      keys[u] = await registerKey(await as(u));
    }
    const d = await newPage(browser);
    const p = await newPage(browser, PHONE);
    page = d.page;
    phone = p.page;
    errors.push(d.errors, p.errors);
    await signIn(page, base(), 'tenderer1');
    await signInPhone(phone, base(), 'tenderer1');
  }, 300_000);

  afterEach(async (ctx) => {
    // A failed step leaves what the pages showed, to look at.
    if (ctx.task.result?.state === 'fail')
      for (const [name, p] of [['desktop', page], ['phone', phone]] as const) await shot(p, `fail-tender-${name}`).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the tenderer creates a tender from the accepted project, with the earliest legal deadline from the server', async () => {
    const p = page;
    await p.goto(`${base()}/workbench/tenders`);
    await p.getByTestId('tender-new').click();
    await p.getByTestId('tender-form').waitFor();
    await chooseOption(p, 'tender-project', PROJECT);
    await p.getByTestId('tender-lot-1').waitFor();
    await p.getByTestId('tender-earliest').waitFor();
    const earliest = /(\d{4}-\d{2}-\d{2})/.exec((await p.getByTestId('tender-earliest').innerText()) ?? '')![1]!;
    await p.getByTestId('tender-use-earliest').click();
    expect(await p.getByTestId('tender-deadline-0').inputValue()).toBe(`${earliest} 09:30`);
    await p.getByTestId('tender-deposit-0').fill('50,000');
    await p.getByTestId('tender-deposit-1').fill('30000.5');
    await uploadVia(p, 'tender-documents', file('招标文件.pdf'));
    await p.locator('.ant-upload-list-item').filter({ hasText: '招标文件.pdf' }).waitFor();
    for (const u of ['intake1', 'regulator1', 'tenderer1']) {
      await p.getByTestId('tender-custodians').click();
      await p.keyboard.type(custodians[u]!);
      await p.keyboard.press('Enter');
    }
    await p.keyboard.press('Escape');
    await snap(p, 'tender-1-form');
    await p.getByTestId('tender-save').click();
    await p.waitForURL(/\/workbench\/tenders\/[0-9a-f-]{36}$/);
    tenderId = p.url().split('/').pop()!;
    await expect.poll(() => p.getByTestId('status-tag').first().getAttribute('data-status'), { timeout: 20_000 }).toBe('draft');
    const t = await (await as('tenderer1')).get<{ lots: { depositFen: number; bidDeadline: string }[] }>(`/api/tendering/tenders/${tenderId}`);
    expect(t.lots.map((l) => l.depositFen)).toEqual([5_000_000, 3_000_050]);
    deadline = t.lots[0]!.bidDeadline;
    await snap(p, 'tender-2-draft');
  });

  it('publishes it: the notice link appears; who obtained and the opening stay secret before the deadline', async () => {
    const p = page;
    await p.getByTestId('tender-publish').click();
    await p.getByTestId('tender-publish-confirm').click();
    await expect.poll(() => p.getByTestId('status-tag').first().getAttribute('data-status'), { timeout: 20_000 }).toBe('published');
    await p.getByTestId('tender-notice-link').waitFor();
    expect(await p.getByTestId('lot-status').first().getAttribute('data-status')).toBe('bidding');
    await snap(p, 'tender-3-published');
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=obtains`);
    await expect.poll(() => p.getByTestId('secrecy-message').innerText(), { timeout: 20_000 }).toContain('第二十二条');
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=opening`);
    await p.getByTestId('secrecy-message').waitFor();
    await snap(p, 'tender-4-opening-secret');
  });

  it('answers an anonymous question with a clarification', async () => {
    for (const b of BIDDERS) {
      const s = await as(b);
      await s.post(`/api/tendering/tenders/${tenderId}/obtain`);
      keys[b] = await registerKey(s);
      orgs[b] = { id: s.actor.orgId!, name: '' };
    }
    await (await as('bidder1')).post(`/api/tendering/tenders/${tenderId}/questions`, { text: '第一标段是否接受联合体投标？' });
    const p = page;
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=qa`);
    await p.getByTestId('question-item').filter({ hasText: '联合体' }).waitFor();
    expect(await p.getByTestId('question-list').innerText()).not.toContain('鹭江');
    await p.getByTestId('clarify-text').fill('第一标段不接受联合体投标。');
    await p.getByTestId('clarify-questions').getByText('联合体').click();
    await p.getByTestId('clarify-submit').click();
    await p.getByTestId('clarification-item').filter({ hasText: '不接受联合体' }).waitFor();
    await expect.poll(() => p.getByTestId('question-item').first().innerText(), { timeout: 20_000 }).toContain('已答复');
    await snap(p, 'tender-5-clarification');
  });

  it('three bidders seal and submit bids to lot 1 with the SDK', async () => {
    for (const b of BIDDERS) {
      const s = await as(b);
      const sj = await s.get<{ lots: { lotNo: number; lotId: string }[]; escrow: { k: number; custodians: Custodian[] } }>(`/api/bidding/tenders/${tenderId}/sealing`);
      const lotId = sj.lots.find((l) => l.lotNo === 1)!.lotId;
      const parts: Uint8Array[] = [];
      const text = new TextEncoder().encode(`技术标：施工组织设计（${b}）`);
      const summary = await sealBid(
        {
          tenderId,
          lotIds: [lotId],
          priceSheet: { currency: 'CNY', lots: [{ lotId, priceYuan: PRICES[b]!, durationDays: 540, quality: '合格' }] },
          files: [{ name: '技术标.txt', mediaType: 'text/plain', size: text.length, content: text }],
          bidderKey: keys[b]!,
          custodians: sj.escrow.custodians,
          threshold: sj.escrow.k,
        },
        (bytes) => {
          parts.push(bytes.slice());
        },
      );
      headers[b] = summary.header;
      const body = new Uint8Array(Buffer.concat(parts));
      await s.call('PUT', `/api/bidding/tenders/${tenderId}/lots/1/bid?depositKind=guarantee&depositRef=BH-${b}`, body, [201]);
    }
  }, 120_000);

  it('after the deadline the tenderer sees the opening room fill, the record, and lot 2 failed', async () => {
    await clockTo(deadline);
    await until('the room to open', async () => ((await (await as('bidder1')).get<{ status: string }>(`/api/bidding/tenders/${tenderId}/lots/1/opening`)).status === 'decrypting' ? true : undefined));
    await resignIn(page, base(), 'tenderer1');
    const p = page;
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=opening&lot=1`);
    await expect.poll(() => p.getByTestId('room-bid').count(), { timeout: 20_000 }).toBe(3);
    await snap(p, 'tender-6-opening-decrypting');
    for (const b of BIDDERS) {
      const s = await as(b);
      await s.post(`/api/bidding/tenders/${tenderId}/lots/1/opening/decrypt`, { contentKey: encodeContentKey(await unwrapContentKey(headers[b]!, keys[b]!)) });
    }
    // The page follows the room live (WebSocket, polling as fallback): every bid decrypted.
    await expect.poll(() => p.getByTestId('decrypt-progress').innerText(), { timeout: 30_000 }).toContain('3/3');
    const t0 = new Date(deadline).getTime();
    await clockTo(new Date(t0 + 30 * 60_000 + 1000).toISOString());
    await clockTo(new Date(t0 + 61 * 60_000).toISOString());
    await until('lot 1 in evaluation', async () => ((await lotStatus(1)) === 'evaluation' ? true : undefined));
    await resignIn(page, base(), 'tenderer1');
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=opening&lot=1`);
    await p.getByTestId('opening-record').waitFor({ timeout: 30_000 });
    expect(await p.getByTestId('room-bids').innerText()).toContain('¥12,299,999.99');
    await snap(p, 'tender-7-opening-record');
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=opening&lot=2`);
    await p.getByTestId('lot-failed').waitFor({ timeout: 30_000 });
    await snap(p, 'tender-8-lot2-failed');
  }, 180_000);

  it('enters the evaluation result and publishes the candidate publicity', async () => {
    const p = page;
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=award&lot=1`);
    await p.getByTestId('evaluation-form').waitFor();
    const room = await (await as('tenderer1')).get<{ bids: { bidder: { orgId: string; name: string }; priceFen: number }[] }>(`/api/bidding/tenders/${tenderId}/lots/1/opening`);
    const ranked = [...room.bids].sort((a, b) => a.priceFen - b.priceFen);
    for (const [i, b] of ranked.entries()) {
      await chooseOption(p, `eval-candidate-${i}`, b.bidder.name);
      const score = p.getByTestId(`eval-score-${i}`);
      const input = (await score.evaluate((e) => e.tagName)) === 'INPUT' ? score : score.locator('input');
      await input.fill(String(95 - i * 3));
    }
    await uploadVia(p, 'eval-report', file('评标报告.pdf'));
    await p.getByTestId('eval-report-done').waitFor();
    await snap(p, 'tender-9-evaluation-form');
    await p.getByTestId('eval-submit').click();
    await p.getByTestId('candidate-list').waitFor();
    expect(await p.getByTestId('candidate-list').innerText()).toContain(ranked[0]!.bidder.name);
    await p.getByTestId('publicity-submit').click();
    await p.getByTestId('publicity-link').waitFor();
    await snap(p, 'tender-10-publicity');
  });

  it('awards after the publicity ends and downloads the notice of award', async () => {
    const view = await (await as('tenderer1')).get<{ publicity: { endsAt: string } }>(`/api/award/tenders/${tenderId}/lots/1`);
    await clockTo(new Date(new Date(view.publicity.endsAt).getTime() + 60_000).toISOString());
    await resignIn(page, base(), 'tenderer1');
    const p = page;
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=award&lot=1`);
    await p.getByTestId('award-form').waitFor();
    await p.getByTestId('award-submit').click();
    await p.getByTestId('award-winner').waitFor();
    await p.getByTestId('contract-due').waitFor();
    await snap(p, 'tender-11-awarded');
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('notice-pdf').click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('records and publishes the contract, then a payment under it', async () => {
    // Signed two days after the notice (the server refuses a signing time before the notice or in the future).
    const { now: awardedAt } = await (await as('admin')).get<{ now: string }>('/api/dev/clock');
    const now = new Date(Date.parse(awardedAt) + 2 * 86_400_000).toISOString();
    await clockTo(now);
    const bj = new Date(Date.parse(now) + 8 * 3_600_000).toISOString();
    await resignIn(page, base(), 'tenderer1');
    const p = page;
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=award&lot=1`);
    await p.getByTestId('contract-form').waitFor();
    await uploadVia(p, 'contract-file', file('施工合同（签章版）.pdf'));
    await p.getByTestId('contract-file-done').waitFor();
    await p.getByTestId('contract-value').fill('12,299,999.99');
    await p.getByTestId('contract-signed').fill(`${bj.slice(0, 10)} ${bj.slice(11, 16)}`);
    await p.getByTestId('contract-submit').click();
    await p.getByTestId('contract-info').waitFor();
    await p.getByTestId('perf-date').fill(bj.slice(0, 10));
    await p.getByTestId('perf-amount').fill('1000000');
    await p.getByTestId('perf-description').fill('首期工程进度款');
    await p.getByTestId('performance-submit').click();
    await p.getByTestId('performance-list').getByText('首期工程进度款').waitFor();
    expect(await lotStatus(1)).toBe('contracted');
    await snap(p, 'tender-12-contract');
  });

  it('looks right on a phone: list, detail, opening, award, new-tender form', async () => {
    const p = phone;
    await signInPhone(p, base(), 'tenderer1');
    await p.goto(`${base()}/workbench/tenders`);
    await p.getByTestId('tender-item').first().waitFor();
    await snap(p, 'tender-phone-1-list');
    await p.goto(`${base()}/workbench/tenders/${tenderId}`);
    await p.getByTestId('tender-lots').waitFor();
    await snap(p, 'tender-phone-2-detail');
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=opening&lot=1`);
    await p.getByTestId('opening-record').waitFor();
    await snap(p, 'tender-phone-3-opening');
    await p.goto(`${base()}/workbench/tenders/${tenderId}?tab=award&lot=1`);
    await p.getByTestId('contract-info').waitFor();
    await snap(p, 'tender-phone-4-award');
    await p.goto(`${base()}/workbench/tenders/new`);
    await p.getByTestId('tender-form').waitFor();
    await snap(p, 'tender-phone-5-form');
  });

  it('center pages: the refunds desk (center_finance) and key custody (regulator)', async () => {
    // finance1 (center_finance) is a demo account.
    const f = await newPage(browser);
    errors.push(f.errors);
    await signIn(f.page, base(), 'finance1');
    await f.page.goto(`${base()}/workbench/refunds`);
    await f.page.getByTestId('refund-list').waitFor();
    await snap(f.page, 'refunds-desk');
    const r = await newPage(browser);
    errors.push(r.errors);
    await signIn(r.page, base(), 'regulator1');
    await r.page.goto(`${base()}/workbench/custody`);
    await chooseOption(r.page, 'custody-tender', PROJECT);
    await chooseOption(r.page, 'custody-lot', '第一标段');
    await r.page.getByTestId('recovery-status').waitFor();
    await snap(r.page, 'custody');
  });

  it('raised no uncaught errors in any page', () => {
    for (const e of errors) expectNoPageErrors(e);
  });
});
