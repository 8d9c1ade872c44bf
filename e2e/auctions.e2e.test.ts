/**
 * Issue 5 "Done when", in Chromium: two bidders in two browser contexts bid against each other until the countdown
 * ends; both see the result; the public live page (no login) shows the same price.
 *
 * The real server (`npm start` way: demo city on PGlite, background chronograph) with the demo clock enabled. In the
 * browser: the organiser (agency1) sets the auction up (a refused countdown shows the server's message at the field),
 * the bidders (auction1, auction2) register, the organiser approves both. The administrator moves the server clock to
 * the registration deadline = the start (through the API): the numbers are drawn at random then (竞买人 1 and 2, in
 * an order the test reads from the pages), and every browser's clock is now ten minutes behind the server's: the
 * rooms must measure that offset and count down by server time. Then the bidders bid — quick bids, a custom amount
 * (one refused in the browser as off the increment grid), and a bid that lost a race (refused by the server as
 * below the minimum) — and the last bid's 30 s countdown runs out in real time. Nothing waits on a guessed delay:
 * every step waits for a visible state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { ApiSession } from './lib/api';
import { DESKTOP, PHONE, expectNoPageErrors, newPage, signIn, snap } from './lib/ui';

requireChromium();

const YUAN = 100;
const TITLE = '思明区 2026P08 地块国有建设用地使用权网上拍卖';
const START_MIN = 10; // minutes between set-up and the start (the server clock is moved there)
const FIRST_PHASE_S = 60; // the auction's first (timed) phase; each bid in it extends the end to bid time + 30 s
const COUNTDOWN_S = 30; // the server's minimum countdown

/** `YYYY-MM-DD HH:mm:ss` in Beijing time, as the date pickers take it. */
function beijing(iso: number): string {
  return new Date(iso + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

interface Actor {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

describe.skipIf(!hasChromium)('online auction: organiser set-up, two bidders in two browsers, public live page (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let org: Actor;
  let a: Actor; // auction1 → 竞买人 1
  let b: Actor; // auction2 → 竞买人 2
  let pub: Actor;
  let id = '';
  let startsAt = 0;
  let shiftMs = 0;
  let noA = 0;
  let noB = 0;
  const url = (p: string) => `${server.url}${p}`;

  /** The input behind a test id (antd puts the id on the input or on its wrapper). */
  async function input(page: Page, testId: string) {
    const el = page.getByTestId(testId);
    return (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input').first();
  }
  async function typeInto(page: Page, testId: string, value: string) {
    const i = await input(page, testId);
    await i.click();
    await i.press('ControlOrMeta+a');
    await i.fill(value);
  }
  /** Type into an antd DatePicker and confirm with its OK button (Enter would submit the form). */
  async function pickDate(page: Page, testId: string, value: string) {
    await typeInto(page, testId, value);
    await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-ok button').click();
    await poll(async () => (await input(page, testId)).inputValue()).toBe(value);
  }
  async function phoneShot(page: Page, name: string) {
    await page.setViewportSize(PHONE);
    await snap(page, name);
    await page.setViewportSize(DESKTOP);
  }
  /** Wait for a visible state (generous: the machine is shared, and nothing here depends on timing). */
  const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
  const price = (page: Page) => page.getByTestId('au-price').getAttribute('data-fen');
  const leader = (page: Page) => page.getByTestId('au-leader').getAttribute('data-no');

  /** Quick bid `n` (or the custom amount already typed) through the confirmation dialog; waits for the board. */
  async function bid(page: Page, button: string, expectFen: number, myNo: number) {
    await page.getByTestId(button).click();
    await poll(() => page.getByTestId('au-confirm-text').innerText()).toContain(`竞买人 ${myNo}`);
    await page.getByTestId('au-confirm-ok').click();
    await poll(() => price(page)).toBe(String(expectFen));
    await poll(() => leader(page)).toBe(String(myNo));
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: { YIWANG_CLOCK_CONTROL: '1' } }), launch()]);
    [org, a, b, pub] = await Promise.all([newPage(browser), newPage(browser), newPage(browser), newPage(browser)]);
    for (const x of [org, a, b, pub]) x.page.setDefaultTimeout(30_000);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the organiser sets the auction up; a countdown the server refuses is shown at its field', async () => {
    const { now } = (await (await fetch(url('/api/dev/clock'))).json()) as { now: string };
    startsAt = Math.ceil((Date.parse(now) + START_MIN * 60_000) / 1000) * 1000;
    const p = org.page;
    await signIn(p, server.url, 'agency1');
    await p.getByTestId('menu-auctions').first().click();
    await p.getByTestId('au-hall').waitFor();
    await p.getByTestId('au-create-link').click();
    await p.getByTestId('au-form').waitFor();
    await typeInto(p, 'au-f-title', TITLE);
    await typeInto(p, 'au-f-startPriceFen', '1000000');
    await typeInto(p, 'au-f-incrementFen', '10000');
    await typeInto(p, 'au-f-reserveFen', '1050000');
    await typeInto(p, 'au-f-depositFen', '0');
    await pickDate(p, 'au-f-registrationEndsAt', beijing(startsAt));
    await pickDate(p, 'au-f-startsAt', beijing(startsAt));
    await pickDate(p, 'au-f-firstPhaseEndsAt', beijing(startsAt + FIRST_PHASE_S * 1000));
    await typeInto(p, 'au-f-countdownSeconds', '10');
    await p.getByTestId('au-f-submit').click();
    // The server's problem+json names countdownSeconds: its message appears under that field.
    const fieldError = p.locator('.ant-form-item-has-error').filter({ has: p.getByTestId('au-f-countdownSeconds') });
    await poll(() => fieldError.innerText()).toContain('倒计时须在 30 至 3600 秒之间');
    await snap(p, 'auc-01-setup-error');
    await phoneShot(p, 'auc-01b-setup-error-phone');
    await typeInto(p, 'au-f-countdownSeconds', String(COUNTDOWN_S));
    await p.getByTestId('au-f-submit').click();
    await p.getByTestId('au-manage').waitFor();
    id = /\/workbench\/auctions\/([0-9a-f-]{36})\/manage/.exec(p.url())![1]!;
    expect(await p.getByTestId('au-status').getAttribute('data-status')).toBe('open');
    // The reserve is secret before the end, for the organiser too.
    expect(await p.getByTestId('au-params').innerText()).toContain('设有保留价（保密）');
    expect(await p.getByTestId('au-params').innerText()).not.toContain('1,050,000');
  });

  it('two bidders register in their browsers; the organiser approves both; numbers wait for the deadline', async () => {
    for (const [x, user] of [[a, 'auction1'], [b, 'auction2']] as const) {
      await signIn(x.page, server.url, user);
      await x.page.getByTestId('menu-auctions').first().click();
      await x.page.getByTestId('au-item-link').filter({ hasText: TITLE }).first().click();
      await x.page.getByTestId('au-apply').click();
      await poll(() => x.page.getByTestId('au-reg-state').getAttribute('data-state')).toBe('applied');
    }
    await snap(a.page, 'auc-02-bidder-applied');
    await org.page.reload();
    await poll(() => org.page.getByTestId('au-approve').count()).toBe(2);
    await snap(org.page, 'auc-03-organiser-registrations');
    await phoneShot(org.page, 'auc-03b-organiser-registrations-phone');
    for (let i = 0; i < 2; i++) {
      await org.page.getByTestId('au-approve').first().click();
      await poll(() => org.page.getByTestId('au-approve').count()).toBe(1 - i);
    }
    await poll(() => org.page.locator('[data-testid=au-app-status][data-status=approved]').count()).toBe(2);
    // No numbers yet: they are drawn at the registration deadline.
    expect(await org.page.getByTestId('au-app-no').count()).toBe(0);
    for (const x of [a, b]) {
      await x.page.reload();
      await poll(() => x.page.getByTestId('au-reg-state').getAttribute('data-state')).toBe('approved');
      expect(await x.page.getByTestId('au-countdown').innerText()).toContain('距开始');
    }
    await snap(b.page, 'auc-04-room-before-start');
  });

  it('the server clock moves to the deadline and start: numbers are drawn, the rooms measure the offset and count down by server time', async () => {
    const admin = await ApiSession.login(server.url, 'admin');
    const before = Date.now();
    const { now } = await admin.post<{ now: string }>('/api/dev/clock', { to: new Date(startsAt).toISOString() });
    shiftMs = Date.parse(now) - (before + Date.now()) / 2;
    await pub.page.goto(url(`/auctions/${id}`));
    for (const x of [a, b]) await x.page.reload();
    await poll(() => a.page.getByTestId('au-my-no').getAttribute('data-no')).not.toBe('');
    await poll(() => b.page.getByTestId('au-my-no').getAttribute('data-no')).not.toBe('');
    noA = Number(await a.page.getByTestId('au-my-no').getAttribute('data-no'));
    noB = Number(await b.page.getByTestId('au-my-no').getAttribute('data-no'));
    expect([noA, noB].sort()).toEqual([1, 2]);
    for (const x of [a, b, pub]) {
      await poll(() => x.page.getByTestId('au-clock').getAttribute('data-offset')).not.toBe('');
      const offset = Number(await x.page.getByTestId('au-clock').getAttribute('data-offset'));
      // The browsers' clocks are ~10 minutes behind the server's now; the room's estimate must say so.
      expect(Math.abs(offset - shiftMs)).toBeLessThan(3_000);
      await poll(() => x.page.getByTestId('au-connection').getAttribute('data-live')).toBe('true');
    }
    await poll(() => a.page.getByTestId('au-quick-1').isEnabled()).toBe(true);
    // Corrected: about a minute left, not the eleven an uncorrected clock would show.
    const left = await a.page.getByTestId('au-countdown').innerText();
    expect(left).toMatch(/^距截止\s*[01]:\d\d$/);
  });

  it('the two bidders bid against each other; refused amounts are explained and change nothing', async () => {
    await bid(a.page, 'au-quick-1', 1_000_000 * YUAN, noA);
    await poll(() => price(b.page)).toBe(String(1_000_000 * YUAN));
    await poll(() => leader(b.page)).toBe(String(noA));
    await snap(a.page, 'auc-05-room-leading');
    await bid(b.page, 'au-quick-2', 1_020_000 * YUAN, noB);
    await poll(() => leader(a.page)).toBe(String(noB));

    // Off the increment grid: refused in the browser before anything is sent.
    await typeInto(a.page, 'au-custom', '1035000');
    await poll(() => a.page.getByTestId('au-custom-problem').innerText()).toContain('整数倍');
    expect(await a.page.getByTestId('au-custom-bid').isDisabled()).toBe(true);
    await snap(a.page, 'auc-06-custom-not-multiple');
    await typeInto(a.page, 'au-custom', '1040000');
    await bid(a.page, 'au-custom-bid', 1_040_000 * YUAN, noA);

    // A lost race: bidder 2 opens the dialog at the minimum, bidder 1 takes that amount first; the server refuses.
    await b.page.getByTestId('au-quick-1').click();
    await poll(() => b.page.getByTestId('au-confirm-text').innerText()).toContain('¥1,050,000.00');
    await snap(b.page, 'auc-07-confirm-dialog');
    await phoneShot(b.page, 'auc-07b-confirm-dialog-phone');
    await bid(a.page, 'au-quick-1', 1_050_000 * YUAN, noA);
    await b.page.getByTestId('au-confirm-ok').click();
    await poll(() => b.page.getByTestId('au-bid-error').getAttribute('data-code')).toBe('AUCTION_BID_BELOW_MINIMUM');
    // The server's minimum (details.minimumFen) said in 元, as on the board.
    expect(await b.page.getByTestId('au-bid-error').innerText()).toContain('低于最低应价 ¥1,060,000.00');
    await poll(() => price(b.page)).toBe(String(1_050_000 * YUAN));
    await snap(b.page, 'auc-08-bid-refused');
    await bid(b.page, 'au-quick-1', 1_060_000 * YUAN, noB);
    await poll(() => b.page.getByTestId('au-you-lead').count()).toBe(1);

    // Everyone sees the same board and log: five accepted bids, in order, bidders as numbers only.
    for (const x of [a, b, pub]) {
      await poll(() => price(x.page)).toBe(String(1_060_000 * YUAN));
      await poll(() => x.page.locator('[data-testid=au-log-item][data-kind=bid]').count()).toBe(5);
      expect(await x.page.getByTestId('au-log').innerText()).not.toMatch(/鹭府|湖滨/);
    }
    await snap(b.page, 'auc-09-room-bidding');
    await phoneShot(a.page, 'auc-09b-room-bidding-phone');
    await snap(pub.page, 'auc-10-public-live');
    await phoneShot(pub.page, 'auc-10b-public-live-phone');
  });

  it('the countdown ends: both bidders see the result, the public page the same price', async () => {
    // The close is the server's (chronograph, server time); the pages wait for it to arrive on the socket.
    for (const x of [a, b, pub]) await x.page.getByTestId('au-result').waitFor({ timeout: (FIRST_PHASE_S + COUNTDOWN_S + 30) * 1000 });
    for (const x of [a, b, pub]) {
      expect(await x.page.getByTestId('au-result').getAttribute('data-outcome')).toBe('sold');
      expect(await x.page.getByTestId('au-winner').getAttribute('data-no')).toBe(String(noB));
      expect(await x.page.getByTestId('au-final-price').getAttribute('data-fen')).toBe(String(1_060_000 * YUAN));
      expect(await x.page.getByTestId('au-countdown').getAttribute('data-ended')).toBe('true');
      await poll(() => x.page.locator('[data-testid=au-log-item][data-kind=closed]').count()).toBe(1);
      // The reserve is revealed with the result.
      expect(await x.page.getByTestId('au-result').innerText()).toContain('¥1,050,000.00');
      expect(await x.page.getByTestId('au-params').innerText()).toContain('¥1,050,000.00');
    }
    expect(await b.page.getByTestId('au-my-outcome').getAttribute('data-won')).toBe('true');
    expect(await a.page.getByTestId('au-my-outcome').getAttribute('data-won')).toBe('false');
    expect(await a.page.getByTestId('au-bid-panel').count()).toBe(0);
    await snap(b.page, 'auc-11-result-winner');
    await phoneShot(a.page, 'auc-11b-result-other-phone');
    await snap(pub.page, 'auc-12-public-result');
    await phoneShot(pub.page, 'auc-12b-public-result-phone');
    await org.page.reload();
    await org.page.getByTestId('au-result').waitFor();
    await poll(async () => (await org.page.getByTestId('au-app-no').allInnerTexts()).sort()).toEqual(['竞买人 1', '竞买人 2']);
    await snap(org.page, 'auc-13-organiser-result');
    await org.page.goto(url('/workbench/auctions'));
    await org.page.getByTestId('au-item-link').first().waitFor();
    await snap(org.page, 'auc-14-organiser-hall');
    await phoneShot(org.page, 'auc-14b-organiser-hall-phone');
    for (const x of [org, a, b, pub]) expectNoPageErrors(x.errors);
  });
});
