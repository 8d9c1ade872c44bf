/**
 * The expert registry in Chromium (issue 4 part 1): a new expert applies online (a first attempt with too few years
 * is refused on the field), the regulator finds the application in its queue and returns it with a reason, the
 * expert sees the reason, corrects the application and resubmits, the regulator approves it, and the expert — now in
 * the pool — declares a leave. Phone screenshots of the status page and the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeResidentId, makeUscc } from '@yiwang/contracts';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { ApiSession } from './lib/api';
import { DEMO_PASSWORD, expectNoPageErrors, newPage, pdf, PHONE, searchOption, signIn, snap, uploadVia } from './lib/ui';

requireChromium();

const USERNAME = 'expert-e2e';
const NAME = '郑评标';
const ID = makeResidentId('e2e-expert-zheng', '350206');
const FORMER = makeUscc('e2e-expert-former', { region: '350200' });
const file = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdf(name) });

describe.skipIf(!hasChromium)('expert registry: application and review (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let expert: Page;
  let regulator: Page;
  const errors: string[][] = [];
  let expertId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    // The administrator creates the expert's account (as for expert1 and expert2 of the demo).
    const admin = await ApiSession.login(server.url, 'admin');
    await admin.post('/api/admin/accounts', { username: USERNAME, password: DEMO_PASSWORD, displayName: NAME, roles: [{ role: 'expert' }] });
    const e = await newPage(browser);
    const r = await newPage(browser);
    expert = e.page;
    regulator = r.page;
    errors.push(e.errors, r.errors);
    await signIn(expert, server.url, USERNAME);
    await signIn(regulator, server.url, 'regulator1');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const status = (p: Page) => p.getByTestId('expert-status').first().getAttribute('data-status');

  it('the expert fills in the application; too few years is refused on its field, then it is submitted', async () => {
    const p = expert;
    await p.getByTestId('menu-expert').first().click();
    await p.getByTestId('expert-form').waitFor();
    await p.getByTestId('expert-name').fill(NAME);
    await p.getByTestId('expert-id-number').fill(ID);
    await p.getByTestId('expert-phone').fill('13805920999');
    await p.getByTestId('expert-title-name').fill('高级工程师');
    await p.getByTestId('expert-years').fill('6');
    await p.getByTestId('expert-employer-name').fill('厦门海湾工程咨询有限公司');
    await p.getByTestId('expert-employer-uscc').fill(makeUscc('e2e-expert-employer', { region: '350200' }));
    // Specialties from the classification tree (leaves only).
    const tree = p.getByTestId('expert-specialties-select');
    await tree.click();
    await p.keyboard.type('A0201');
    await p.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-node-content-wrapper').filter({ hasText: '城市道路与桥梁' }).first().click();
    await p.keyboard.press('Escape');
    await searchOption(p, 'expert-home-region', '350206', '湖里区');
    await searchOption(p, 'expert-regions', '350200', '厦门市');
    await p.keyboard.press('Escape');
    await p.getByTestId('expert-conflict-add').click();
    await p.getByTestId('expert-conflict-org-0').fill('厦门鹭江建设集团有限公司');
    await p.getByTestId('expert-conflict-uscc-0').fill(FORMER);
    await p.getByTestId('expert-conflict-from-0').fill('2012-07-01');
    await p.getByTestId('expert-conflict-to-0').fill('2025-03-31');
    await uploadVia(p, 'expert-material-title_certificate', file('高级工程师证书.pdf'));
    await p.getByTestId('expert-material-title_certificate-done').waitFor();
    await p.getByTestId('expert-submit').click();
    // 招标投标法 第三十七条: the server's message appears at the field and above the form.
    const err = p.getByTestId('expert-form-error');
    await err.waitFor();
    expect(await err.innerText()).toContain('第三十七条');
    expect(await p.locator('.ant-form-item-explain-error').filter({ hasText: '8 年' }).count()).toBeGreaterThan(0);
    await snap(p, 'experts-1-refused-years');
    await p.getByTestId('expert-years').fill('16');
    await snap(p, 'experts-2-application-form');
    await p.getByTestId('expert-submit').click();
    await p.getByTestId('expert-page').waitFor();
    await expect.poll(() => status(p)).toBe('submitted');
    expect(await p.getByTestId('expert-conflicts').innerText()).toContain(FORMER);
    await snap(p, 'experts-3-submitted');
  });

  it('the regulator finds it in the queue and returns it with a reason', async () => {
    const p = regulator;
    await p.getByTestId('menu-expert-review').first().click();
    await p.getByTestId('expert-review-queue').waitFor();
    // The demo's waiting application is there too.
    await p.getByTestId('expert-review-link').filter({ hasText: '彭工' }).first().waitFor();
    await snap(p, 'experts-4-review-queue');
    await p.getByTestId('expert-review-link').filter({ hasText: NAME }).first().click();
    await p.waitForURL(/\/workbench\/expert-review\/[0-9a-f-]{36}$/);
    expertId = p.url().split('/').pop()!;
    await p.getByTestId('expert-record').waitFor();
    expect(await p.getByTestId('expert-specialties').innerText()).toContain('A0201');
    await p.getByTestId('expert-return').click();
    await searchOption(p, 'expert-return-field-0', '证明', '证明材料');
    await p.getByTestId('expert-return-note-0').fill('职称证书扫描件不完整，请上传含发证机关盖章的页面');
    await snap(p, 'experts-5-return-form');
    await p.getByTestId('expert-modal-ok').click();
    await expect.poll(() => status(p)).toBe('returned');
  });

  it('the expert sees the reason, corrects the application and resubmits', async () => {
    const p = expert;
    await p.reload();
    await p.getByTestId('expert-returned-reasons').waitFor();
    expect(await p.getByTestId('expert-returned-item').first().innerText()).toContain('发证机关盖章');
    await snap(p, 'experts-6-returned');
    await p.getByTestId('expert-edit').click();
    await p.getByTestId('expert-form').waitFor();
    // The ID number is not kept (only its hash): it is entered again; everything else is filled in.
    expect(await p.getByTestId('expert-name').inputValue()).toBe(NAME);
    expect(await p.getByTestId('expert-id-number').inputValue()).toBe('');
    await p.getByTestId('expert-id-number').fill(ID);
    await uploadVia(p, 'expert-material-title_certificate', file('高级工程师证书（盖章页）.pdf'));
    await p.getByTestId('expert-material-title_certificate-done').filter({ hasText: '盖章' }).waitFor();
    await p.getByTestId('expert-submit').click();
    await p.getByTestId('expert-page').waitFor();
    await expect.poll(() => status(p)).toBe('submitted');
  });

  it('the regulator approves: the expert is in the pool', async () => {
    const p = regulator;
    await p.goto(`${server.url}/workbench/expert-review/${expertId}`);
    await p.getByTestId('expert-approve').click();
    await p.getByTestId('expert-approve-comment').fill('材料齐全，符合入库条件');
    await p.getByTestId('expert-modal-ok').click();
    await expect.poll(() => status(p)).toBe('active');
    await p.getByTestId('expert-eligible').waitFor();
    await snap(p, 'experts-7-approved');
    expectNoPageErrors(errors[1]!);
  });

  it('the expert, now in the pool, declares a leave and is not drawn meanwhile', async () => {
    const p = expert;
    await p.reload();
    await expect.poll(() => status(p)).toBe('active');
    expect(await p.getByTestId('expert-code').innerText()).toMatch(/^ZJ\d{6}$/);
    await p.getByTestId('expert-leave-from').fill('2030-01-05 08:00');
    await p.getByTestId('expert-leave-to').fill('2030-01-12 18:00');
    await p.getByTestId('expert-leave-reason').fill('出差');
    await p.getByTestId('expert-leave-add').click();
    await p.getByTestId('expert-leave').filter({ hasText: '2030-01-05 08:00' }).waitFor();
    await snap(p, 'experts-8-active-with-leave');
    expectNoPageErrors(errors[0]!);
  });

  it('phone: the status page and the queue read on a narrow screen', async () => {
    // Signed in on a desktop-sized window (the menu is a drawer on phones), then narrowed.
    const e = await newPage(browser);
    await signIn(e.page, server.url, USERNAME);
    await e.page.setViewportSize(PHONE);
    await e.page.goto(`${server.url}/workbench/expert`);
    await e.page.getByTestId('expert-page').waitFor();
    await snap(e.page, 'experts-9-phone-status');
    const r = await newPage(browser);
    await signIn(r.page, server.url, 'regulator1');
    await r.page.setViewportSize(PHONE);
    await r.page.goto(`${server.url}/workbench/expert-review`);
    await r.page.getByTestId('expert-review-item').first().waitFor();
    await snap(r.page, 'experts-10-phone-queue');
    // English: the same record in the other language.
    await r.page.getByTestId('lang-switch').first().click();
    await r.page.goto(`${server.url}/workbench/expert-review/${expertId}`);
    await r.page.getByTestId('expert-record').waitFor();
    expect(await r.page.getByTestId('expert-status').first().innerText()).toBe('In the pool');
    await snap(r.page, 'experts-11-phone-record-en');
    expectNoPageErrors([...e.errors, ...r.errors]);
    await e.context.close();
    await r.context.close();
  });
});
