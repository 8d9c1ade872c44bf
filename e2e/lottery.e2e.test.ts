/**
 * The public draw verification page, in Chromium: the center's venue staff commit to a seat-assignment draw, execute
 * it and reveal the seed through the API; anyone opens /verify/draw/<id> and the browser recomputes the draw from the
 * record (yiwang-draw/1 via @yiwang/sdk/lottery) and shows every check passed. The same record with one assignment
 * swapped, pasted into the page, is rejected and the failing check named. Before the reveal the page says the draw
 * cannot be verified yet instead of passing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './lib/server';
import { hasChromium, launch, requireChromium } from './lib/browser';
import { ApiSession } from './lib/api';
import { expectNoPageErrors, newPage, PHONE, snap } from './lib/ui';
import { drawLedgerPayload, ledgerEntryHash, runDraw, type DrawRecord } from '@yiwang/contracts/lottery';

requireChromium();

type Rec = DrawRecord & { execution: NonNullable<DrawRecord['execution']> & { result: { assignments: { to: string; id: string }[] } } };

/** Another pool (the unselected seats renamed), every hash and ledger entry hash recomputed: consistent, but forged. */
function forgeConsistently(r: Rec): DrawRecord {
  const x = r.execution;
  const candidates = x.pool.candidates!.map((c) => (x.result.selected!.some((s) => s.id === c.id) ? c : { id: `${c.id}-B`, groups: c.groups }));
  const o = runDraw(r.seed!, { drawId: r.drawId, purpose: r.purpose, subject: r.subject, replaces: r.replaces }, { candidates, strata: x.strata, exclusions: x.exclusions, assignTo: x.assignTo!.ids, entropy: x.entropy });
  const f: DrawRecord = structuredClone(r);
  f.execution = { ...x, pool: { size: candidates.length, hash: o.poolHash, candidates: o.canonical.candidates }, inputsHash: o.inputsHash, result: { count: o.selected.length, hash: o.resultHash, selected: o.selected, assignments: o.assignments } };
  f.ledger = f.ledger!.map((e) => ({ ...e, entryHash: ledgerEntryHash({ ...e, subjectType: 'lottery_draw', subjectId: f.drawId, payload: drawLedgerPayload(f, e.type) }) }));
  return f;
}

describe.skipIf(!hasChromium)('draw verification page (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let revealed: Rec;
  let secretId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const venue = await ApiSession.login(server.url, 'venue1');
    const seats = Array.from({ length: 20 }, (_, k) => `A-${String(k + 1).padStart(2, '0')}`);
    const c = await venue.post<Rec>('/api/lottery/draws', { purpose: 'seat_assignment', subject: '第1评标室 e2e 标段1 评标工位' });
    await venue.post(`/api/lottery/draws/${c.drawId}/execute`, { candidates: seats, assignTo: ['expert-01', 'expert-02', 'expert-03', 'expert-04', 'expert-05'], entropy: '见证人现场报数 5 2 8' });
    revealed = await venue.post<Rec>(`/api/lottery/draws/${c.drawId}/reveal`);
    expect(revealed.seed).toMatch(/^[0-9a-f]{64}$/);
    // A second draw still inside its secrecy period (no reveal yet).
    const s = await venue.post<Rec>('/api/lottery/draws', { purpose: 'tie_break', subject: 'e2e 标段2 第二名同分' });
    await venue.post(`/api/lottery/draws/${s.drawId}/execute`, { candidates: ['bidder-a', 'bidder-b', 'bidder-c'], count: 3 });
    secretId = s.drawId;
    // Sign a ledger checkpoint now (the background one runs every 10 minutes), so the records' entries have proofs.
    const admin = await ApiSession.login(server.url, 'admin');
    await admin.post('/api/ledger/checkpoints');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('verifies a real draw in the browser, and rejects the same record with a swapped seat', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${server.url}/verify/draw/${revealed.drawId}`);
    const verdict = page.getByTestId('draw-verdict');
    await expect.poll(() => verdict.getAttribute('data-status'), { timeout: 30_000 }).toBe('verified');
    expect(await verdict.innerText()).toContain('验证通过');
    for (const check of ['algorithm', 'commitment', 'pool', 'inputs', 'result', 'ledger', 'anchor'])
      expect(await page.getByTestId(`draw-check-${check}`).getAttribute('data-status')).toBe('pass');
    const table = await page.getByTestId('draw-result').innerText();
    for (const a of revealed.execution!.result.assignments) expect(table).toContain(a.id);
    await snap(page, 'lottery-verify-ok');

    // The same record with two experts' seats swapped: pasted into the page, it fails on the result.
    const tampered = structuredClone(revealed);
    const as = tampered.execution!.result.assignments;
    [as[0]!.id, as[1]!.id] = [as[1]!.id, as[0]!.id];
    await page.getByTestId('draw-json-input').fill(JSON.stringify(tampered, null, 2));
    await page.getByTestId('draw-verify-json').click();
    await expect.poll(() => verdict.getAttribute('data-status')).toBe('failed');
    expect(await page.getByTestId('draw-check-result').getAttribute('data-status')).toBe('fail');
    expect(await page.getByTestId('draw-check-commitment').getAttribute('data-status')).toBe('pass');
    expect(await verdict.innerText()).toContain('抽取结果不符');
    // The two swapped rows are marked, with what the recomputation gives instead.
    expect(await page.locator('[data-testid=draw-result] tr[data-mismatch=true]').count()).toBe(2);
    expect(await page.getByTestId('draw-check-result').innerText()).toContain(`expert-01→${as[1]!.id}`);
    await snap(page, 'lottery-verify-tampered');

    // A wholly self-consistent forgery (other seats in the pool, every hash and ledger entry hash recomputed) passes
    // every offline check, and the browser finds its draw entry is not the one in the platform's signed ledger.
    const forged = forgeConsistently(revealed);
    await page.getByTestId('draw-json-input').fill(JSON.stringify(forged));
    await page.getByTestId('draw-verify-json').click();
    await expect.poll(() => verdict.getAttribute('data-status')).toBe('failed');
    for (const check of ['commitment', 'pool', 'inputs', 'result', 'ledger']) expect(await page.getByTestId(`draw-check-${check}`).getAttribute('data-status')).toBe('pass');
    expect(await page.getByTestId('draw-check-anchor').getAttribute('data-status')).toBe('fail');
    expect(await verdict.innerText()).toContain('账本存证不符');
    await snap(page, 'lottery-verify-forged');

    // A forged seed breaks the commitment.
    await page.getByTestId('draw-json-input').fill(JSON.stringify({ ...revealed, seed: 'ab'.repeat(32) }));
    await page.getByTestId('draw-verify-json').click();
    await expect.poll(() => page.getByTestId('draw-check-commitment').getAttribute('data-status')).toBe('fail');
    expectNoPageErrors(errors);
    await context.close();
  });

  it('says a draw inside its secrecy period cannot be verified yet (phone)', async () => {
    const { context, page, errors } = await newPage(browser, PHONE);
    await page.goto(`${server.url}/verify`);
    await page.getByTestId('verify-draw-link').click();
    await page.getByTestId('draw-id-input').locator('input').fill(secretId);
    await page.getByTestId('draw-id-input').locator('input').press('Enter');
    const verdict = page.getByTestId('draw-verdict');
    await expect.poll(() => verdict.getAttribute('data-status'), { timeout: 30_000 }).toBe('pending');
    expect(await page.getByTestId('draw-check-commitment').getAttribute('data-status')).toBe('pending');
    expect(await page.getByText('保密期内，尚未公布').count()).toBe(1);
    await snap(page, 'lottery-verify-pending-phone');
    expectNoPageErrors(errors);
    await context.close();
  });
});
