/**
 * The pickers that replaced typed codes and ids: an agency finds the tenderer by name, an administrator searches
 * the account list, a visitor sees region names on the portal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch } from './lib/browser';
import { expectNoPageErrors, newPage, searchOption, signIn } from './lib/ui';

describe.skipIf(!hasChromium)('pickers instead of codes (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an agency picks the tenderer by name in the registration form', async () => {
    const { context, page, errors } = await newPage(browser);
    await signIn(page, server.url, 'agency1');
    await page.goto(`${server.url}/workbench/projects/new`);
    await page.getByTestId('project-form').waitFor();
    await searchOption(page, 'project-tenderer', '湖里区建设', '厦门市湖里区建设局');
    await expect.poll(() => page.getByTestId('project-tenderer').innerText()).toContain('厦门市湖里区建设局');
    await searchOption(page, 'project-region', '350206', '湖里区');
    await expect.poll(() => page.getByTestId('project-region').innerText()).toContain('厦门市湖里区');
    expectNoPageErrors(errors);
    await context.close();
  });

  it('an administrator searches the account list and opens an account', async () => {
    const { context, page, errors } = await newPage(browser);
    await signIn(page, server.url, 'admin');
    await page.goto(`${server.url}/workbench/accounts`);
    await page.getByTestId('acct-list-item').first().waitFor();
    await page.getByTestId('acct-list-search').locator('input').fill('思明区建设局');
    await page.getByTestId('acct-list-search').locator('input').press('Enter');
    await expect.poll(async () => (await page.getByTestId('acct-list-item').allInnerTexts()).join('\n')).toContain('tenderer1');
    await page.getByTestId('acct-list-open').filter({ hasText: 'tenderer1' }).first().click();
    await expect.poll(() => page.getByTestId('acct-view').innerText()).toContain('厦门市思明区建设局');
    expectNoPageErrors(errors);
    await context.close();
  });

  it('the portal shows region names, not codes', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${server.url}/announcements`);
    await page.getByTestId('announcement-item').first().waitFor();
    const text = await page.getByTestId('announcement-results').innerText();
    expect(text).not.toMatch(/\b3502\d\d\b/);
    expect(text).toMatch(/厦门市/);
    expectNoPageErrors(errors);
    await context.close();
  });
});
