/**
 * Screenshots of the web app for a person to look at (not a test): builds the real application in-process over a
 * fresh PGlite database, fills it through the public API (accounts, published notices, a submitted project),
 * serves the built bundle (apps/web/dist) on a free port and photographs the pages at desktop 1366×768 and
 * phone 390×844 with Debian's Chromium. PNGs go to test-results/screenshots/ (git-ignored).
 *
 *   npm run build -w @yiwang/web && node --import tsx e2e/screenshots.ts [name-filter]
 */
import path from 'node:path';
import fs from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { createTestApp, login, seedAccount, TEST_PASSWORD } from '../apps/server/test/harness';
import { ensureCatalogSeeded } from '../apps/server/src/modules/catalog/index';
import { ROOT } from './lib/server';
import { CHROMIUM } from './lib/browser';

const OUT = path.join(ROOT, 'test-results/screenshots');
const filter = process.argv[2];

async function main() {
  const webDist = path.join(ROOT, 'apps/web/dist');
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('build the web app first: npm run build -w @yiwang/web');
  const now = new Date();
  const t = await createTestApp('pglite', {
    now: new Date(now.getTime() - 20 * 86_400_000).toISOString(),
    config: { webDist, requireStaffTotp: false },
  });
  const { app, ctx, clock } = t;
  await ensureCatalogSeeded(ctx.db, clock.now());

  // People: a tenderer (with its organisation), the intake window, an administrator, a bidder.
  const tenderer = await seedAccount(ctx, {
    username: 'tenderer1',
    displayName: '李招标',
    roles: [{ role: 'tenderer' }],
    org: { name: '厦门市思明区建设局', uscc: '11350203MB0000001X', region: '350203' },
  });
  await seedAccount(ctx, { username: 'intake1', displayName: '王受理', roles: [{ role: 'center_intake' }], org: null });
  await seedAccount(ctx, { username: 'admin1', displayName: '平台管理员', roles: [{ role: 'admin' }], org: null });
  await seedAccount(ctx, {
    username: 'bidder1',
    displayName: '张投标',
    roles: [{ role: 'bidder' }],
    org: { name: '福建某建设集团有限公司', uscc: '91350200MA0000002Y' },
  });
  void tenderer;

  // Published notices spread over the last three weeks, so lists, details and the 30-day chart have content.
  const samples: [string, string, string, string][] = [
    ['tender_notice', 'works.housing', '350203', '思明区第二实验小学教学楼改扩建工程施工招标公告'],
    ['tender_notice', 'works.municipal', '350203', '鹭江道市政道路提升改造工程（一期）施工招标公告'],
    ['tender_notice', 'gp.goods', '350206', '湖里区人民医院医用设备采购项目公开招标公告'],
    ['change_notice', 'works.housing', '350203', '思明区第二实验小学教学楼改扩建工程施工招标变更公告'],
    ['candidate_publicity', 'works.transport', '350211', '集美大道快速公交站点改造工程中标候选人公示'],
    ['award_notice', 'gp.services', '350205', '海沧区政务服务中心物业管理服务采购项目中标结果公告'],
    ['transfer_notice', 'land', '350212', '同安区 2026TP05 地块国有建设用地使用权挂牌出让公告'],
    ['tender_notice', 'works.water', '350213', '翔安区九溪流域综合治理工程设计施工总承包招标公告'],
    ['deal_publicity', 'official_vehicles', '350200', '市直机关公务用车拍卖成交公示'],
    ['tender_notice', 'gp.works', '350203', '思明区老旧小区改造（第三批）工程采购公告'],
    ['award_notice', 'works.municipal', '350206', '湖里大道绿化景观提升工程中标结果公告'],
    ['tender_notice', 'state_property', '350200', '厦门某国有企业持有股权转让公告'],
  ];
  let firstId = '';
  for (const [i, [type, categoryCode, regionCode, title]] of samples.entries()) {
    clock.set(new Date(now.getTime() - (samples.length - i) * 1.6 * 86_400_000));
    // Sessions are short (2 h): sign in again at each simulated moment.
    const author = await login(app, 'tenderer1');
    const reviewer = await login(app, 'intake1');
    const body = `<h3>一、项目概况</h3><p>${title.replace(/公告|公示/g, '')}，资金来源为财政资金，已落实。招标范围：施工图范围内全部内容。</p><h3>二、投标人资格要求</h3><ul><li>具备建筑工程施工总承包二级及以上资质；</li><li>近三年无重大安全事故；</li><li>未被列入失信被执行人名单。</li></ul><h3>三、招标文件的获取</h3><p>凡有意参加投标者，请于 <strong>北京时间 2026 年 12 月 1 日至 12 月 8 日</strong> 登录一网交易平台下载电子招标文件。</p><table><tr><th>标段</th><th>估算金额（万元）</th><th>工期（日历天）</th></tr><tr><td>第一标段</td><td>1,280.00</td><td>365</td></tr><tr><td>第二标段</td><td>960.50</td><td>300</td></tr></table>`;
    const needsRelated = type === 'change_notice';
    const c = await author.post('/api/announcements', {
      type,
      title,
      categoryCode,
      regionCode,
      bodyHtml: body,
      ...(needsRelated ? { relatedId: firstId } : {}),
    });
    if (c.statusCode !== 201) throw new Error(`draft ${c.statusCode} ${c.body}`);
    const id = c.json<{ announcement: { id: string } }>().announcement.id;
    if (!firstId) firstId = id;
    const s = await author.post(`/api/announcements/${id}/submit`);
    if (s.statusCode !== 200) throw new Error(`submit ${s.statusCode} ${s.body}`);
    if (i < samples.length - 1) {
      const a = await reviewer.post(`/api/announcements/${id}/approve`);
      if (a.statusCode !== 200) throw new Error(`approve ${a.statusCode} ${a.body}`);
    }
  }
  clock.set(now);
  const author = await login(app, 'tenderer1');

  // A project registered and submitted for intake, and a draft.
  const project = {
    name: '思明区第二实验小学教学楼改扩建工程',
    catalogCode: 'works.housing',
    procedureType: 'works_open_tender',
    subject: 'works',
    regionCode: '350203',
    estimateFen: 22_405_000_00,
    lots: [
      { name: '第一标段（土建）', estimateFen: 12_800_000_00 },
      { name: '第二标段（安装）', estimateFen: 9_605_000_00 },
    ],
  };
  // Intake materials: upload a small PDF-like file per required material (multipart, field `file`).
  const upload = async (name: string) => {
    const boundary = '----yw' + Math.random().toString(16).slice(2);
    const payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 ${name}\n\r\n--${boundary}--\r\n`,
    );
    const r = await author.request({
      method: 'POST',
      url: '/api/files',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    if (r.statusCode !== 201) throw new Error(`upload ${r.statusCode} ${r.body}`);
    return r.json<{ id: string }>().id;
  };
  const materials = [];
  for (const code of ['project_approval', 'funding_proof', 'tender_plan']) materials.push({ code, fileId: await upload(`${code}.pdf`) });
  const p1 = await author.post('/api/projects', { ...project, materials });
  if (p1.statusCode !== 201) throw new Error(`project ${p1.statusCode} ${p1.body}`);
  const projectId = p1.json<{ id: string }>().id;
  const sub = await author.post(`/api/projects/${projectId}/submit`);
  if (sub.statusCode !== 200) console.warn(`project submit ${sub.statusCode} ${sub.body.slice(0, 300)}`);
  const p2 = await author.post('/api/projects', { ...project, materials, name: '鹭江道市政道路提升改造工程（一期）', catalogCode: 'works.municipal', lots: [{ name: '全部', estimateFen: project.estimateFen }] });
  const project2Id = p2.json<{ id: string }>().id;
  await author.post(`/api/projects/${project2Id}/submit`);
  await author.post('/api/projects', { ...project, name: '湖里区人民医院门诊楼改造工程' }); // stays a draft

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`serving ${address}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  fs.mkdirSync(OUT, { recursive: true });
  const viewports = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

  async function signIn(page: Page, username: string) {
    await page.goto(`${address}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/workbench/);
  }

  const shots: {
    name: string;
    path: string;
    as?: string;
    ready?: string;
    lang?: 'en';
    full?: boolean;
    /** Take this shot on one viewport only (it changes data the other run would need again). */
    only?: 'desktop' | 'phone';
    act?: (p: Page) => Promise<void>;
  }[] = [
    { name: 'home', path: '/', ready: 'announcement-item' },
    { name: 'home-en', path: '/', ready: 'announcement-item', lang: 'en' },
    { name: 'announcements', path: '/announcements', ready: 'announcement-item' },
    { name: 'announcements-search', path: '/announcements?q=%E6%80%9D%E6%98%8E', ready: 'announcement-item' },
    { name: 'announcement-detail', path: `/announcements/${firstId}`, ready: 'announcement-title' },
    { name: 'catalog', path: '/catalog', ready: 'catalog-tree' },
    { name: 'stats', path: '/stats', ready: 'chart-trend' },
    { name: 'verify', path: '/verify' },
    { name: 'login', path: '/login', ready: 'login-form' },
    { name: 'wb-tenderer-home', path: '/workbench', as: 'tenderer1', ready: 'workbench-welcome' },
    { name: 'wb-projects', path: '/workbench/projects', as: 'tenderer1', ready: 'project-item' },
    { name: 'wb-project-new', path: '/workbench/projects/new', as: 'tenderer1', ready: 'project-form' },
    {
      // Drives the registration form the way a person does, saves a draft and lands on its detail page.
      name: 'wb-project-filled',
      path: '/workbench/projects/new',
      as: 'tenderer1',
      ready: 'project-form',
      act: async (p) => {
        await p.getByTestId('project-name').fill('同安区第三中学体育馆新建工程');
        await p.getByTestId('project-region').click();
        await p.keyboard.type('350212');
        await p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '同安区' }).first().click();
        await p.getByTestId('project-category').click();
        await p.keyboard.type('房屋');
        await p.locator('.ant-select-dropdown:visible [title="房屋建筑"]').click();
        await p.getByTestId('project-procedure').click();
        await p.locator('.ant-select-dropdown:visible [title="工程公开招标"]').click();
        await p.getByTestId('project-subject').click();
        await p.locator('.ant-select-dropdown:visible [title="施工"]').click();
        await p.getByTestId('project-budget').fill('5,000,000');
        await p.getByTestId('project-lot-name-0').fill('全部');
        await p.getByTestId('project-lot-budget-0').fill('5000000');
        for (const code of ['project_approval', 'funding_proof', 'tender_plan']) {
          const [chooser] = await Promise.all([p.waitForEvent('filechooser', { timeout: 10_000 }), p.getByTestId(`project-material-${code}`).click({ timeout: 10_000 })]);
          await chooser.setFiles({ name: `${code}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${code}`) });
          await p.getByTestId(`project-material-${code}-done`).waitFor();
        }
        await p.screenshot({
          path: path.join(OUT, `${p.viewportSize()!.width > 500 ? 'desktop' : 'phone'}-wb-project-form-filled.png`),
          fullPage: true,
        });
        await p.getByTestId('project-submit').click();
        await p.getByTestId('project-title').waitFor({ timeout: 10_000 });
      },
    },
    {
      // The intake window returns a project with the one complete list of what is missing.
      name: 'wb-intake-return',
      only: 'desktop', // changes the project: once is enough
      path: `/workbench/intake/${projectId}`,
      as: 'intake1',
      ready: 'intake-return',
      act: async (p) => {
        await p.getByTestId('intake-return').click();
        await p.getByTestId('intake-item-code-0').click();
        await p.locator('.ant-select-dropdown:visible [title="项目审批、核准或备案文件"]').click();
        await p.getByTestId('intake-item-note-0').fill('批复文件未加盖公章，请补正');
        await p.screenshot({ path: path.join(OUT, `${p.viewportSize()!.width > 500 ? 'desktop' : 'phone'}-wb-intake-return-modal.png`) });
        await p.getByTestId('intake-modal-ok').click();
        await p.getByText('已退回').first().waitFor({ timeout: 10_000 });
      },
    },
    {
      name: 'wb-intake-accept',
      only: 'desktop',
      path: `/workbench/intake/${project2Id}`,
      as: 'intake1',
      ready: 'intake-accept',
      act: async (p) => {
        await p.getByTestId('intake-accept').click();
        await p.getByTestId('intake-accept-confirm').click();
        await p.getByText('已受理').first().waitFor({ timeout: 10_000 });
      },
    },
    { name: 'wb-project-returned', path: `/workbench/projects/${projectId}`, as: 'tenderer1', ready: 'project-returned-items' },
    { name: 'wb-announcements', path: '/workbench/announcements', as: 'tenderer1', ready: 'annwb-item' },
    {
      // Drafts a notice with the toolbar, saves it (the server sanitises), then submits it for review.
      name: 'wb-announcement-edit',
      path: `/workbench/announcements/new`,
      as: 'tenderer1',
      ready: 'annwb-form',
      act: async (p) => {
        await p.getByTestId('annwb-title').fill('同安区第三中学体育馆新建工程施工招标公告');
        await p.getByTestId('annwb-category').click();
        await p.keyboard.type('房屋');
        await p.locator('.ant-select-dropdown:visible [title="房屋建筑"]').click();
        await p.getByTestId('annwb-region').click();
        await p.keyboard.type('350212');
        await p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '同安区' }).first().click();
        await p.getByTestId('annwb-body').fill('');
        await p.getByTestId('annwb-body').pressSequentially('一、项目概况');
        await p.getByTestId('annwb-body').selectText();
        await p.getByTestId('rte-heading').click();
        await p.getByTestId('annwb-body').press('End');
        await p.getByTestId('annwb-body').pressSequentially('<p>本工程位于同安区，<script>alert(1)</script>建筑面积 5,200 平方米。</p>');
        await p.getByTestId('annwb-save').click();
        await p.waitForURL(/\/workbench\/announcements\/[0-9a-f-]{36}$/, { timeout: 10_000 });
        await p.getByText('预览（已保存版本）').click();
        await p.waitForTimeout(300);
        await p.screenshot({ path: path.join(OUT, `${p.viewportSize()!.width > 500 ? 'desktop' : 'phone'}-wb-announcement-preview.png`), fullPage: true });
        await p.getByTestId('annwb-submit').click();
        await p.getByText('待审核').first().waitFor({ timeout: 10_000 });
      },
    },
    { name: 'wb-intake-queue', path: '/workbench/intake', as: 'intake1', ready: 'intake-item' },
    { name: 'wb-intake-detail', path: `/workbench/intake/${projectId}`, as: 'intake1', ready: 'project-title' },
    {
      name: 'wb-review',
      only: 'desktop', // approves the only notice in review
      path: '/workbench/announcement-review',
      as: 'intake1',
      ready: 'review-item',
      act: async (p) => {
        await p.getByTestId('review-open').first().click();
        await p.getByTestId('review-body').waitFor();
        await p.screenshot({ path: path.join(OUT, `${p.viewportSize()!.width > 500 ? 'desktop' : 'phone'}-wb-review-drawer.png`) });
        await p.getByTestId('review-approve').click();
        await p.getByTestId('review-drawer').waitFor({ state: 'hidden', timeout: 10_000 });
      },
    },
    { name: 'wb-admin-calendar', path: '/workbench/calendar', as: 'admin1', ready: 'calendar-grid' },
    { name: 'wb-admin-catalog', path: '/workbench/catalog', as: 'admin1' },
    { name: 'wb-bidder-home', path: '/workbench', as: 'bidder1', ready: 'workbench-welcome' },
  ];

  for (const [vp, size] of Object.entries(viewports)) {
    const contexts = new Map<string, Awaited<ReturnType<typeof browser.newContext>>>();
    for (const s of shots) {
      if ((filter && !s.name.includes(filter)) || (s.only && s.only !== vp)) continue;
      const key = `${s.as ?? 'anon'}-${s.lang ?? 'zh'}`;
      let context = contexts.get(key);
      if (!context) {
        context = await browser.newContext({ viewport: size, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'America/New_York' });
        if (s.lang) await context.addInitScript(() => localStorage.setItem('yw.lang', 'en'));
        contexts.set(key, context);
        if (s.as) {
          const p = await context.newPage();
          await signIn(p, s.as);
          await p.close();
        }
      }
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      // The "who am I" probe answers 401 to visitors by design; any other console error is worth a look.
      page.on('console', (m) => m.type() === 'error' && !(!s.as && m.text().includes('401')) && errors.push(m.text()));
      await page.goto(`${address}${s.path}`);
      try {
        if (s.ready) await page.getByTestId(s.ready).first().waitFor({ timeout: 10_000 });
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(1300); // let chart animations finish
      } catch (e) {
        errors.push(`not ready: ${String(e).split('\n')[0]}`);
      }
      if (s.act) {
        try {
          await s.act(page);
        } catch (e) {
          errors.push(`action failed: ${String(e).split('\n')[0]}`);
        }
      }
      // Anything wider than the viewport means a horizontal scroll bar on a phone: name the culprits.
      const overflow = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= w) return [];
        return [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > w + 1 && el.getBoundingClientRect().width > 0)
          .slice(0, 5)
          .map(
            (el) =>
              `${el.tagName.toLowerCase()}.${String(el.className).split(' ').slice(0, 2).join('.')} right=${Math.round(el.getBoundingClientRect().right)}`,
          );
      });
      if (overflow.length) errors.push(`horizontal overflow: ${overflow.join(', ')}`);
      const file = path.join(OUT, `${vp}-${s.name}.png`);
      await page.screenshot({ path: file, fullPage: s.full ?? true });
      console.log(`${vp}-${s.name}.png${errors.length ? `  ERRORS: ${errors.join(' | ').slice(0, 400)}` : ''}`);
      await page.close();
    }
    for (const c of contexts.values()) await c.close();
  }
  await browser.close();
  await t.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
