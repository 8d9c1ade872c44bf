/**
 * Every role of the demo city signs in through the login form with the one demo password and gets the workbench
 * menu of its role: the entries it needs are there, and entries of other roles are not (a bidder has no 进场受理,
 * the regulator cannot register projects, the administrator does not accept projects — 管办分离). The system
 * account has no password: signing in with one is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { expectNoPageErrors, menuKeys, newPage, signIn, snap } from './lib/ui';

requireChromium();

const CASES: { username: string; role: string; has: string[]; hasNot: string[] }[] = [
  {
    username: 'tenderer1',
    role: 'tenderer',
    has: ['projects', 'announcements'],
    hasNot: ['intake', 'announcement-review', 'bids', 'catalog', 'accounts'],
  },
  { username: 'agency1', role: 'agency', has: ['projects', 'announcements'], hasNot: ['intake', 'announcement-review', 'supervision'] },
  {
    username: 'bidder1',
    role: 'bidder',
    has: ['bids'],
    hasNot: ['intake', 'projects', 'announcements', 'announcement-review', 'accounts'],
  },
  { username: 'auction1', role: 'auction_bidder', has: ['auctions'], hasNot: ['bids', 'intake', 'projects'] },
  { username: 'auction5', role: 'auction_bidder', has: ['auctions'], hasNot: ['bids', 'projects'] },
  { username: 'expert1', role: 'expert', has: ['evaluations'], hasNot: ['projects', 'intake', 'bids'] },
  {
    username: 'intake1',
    role: 'center_intake',
    has: ['intake', 'announcement-review'],
    hasNot: ['projects', 'announcements', 'catalog', 'supervision'],
  },
  { username: 'witness1', role: 'center_witness', has: ['witness'], hasNot: ['intake', 'announcement-review', 'supervision'] },
  { username: 'venue1', role: 'center_venue', has: ['venues'], hasNot: ['intake', 'witness'] },
  { username: 'archive1', role: 'center_archive', has: ['archives'], hasNot: ['intake', 'venues'] },
  {
    username: 'regulator1',
    role: 'regulator',
    has: ['supervision', 'analytics'],
    hasNot: ['projects', 'intake', 'announcement-review', 'audit'],
  },
  { username: 'manager1', role: 'manager', has: ['supervision', 'analytics'], hasNot: ['projects', 'intake', 'audit'] },
  { username: 'auditor1', role: 'auditor', has: ['audit'], hasNot: ['supervision', 'intake', 'projects'] },
  {
    username: 'admin',
    role: 'admin',
    has: ['catalog', 'calendar', 'accounts'],
    hasNot: ['intake', 'projects', 'announcement-review', 'bids'],
  },
];

describe.skipIf(!hasChromium)('sign-in and menus for every role (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const c of CASES) {
    it(`${c.username} (${c.role}) sees its own menu and not others'`, async () => {
      const { context, page, errors } = await newPage(browser);
      await signIn(page, server.url, c.username);
      await page.getByTestId('workbench-welcome').waitFor();
      // The home page names the role the account holds.
      await page.getByTestId(`role-${c.role}`).first().waitFor();
      const keys = await menuKeys(page);
      for (const k of ['home', 'messages', 'settings', ...c.has]) expect(keys, `${c.username} should see ${k}`).toContain(k);
      for (const k of c.hasNot) expect(keys, `${c.username} must not see ${k}`).not.toContain(k);
      // A page of another role's menu is refused in the browser too (the server refuses its API calls anyway).
      if (!c.has.includes('intake')) {
        await page.goto(`${server.url}/workbench/intake`);
        await expect.poll(() => page.getByText('进场受理', { exact: true }).count()).toBe(0);
      }
      await page.goto(`${server.url}/workbench`);
      await page.getByTestId('workbench-welcome').waitFor();
      await page.waitForLoadState('networkidle');
      await snap(page, `role-${c.role}-${c.username}`);
      expectNoPageErrors(errors);
      await context.close();
    });
  }

  it('a bidder does not see 进场受理 anywhere in its menu', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, server.url, 'bidder1');
    const menu = page.getByTestId('workbench-menu').first();
    expect(await menu.innerText()).toContain('我的投标');
    expect(await menu.innerText()).not.toContain('进场受理');
    expect(await menu.innerText()).not.toContain('公告审核');
    await context.close();
  });

  it('the system account (API tokens only) cannot sign in with a password', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('system1');
    await page.getByTestId('login-password').fill('Yiwang2026demo');
    await page.getByTestId('login-submit').click();
    // The form shows the same answer as for a wrong password (no hint that the account exists).
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '用户名或密码错误' }).waitFor();
    expect(page.url()).toContain('/login');
    await snap(page, 'role-system-refused');
    await context.close();
  });
});
