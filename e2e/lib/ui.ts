import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { shot } from './browser';

/** The one demo password (apps/server/src/seed/data/orgs.ts, README "Demo accounts"). */
export const DEMO_PASSWORD = 'Yiwang2026demo';

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser context (own cookies), Chinese locale, Beijing time zone like the city's users. */
export async function newPage(browser: Browser, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/** Sign in through the login form and wait for the workbench menu. */
export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/workbench/);
  await page.getByTestId('workbench-menu').first().waitFor();
}

/**
 * The options of the dropdown that belongs to the Select `testId` (open it first). Other Selects' dropdowns stay in
 * the DOM after closing — fading out for a moment — and may hold an option with the same text, so the popup is
 * found through the combobox's aria-controls (its listbox lives in that popup), not by "the first open dropdown".
 */
async function optionsOf(page: Page, testId: string) {
  const listId = await page.getByTestId(testId).locator('[role="combobox"]').first().getAttribute('aria-controls', { timeout: 5_000 }).catch(() => null);
  return listId
    ? page.locator(`.ant-select-dropdown:has([id="${listId}"]) .ant-select-item-option`)
    : page.locator('.ant-select-dropdown:visible .ant-select-item-option');
}

/** Pick an option of an antd Select by its visible label. */
export async function chooseOption(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await (await optionsOf(page, testId)).filter({ hasText: text }).first().click();
}

/** Pick an option of an antd Select with search: type `search` to narrow the (virtual) list, then click `text`. */
export async function searchOption(page: Page, testId: string, search: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(search);
  await (await optionsOf(page, testId)).filter({ hasText: text }).first().click();
}

/** Pick a node of an antd TreeSelect (with search) by its title. */
export async function chooseTreeNode(page: Page, testId: string, search: string, title: string): Promise<void> {
  const select = page.getByTestId(testId);
  await select.click();
  await page.keyboard.type(search);
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-node-content-wrapper')
    .filter({ hasText: title })
    .first()
    .click();
}

/** Upload a file through the button with `testId` (antd Upload opens a file chooser). */
export async function uploadVia(page: Page, testId: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId(testId).click()]);
  await chooser.setFiles(file);
}

/** The visible workbench menu entries' keys (data-testid="menu-<key>"). */
export async function menuKeys(page: Page): Promise<string[]> {
  const ids = await page
    .locator('[data-testid="workbench-menu"] [data-testid^="menu-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(5)));
  return [...new Set(ids)];
}

export function expectNoPageErrors(errors: string[]): void {
  expect(errors, `uncaught errors in the page: ${errors.join(' | ')}`).toEqual([]);
}

/** A small valid PDF, as a registrant's scanned material would be. */
export function pdf(label: string): Buffer {
  const text = `BT /F1 12 Tf 56 780 Td (${label.replace(/[()\\]/g, '')}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Let requests and antd's transitions (drawers, fades) finish, then save the screenshot. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(500);
  await shot(page, name);
}
