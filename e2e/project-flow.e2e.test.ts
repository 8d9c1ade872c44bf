/**
 * One project through the browser, person by person (issue 2 "Done when"): the tenderer registers it with its
 * materials (uploads), the intake window returns it once with a complete list (一次告知), the tenderer replaces the
 * named material and resubmits, the window accepts; the tenderer drafts the tender notice, the center approves it,
 * and a visitor finds it on the portal by search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { chooseOption, chooseTreeNode, expectNoPageErrors, newPage, pdf, searchOption, signIn, snap, uploadVia } from './lib/ui';

requireChromium();

const NAME = '思明区演武大桥景观照明提升工程';
const NOTICE = `${NAME}施工招标公告`;
const file = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdf(name) });

describe.skipIf(!hasChromium)('a project from registration to a published notice (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let tenderer: Page;
  let intake: Page;
  const errors: string[][] = [];
  let projectId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const t = await newPage(browser);
    const i = await newPage(browser);
    tenderer = t.page;
    intake = i.page;
    errors.push(t.errors, i.errors);
    await signIn(tenderer, server.url, 'tenderer1');
    await signIn(intake, server.url, 'intake1');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function status(page: Page): Promise<string | null> {
    return page.getByTestId('status-tag').first().getAttribute('data-status');
  }

  it('the tenderer registers the project with its materials and submits it', async () => {
    const p = tenderer;
    await p.goto(`${server.url}/workbench/projects/new`);
    await p.getByTestId('project-form').waitFor();
    await p.getByTestId('project-name').fill(NAME);
    await searchOption(p, 'project-region', '350203', '思明区');
    await chooseTreeNode(p, 'project-category', '市政', '市政');
    await chooseOption(p, 'project-procedure', '工程公开招标');
    await chooseOption(p, 'project-subject', '施工');
    await p.getByTestId('project-budget').fill('6,800,000');
    await p.getByTestId('project-lot-name-0').fill('施工总承包');
    await p.getByTestId('project-lot-budget-0').fill('6800000');
    await uploadVia(p, 'project-material-project_approval', file('立项批复.pdf'));
    await uploadVia(p, 'project-material-funding_proof', file('资金来源证明.pdf'));
    await uploadVia(p, 'project-material-tender_plan', file('招标方案.pdf'));
    for (const code of ['project_approval', 'funding_proof', 'tender_plan']) await p.getByTestId(`project-material-${code}-done`).waitFor();
    await snap(p, 'flow-1-register-form');
    await p.getByTestId('project-submit').click();
    await p.waitForURL(/\/workbench\/projects\/[0-9a-f-]{36}$/);
    projectId = p.url().split('/').pop()!;
    await p.getByTestId('project-title').waitFor();
    await expect.poll(() => status(p)).toBe('submitted');
    expect(await p.getByTestId('project-material').count()).toBe(3);
    await snap(p, 'flow-2-submitted');
  });

  it('the intake window returns it once, with the complete list', async () => {
    const p = intake;
    await p.goto(`${server.url}/workbench/intake`);
    await p.getByTestId('intake-link').filter({ hasText: NAME }).first().click();
    await p.getByTestId('project-title').waitFor();
    await p.getByTestId('intake-return').click();
    await p.getByTestId('intake-return-form').waitFor();
    await chooseOption(p, 'intake-item-code-0', '资金来源证明');
    await p.getByTestId('intake-item-note-0').fill('资金来源证明未加盖财政部门公章，请上传盖章件');
    await p.getByTestId('intake-add-item').click();
    await chooseOption(p, 'intake-item-code-1', '招标方案');
    await p.getByTestId('intake-item-note-1').fill('招标方案未写明是否接受联合体投标');
    await snap(p, 'flow-3-return-list');
    await p.getByTestId('intake-modal-ok').click();
    await expect.poll(() => status(p)).toBe('returned');
    expect(await p.getByTestId('returned-item').count()).toBe(2);
    await snap(p, 'flow-4-returned');
  });

  it('the tenderer sees the list, replaces the named material and resubmits', async () => {
    const p = tenderer;
    await p.goto(`${server.url}/workbench/projects/${projectId}`);
    await p.getByTestId('project-returned-items').waitFor();
    const items = await p.getByTestId('returned-item').allInnerTexts();
    expect(items.join('\n')).toContain('未加盖财政部门公章');
    expect(items.join('\n')).toContain('联合体');
    await p.getByTestId('project-edit').click();
    await p.getByTestId('project-form').waitFor();
    await p.getByTestId('project-material-funding_proof-done').waitFor();
    await uploadVia(p, 'project-material-funding_proof', file('资金来源证明（盖章）.pdf'));
    await p.getByTestId('project-material-funding_proof-done').filter({ hasText: '盖章' }).waitFor();
    await uploadVia(p, 'project-material-tender_plan', file('招标方案（修订）.pdf'));
    await p.getByTestId('project-material-tender_plan-done').filter({ hasText: '修订' }).waitFor();
    await snap(p, 'flow-5-resubmit-form');
    await p.getByTestId('project-submit').click();
    await p.waitForURL(new RegExp(`/workbench/projects/${projectId}$`));
    await expect.poll(() => status(p)).toBe('submitted');
  });

  it('the intake window accepts it', async () => {
    const p = intake;
    await p.goto(`${server.url}/workbench/intake/${projectId}`);
    await p.getByTestId('intake-accept').click();
    await p.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await expect.poll(() => status(p)).toBe('accepted');
    await snap(p, 'flow-6-accepted');
  });

  it('the tenderer drafts the tender notice and submits it for review; the center approves it', async () => {
    const p = tenderer;
    await p.goto(`${server.url}/workbench/announcements/new`);
    await p.getByTestId('annwb-form').waitFor();
    await p.getByTestId('annwb-title').fill(NOTICE);
    await chooseTreeNode(p, 'annwb-category', '市政', '市政');
    await searchOption(p, 'annwb-region', '350203', '思明区');
    await chooseOption(p, 'annwb-project', NAME);
    await p
      .getByTestId('annwb-body')
      .fill(
        `<h3>一、项目概况</h3><p>${NAME}已具备招标条件，资金来源为财政资金。</p>` +
          '<table><tr><th>标段</th><th>估算金额（万元）</th></tr><tr><td>施工总承包</td><td>680.00</td></tr></table>' +
          '<h3>二、投标人资格要求</h3><p>具备市政公用工程施工总承包二级及以上资质。</p>',
      );
    await snap(p, 'flow-7-notice-draft');
    await p.getByTestId('annwb-submit').click();
    await p.getByTestId('annwb-form').waitFor();
    await expect.poll(() => status(p)).toBe('in_review');

    const r = intake;
    await r.goto(`${server.url}/workbench/announcement-review`);
    await r.getByTestId('review-open').filter({ hasText: NOTICE }).first().click();
    await r.getByTestId('review-drawer').waitFor();
    await r.getByTestId('review-body').locator('table').waitFor();
    await snap(r, 'flow-8-review');
    await r.getByTestId('review-approve').click();
    await expect.poll(() => r.getByTestId('review-open').filter({ hasText: NOTICE }).count()).toBe(0);
  });

  it('a visitor finds the published notice on the portal', async () => {
    const { context, page, errors: visitorErrors } = await newPage(browser);
    await page.goto(`${server.url}/announcements?q=${encodeURIComponent('演武 照明')}`);
    const link = page.getByTestId('announcement-link').filter({ hasText: NOTICE });
    await link.first().waitFor();
    await snap(page, 'flow-9-portal-search');
    await link.first().click();
    await page.getByTestId('announcement-title').waitFor();
    expect(await page.getByTestId('announcement-title').innerText()).toContain(NOTICE);
    expect(await page.getByTestId('announcement-body').locator('td').filter({ hasText: '680.00' }).count()).toBe(1);
    await snap(page, 'flow-10-portal-detail');
    expectNoPageErrors(visitorErrors);
    for (const e of errors) expectNoPageErrors(e);
    await context.close();
  });
});
