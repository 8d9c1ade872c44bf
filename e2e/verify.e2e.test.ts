/**
 * The portal's ledger verification page, in Chromium: the signed checkpoint of the demo city's ledger is checked in
 * the browser with the platform's public key, and an entry's inclusion proof verifies; a number past the signed
 * tree gets a clear refusal instead of a false "verified".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { expectNoPageErrors, newPage, snap } from './lib/ui';

requireChromium();

describe.skipIf(!hasChromium)('ledger verification page (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('checks the signed checkpoint and an inclusion proof in the browser', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${server.url}/verify`);
    // The background worker signs the first checkpoint shortly after start.
    await page.getByTestId('checkpoint-valid').first().waitFor({ timeout: 60_000 });
    const key = await page.getByTestId('ledger-public-key').innerText();
    const fromApi = (await (await fetch(`${server.url}/api/ledger/public-key`)).json()) as { publicKeyHex: string };
    expect(key).toContain(fromApi.publicKeyHex);

    const input = page.locator('[data-testid=verify-input] input');
    await input.fill('42');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toContain('第 42 条记录包含在已签名的账本树');
    await snap(page, 'verify-ledger');

    await input.fill('99999999');
    await input.press('Enter');
    await page.locator('.ant-alert-warning').waitFor();
    expect(await page.getByTestId('verify-result').count()).toBe(0);
    expectNoPageErrors(errors);
    await context.close();
  });
});
