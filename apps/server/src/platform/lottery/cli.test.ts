import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAW_ALGORITHM, drawCommitment, runDraw, type DrawRecord } from '@yiwang/contracts/lottery';
import { verifyDrawCommand } from './cli';

const BIN = fileURLToPath(new URL('../../../bin/yiwang.mjs', import.meta.url));

function genuine(): DrawRecord {
  const seed = 'c0ffee'.repeat(10) + '0123';
  const statement = { drawId: '7d3c6a56-8f57-4d5b-9a38-2b8f2f1f6a01', purpose: 'tie_break', subject: 'center:标段1 第二名同分', replaces: null };
  const o = runDraw(seed, statement, { candidates: ['org-a', 'org-b', 'org-c'].map((id) => ({ id, groups: [] })), strata: [{ group: '*', count: 3 }], exclusions: [], assignTo: null, entropy: '' });
  return {
    algorithm: DRAW_ALGORITHM,
    ...statement,
    commitment: drawCommitment(seed, statement),
    seed,
    execution: {
      pool: { size: 3, hash: o.poolHash, candidates: o.canonical.candidates },
      strata: o.canonical.strata,
      exclusions: [],
      assignTo: null,
      entropy: '',
      inputsHash: o.inputsHash,
      result: { count: 3, hash: o.resultHash, selected: o.selected, assignments: null },
    },
  };
}

describe('yiwang verify-draw', () => {
  let dir: string;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'verify-draw-'));
    const g = genuine();
    const tampered = structuredClone(g);
    tampered.execution!.result.selected!.reverse();
    const early = { ...structuredClone(g), seed: null };
    for (const [name, rec] of Object.entries({ genuine: g, tampered, early })) {
      files[name] = path.join(dir, `${name}.json`);
      await writeFile(files[name]!, JSON.stringify(rec, null, 2));
    }
    files.garbage = path.join(dir, 'garbage.json');
    await writeFile(files.garbage, '{ not json');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    const lines: string[] = [];
    const code = await verifyDrawCommand(args, (l) => lines.push(l), (l) => lines.push(l));
    return { code, text: lines.join('\n') };
  };

  it('exit 0 and a bilingual report for a genuine record', async () => {
    const r = await run([files.genuine!]);
    expect(r.code).toBe(0);
    expect(r.text).toContain('验证通过');
    expect(r.text).toContain('VERIFIED');
    expect(r.text).toMatch(/种子承诺 \/ Seed commitment/);
  });

  it('exit 1 naming the result for a tampered record, and 1 (not yet verifiable) before the reveal', async () => {
    const t = await run([files.tampered!]);
    expect(t.code).toBe(1);
    expect(t.text).toMatch(/✘ 不符 FAIL\s+抽取结果 \/ Result/);
    expect(t.text).toContain('FAILED: 1 check(s)');
    const e = await run([files.early!, '--json']);
    expect(e.code).toBe(1);
    expect(JSON.parse(e.text)).toMatchObject({ ok: false, problems: [], pending: [{ check: 'commitment' }, { check: 'result' }] });
  });

  it('exit 2 for usage and unreadable files', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run([files.garbage!])).code).toBe(2);
  });

  it('the installed bin exits with the verdict', { timeout: 120_000 }, async () => {
    const exit = (file: string) =>
      new Promise<number>((resolve) => execFile(process.execPath, [BIN, 'verify-draw', file], (err) => resolve(err ? ((err as { code?: number }).code ?? 1) : 0)));
    expect(await exit(files.genuine!)).toBe(0);
    expect(await exit(files.tampered!)).toBe(1);
  });
});
