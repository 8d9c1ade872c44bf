/**
 * The public portal over the demo city, in Chromium: a two-term Chinese search finds a seeded notice, its page shows
 * the body (with its lot table) and the change notice that amends it; the home page on a phone (390×844).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { PHONE, expectNoPageErrors, newPage, snap } from './lib/ui';

requireChromium();

describe.skipIf(!hasChromium)('portal (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('finds a seeded notice with a two-term Chinese query and opens it', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(server.url);
    await page.getByTestId('announcement-item').first().waitFor();
    await snap(page, 'portal-home-desktop');

    // Two terms, as a visitor types them: a district and what is being built.
    const search = page.getByTestId('home-search').locator('input');
    await search.fill('思明 小学');
    await search.press('Enter');
    await page.waitForURL(/\/announcements\?q=/);
    const links = page.getByTestId('announcement-link');
    await links.first().waitFor();
    const titles = await links.allInnerTexts();
    expect(titles).toContain('思明区第二实验小学教学楼改扩建工程施工招标公告');
    // Every hit has both terms (AND), in the title or the body excerpt.
    const items = await page.getByTestId('announcement-item').allInnerTexts();
    for (const text of items) expect(text).toMatch(/思明[\s\S]*小学|小学[\s\S]*思明/);
    await expect.poll(() => page.locator('mark').count()).toBeGreaterThan(0);
    await snap(page, 'portal-search-two-terms');

    await links.filter({ hasText: '思明区第二实验小学教学楼改扩建工程施工招标公告' }).first().click();
    await page.getByTestId('announcement-title').waitFor();
    expect(await page.getByTestId('announcement-title').innerText()).toContain('思明区第二实验小学教学楼改扩建工程施工招标公告');
    const body = page.getByTestId('announcement-body');
    expect(await body.innerText()).toContain('投标人资格要求');
    expect(await body.locator('table td').filter({ hasText: '第一标段（土建）' }).count()).toBe(1);
    // The seeded change notice names this one as its original; the page links to it.
    const change = page.getByTestId('announcement-change');
    await change.first().waitFor();
    expect(await change.first().innerText()).toContain('变更公告');
    await snap(page, 'portal-announcement-detail');
    expectNoPageErrors(errors);
    await context.close();
  });

  it('shows the home page on a phone (390×844) without horizontal scrolling', async () => {
    const { context, page, errors } = await newPage(browser, PHONE);
    await page.goto(server.url);
    await page.getByTestId('announcement-item').first().waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The narrow layout hides the navigation behind a menu button.
    await expect.poll(() => page.getByTestId('nav-drawer-toggle').isVisible()).toBe(true);
    await snap(page, 'portal-home-phone');
    await page.getByTestId('nav-drawer-toggle').click();
    await page.getByTestId('nav-drawer').waitFor();
    await snap(page, 'portal-home-phone-menu');
    expectNoPageErrors(errors);
    await context.close();
  });
});
