import { readFile } from 'node:fs/promises';
import { DRAW_CHECK_LABELS, verifyDrawRecord, type DrawRecord, type DrawVerification } from '@yiwang/contracts/lottery';
import { verifyDrawAnchors, type DrawAnchors } from '@yiwang/sdk/lottery';
import { nodeSha256 } from './service';

/**
 * `yiwang verify-draw <record.json> [--json] [--platform URL]`: recompute a draw from its record alone (no database,
 * no network) and say, check by check, in Chinese and English, what matches and what does not. With --platform, also
 * check online that the record's ledger entries are in that platform's signed ledger (catches a record forged
 * consistently from end to end). Exit 0 when everything verified, 1 when a check failed or cannot be made yet (seed
 * not revealed, no checkpoint yet), 2 for usage or an unreadable file.
 */
export async function verifyDrawCommand(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const pi = args.indexOf('--platform');
  const platform = pi >= 0 ? args[pi + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && !(pi >= 0 && i === pi + 1));
  if (!file) {
    err('usage: yiwang verify-draw <record.json> [--json] [--platform https://…]   (record: GET /api/lottery/draws/:id/record)');
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
  let anchors: DrawAnchors | undefined;
  if (platform) {
    try {
      anchors = await verifyDrawAnchors(platform, record);
    } catch (e) {
      anchors = { ok: false, entries: [] };
      err(`无法连接平台 / cannot reach the platform: ${(e as Error).message}`);
    }
  }
  const ok = v.ok && (!anchors || anchors.ok);
  if (args.includes('--json')) {
    out(JSON.stringify({ ...v, ok, ...(anchors ? { anchors } : {}), ms: Math.round(ms * 100) / 100 }, null, 2));
    return ok ? 0 : 1;
  }
  const mark = { pass: '✔ 通过 PASS', fail: '✘ 不符 FAIL', pending: '… 待定 PENDING', skipped: '– 不适用 N/A' } as const;
  out(`抽取记录 Draw record ${record?.drawId ?? '?'} (${record?.purpose ?? '?'}) — ${record?.subject ?? ''}`);
  for (const c of v.checks) {
    const label = DRAW_CHECK_LABELS[c.check];
    out(`  ${mark[c.status].padEnd(16)} ${label.zh} / ${label.en}: ${c.zh} / ${c.en}`);
    if (c.status === 'fail' && c.expected !== undefined) out(`      记录 recorded: ${c.expected}\n      重算 computed: ${c.actual}`);
  }
  if (anchors) {
    const word = { anchored: '✔ 已签名存证 anchored', not_checkpointed: '… 尚无检查点 not yet checkpointed', mismatch: '✘ 与账本不符 MISMATCH', unavailable: '? 无法取得 unavailable' } as const;
    for (const e of anchors.entries) out(`  账本 Ledger #${e.seq} ${e.type}: ${word[e.status]}`);
    if (anchors.entries.length === 0) out('  账本 Ledger: 记录未附账本序号 / the record names no ledger entries');
  } else if (v.ok) out('  （未在线核对账本存证；加 --platform <平台地址> / ledger inclusion not checked online; add --platform <URL>）');
  if (v.recomputed) out(`  重算结果 Recomputed result: ${v.recomputed.selected.map((s) => s.id).join(', ')}`);
  if (v.ok && anchors && !anchors.ok) {
    out('账本存证核对未通过 / NOT ANCHORED: the record is consistent but its ledger entries are not confirmed by the signed ledger');
    return 1;
  }
  out(
    v.ok
      ? `验证通过：结果可由记录独立重算 / VERIFIED: the result follows from the record (${ms.toFixed(1)} ms)`
      : v.problems.length
        ? `验证失败：${v.problems.length} 项不符 / FAILED: ${v.problems.length} check(s) do not match`
        : `尚不能完全验证：${v.pending.length} 项待揭示 / NOT YET VERIFIABLE: ${v.pending.length} check(s) wait for the reveal`,
  );
  return v.ok ? 0 : 1;
}
