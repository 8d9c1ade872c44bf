import { readFile } from 'node:fs/promises';
import { DRAW_CHECK_LABELS, verifyDrawRecord, type DrawRecord, type DrawVerification } from '@yiwang/contracts/lottery';
import { nodeSha256 } from './service';

/**
 * `yiwang verify-draw <record.json> [--json]`: recompute a draw from its record alone (no database, no network) and
 * say, check by check, in Chinese and English, what matches and what does not. Exit 0 when everything verified,
 * 1 when a check failed or cannot be made yet (seed not revealed), 2 for usage or an unreadable file.
 */
export async function verifyDrawCommand(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    err('usage: yiwang verify-draw <record.json> [--json]   (record: GET /api/lottery/draws/:id/record)');
    return 2;
  }
  let record: DrawRecord;
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as DrawRecord;
  } catch (e) {
    err(`无法读取抽取记录 / cannot read the draw record: ${(e as Error).message}`);
    return 2;
  }
  const t0 = performance.now();
  const v: DrawVerification = verifyDrawRecord(record, nodeSha256);
  const ms = performance.now() - t0;
  if (args.includes('--json')) {
    out(JSON.stringify({ ...v, ms: Math.round(ms * 100) / 100 }, null, 2));
    return v.ok ? 0 : 1;
  }
  const mark = { pass: '✔ 通过 PASS', fail: '✘ 不符 FAIL', pending: '… 待定 PENDING', skipped: '– 不适用 N/A' } as const;
  out(`抽取记录 Draw record ${record?.drawId ?? '?'} (${record?.purpose ?? '?'}) — ${record?.subject ?? ''}`);
  for (const c of v.checks) {
    const label = DRAW_CHECK_LABELS[c.check];
    out(`  ${mark[c.status].padEnd(16)} ${label.zh} / ${label.en}: ${c.zh} / ${c.en}`);
    if (c.status === 'fail' && c.expected !== undefined) out(`      记录 recorded: ${c.expected}\n      重算 computed: ${c.actual}`);
  }
  if (v.recomputed) out(`  重算结果 Recomputed result: ${v.recomputed.selected.map((s) => s.id).join(', ')}`);
  out(
    v.ok
      ? `验证通过：结果可由记录独立重算 / VERIFIED: the result follows from the record (${ms.toFixed(1)} ms)`
      : v.problems.length
        ? `验证失败：${v.problems.length} 项不符 / FAILED: ${v.problems.length} check(s) do not match`
        : `尚不能完全验证：${v.pending.length} 项待揭示 / NOT YET VERIFIABLE: ${v.pending.length} check(s) wait for the reveal`,
  );
  return v.ok ? 0 : 1;
}
