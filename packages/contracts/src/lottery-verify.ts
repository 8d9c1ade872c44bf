/**
 * Verifying a yiwang-draw/1 record from the record alone (docs/adr/0015-verifiable-lottery.md). Pure; runs in the
 * server, the SDK/CLI and browsers. Each check is pass / fail / pending (not yet verifiable: the seed is revealed when
 * the secrecy period ends, a secret pool when the result is published) / skipped (not applicable).
 */
import {
  canonicalCandidates,
  canonicalParams,
  checkStatement,
  DRAW_ALGORITHM,
  DrawInputError,
  DrawStream,
  drawCommitment,
  exclusionCommitment,
  inputsHash,
  nobleSha256,
  poolHash,
  resultHash,
  select,
  type DrawAssignment,
  type DrawCandidate,
  type DrawExclusion,
  type DrawSelection,
  type DrawStratum,
  type ExclusionOpening,
  type Sha256,
} from './lottery';
import { bytesToHex } from './merkle';

/** The public record of one draw, as GET /api/lottery/draws/:id/record returns it. */
export interface DrawRecord {
  algorithm: string;
  drawId: string;
  purpose: string;
  subject: string;
  replaces: string | null;
  commitment: string;
  /** Revealed when the secrecy period ends; null before. */
  seed: string | null;
  /** null until the draw is executed. */
  execution: {
    /** `candidates` is null while the pool is secret (e.g. experts before the result is published). */
    pool: { size: number; hash: string; candidates: DrawCandidate[] | null };
    strata: DrawStratum[];
    exclusions: DrawExclusion[];
    /** null when the draw assigns nothing; `ids` null while secret. */
    assignTo: { count: number; ids: string[] | null } | null;
    entropy: string;
    inputsHash: string;
    /** `selected`/`assignments` null while secret; the hash is always shown. */
    result: { count: number; hash: string; selected: DrawSelection[] | null; assignments: DrawAssignment[] | null };
  } | null;
  /** Custodians' view only: the openings of the exclusion commitments. */
  exclusionOpenings?: ExclusionOpening[];
  /**
   * The ledger entries of the draw's steps (ADR 0003 hash chain): with them the record's hashes are tied to what the
   * platform ledgered at each step — check each entry's inclusion in a signed checkpoint online
   * (GET /api/ledger/entries/:seq/proof; @yiwang/sdk/lottery verifyDrawAnchors).
   */
  ledger?: DrawLedgerEntry[];
  /** What the platform says about the draw (status, times, ledger positions); informational, not verified here. */
  platform?: Record<string, unknown>;
}

export interface DrawLedgerEntry {
  type: 'lottery.committed' | 'lottery.executed' | 'lottery.revealed';
  seq: number;
  recordedAt: string;
  actorId: string | null;
  prevHash: string;
  entryHash: string;
}

export type DrawCheckName = 'algorithm' | 'format' | 'commitment' | 'pool' | 'inputs' | 'result' | 'exclusions' | 'ledger';
export type DrawCheckStatus = 'pass' | 'fail' | 'pending' | 'skipped';

export interface DrawCheck {
  check: DrawCheckName;
  status: DrawCheckStatus;
  zh: string;
  en: string;
  /** On a failure: what the record states … */
  expected?: string;
  /** … and what was computed from it. */
  actual?: string;
}

export interface DrawVerification {
  /** True only when every applicable check passed (nothing failed, nothing pending). */
  ok: boolean;
  /** The checks that failed: exactly what does not match. */
  problems: DrawCheck[];
  /** The checks that cannot be made yet (seed or pool not yet revealed). */
  pending: DrawCheck[];
  checks: DrawCheck[];
  /** The recomputed result when it could be recomputed. */
  recomputed?: { selected: DrawSelection[]; assignments: DrawAssignment[] | null; resultHash: string };
}

const LABEL: Record<DrawCheckName, { zh: string; en: string }> = {
  algorithm: { zh: '算法版本', en: 'Algorithm version' },
  format: { zh: '记录格式', en: 'Record format' },
  commitment: { zh: '种子承诺', en: 'Seed commitment' },
  pool: { zh: '候选池哈希', en: 'Candidate pool hash' },
  inputs: { zh: '抽取输入哈希', en: 'Inputs hash' },
  result: { zh: '抽取结果', en: 'Result' },
  exclusions: { zh: '回避承诺', en: 'Exclusion commitments' },
  ledger: { zh: '账本记录', en: 'Ledger entries' },
};
export const DRAW_CHECK_LABELS = LABEL;

const same = <T>(a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);

/** Recompute everything the record allows and compare. Never throws. */
export function verifyDrawRecord(record: DrawRecord, h: Sha256 = nobleSha256): DrawVerification {
  const checks: DrawCheck[] = [];
  const put = (check: DrawCheckName, status: DrawCheckStatus, zh: string, en: string, extra: { expected?: string; actual?: string } = {}) =>
    checks.push({ check, status, zh, en, ...extra });
  const finish = (recomputed?: DrawVerification['recomputed']): DrawVerification => {
    const problems = checks.filter((c) => c.status === 'fail');
    const pending = checks.filter((c) => c.status === 'pending');
    return { ok: problems.length === 0 && pending.length === 0, problems, pending, checks, ...(recomputed ? { recomputed } : {}) };
  };

  if (!record || typeof record !== 'object') {
    put('format', 'fail', '不是抽取记录（应为 JSON 对象）', 'Not a draw record (a JSON object is expected)');
    return finish();
  }
  if (record.algorithm !== DRAW_ALGORITHM) {
    put('algorithm', 'fail', `不支持的算法版本，应为 ${DRAW_ALGORITHM}`, `Unsupported algorithm; expected ${DRAW_ALGORITHM}`, {
      expected: DRAW_ALGORITHM,
      actual: String(record.algorithm),
    });
    return finish();
  }
  put('algorithm', 'pass', `算法 ${DRAW_ALGORITHM}`, `Algorithm ${DRAW_ALGORITHM}`);

  const statement = { drawId: record.drawId, purpose: record.purpose, subject: record.subject, replaces: record.replaces ?? null };
  try {
    checkStatement(statement);
    if (typeof record.commitment !== 'string' || !/^[0-9a-f]{64}$/.test(record.commitment)) throw new DrawInputError('COMMITMENT_INVALID', '承诺值须为 64 位小写十六进制', 'The commitment must be 64 lowercase hex digits');
    if (record.seed !== null && (typeof record.seed !== 'string' || !/^[0-9a-f]{64}$/.test(record.seed)))
      throw new DrawInputError('SEED_INVALID', '种子须为 64 位小写十六进制', 'The seed must be 64 lowercase hex digits');
  } catch (e) {
    const err = e as DrawInputError;
    put('format', 'fail', err.zh ?? String(e), err.en ?? String(e));
    return finish();
  }

  // 1. The revealed seed is the one committed to before the draw.
  if (record.seed === null) put('commitment', 'pending', '种子尚未揭示（保密期内），暂不能核对承诺', 'The seed is not revealed yet (secrecy period): the commitment cannot be checked yet');
  else {
    const c = drawCommitment(record.seed, statement, h);
    if (c === record.commitment) put('commitment', 'pass', '揭示的种子与抽取前公布的承诺一致', 'The revealed seed matches the commitment published before the draw');
    else put('commitment', 'fail', '揭示的种子与承诺不符', 'The revealed seed does not match the commitment', { expected: record.commitment, actual: c });
  }

  const x = record.execution;
  if (!x) {
    for (const name of ['pool', 'inputs', 'result'] as const) put(name, 'pending', '尚未抽取', 'Not drawn yet');
    put('exclusions', 'skipped', '尚未抽取', 'Not drawn yet');
    return finish();
  }
  if (!x.pool || !x.result || !Array.isArray(x.strata) || !Array.isArray(x.exclusions) || typeof x.inputsHash !== 'string') {
    put('format', 'fail', '抽取部分缺少字段', 'The execution part of the record is incomplete');
    return finish();
  }

  // 2. The pool: canonical candidates hash to the published pool hash.
  let candidates: DrawCandidate[] | undefined;
  const assigneesHidden = !!x.assignTo && x.assignTo.ids === null;
  if (x.pool.candidates === null) {
    put('pool', 'pending', `候选池名单保密（共 ${x.pool.size} 个），结果公布后可核对`, `The pool (${x.pool.size} candidates) is secret until the result is published`);
  } else {
    try {
      candidates = canonicalCandidates(x.pool.candidates);
      const ph = poolHash(candidates, h);
      if (ph !== x.pool.hash) put('pool', 'fail', '候选名单与公布的候选池哈希不符', 'The candidate list does not match the published pool hash', { expected: x.pool.hash, actual: ph });
      else if (candidates.length !== x.pool.size)
        put('pool', 'fail', '候选数与记录的候选池规模不符', 'The number of candidates differs from the stated pool size', { expected: String(x.pool.size), actual: String(candidates.length) });
      else put('pool', 'pass', `${x.pool.size} 个候选与候选池哈希一致`, `${x.pool.size} candidates match the pool hash`);
    } catch (e) {
      const err = e as DrawInputError;
      put('pool', 'fail', `候选池无效：${err.zh ?? e}`, `Invalid pool: ${err.en ?? e}`);
      candidates = undefined;
    }
  }

  // 3. Inputs hash: pool hash, strata, exclusions, assignees and public entropy as published.
  let params: ReturnType<typeof canonicalParams> | undefined;
  let inputs: string | undefined;
  if (assigneesHidden) put('inputs', 'pending', '分配对象名单保密，结果公布后可核对', 'The assignees are secret until the result is published');
  else {
    try {
      params = canonicalParams({ strata: x.strata, exclusions: x.exclusions, assignTo: x.assignTo ? x.assignTo.ids : null, entropy: x.entropy }, x.pool.size);
      inputs = inputsHash(statement, x.pool.hash, params, h);
      if (inputs === x.inputsHash) put('inputs', 'pass', '抽取参数（分组、回避、分配对象、公开随机数）与输入哈希一致', 'Strata, exclusions, assignees and public entropy match the inputs hash');
      else put('inputs', 'fail', '抽取参数与输入哈希不符', 'The parameters do not match the inputs hash', { expected: x.inputsHash, actual: inputs });
    } catch (e) {
      const err = e as DrawInputError;
      put('inputs', 'fail', `抽取参数无效：${err.zh ?? e}`, `Invalid parameters: ${err.en ?? e}`);
      params = undefined;
    }
  }

  // 4. The result, recomputed from the seed and the inputs as published.
  let recomputed: DrawVerification['recomputed'];
  if (record.seed === null) put('result', 'pending', '种子揭示后可重算结果', 'The result can be recomputed once the seed is revealed');
  else if (x.pool.candidates === null || assigneesHidden) put('result', 'pending', '名单公布后可重算结果', 'The result can be recomputed once the names are published');
  else if (!candidates || !params || !inputs) put('result', 'fail', '候选池或抽取参数无效，无法重算', 'The pool or the parameters are invalid: nothing to recompute');
  else {
    try {
      const selected = select(new DrawStream(record.seed, inputs, h), { candidates, ...params });
      const assignments = params.assignTo ? params.assignTo.map((to, k) => ({ to, id: selected[k]!.id })) : null;
      const rh = resultHash(inputs, selected, h);
      recomputed = { selected, assignments, resultHash: rh };
      const diffs: string[] = [];
      if (x.result.selected !== null && !same(x.result.selected, selected)) diffs.push('selected');
      if (x.result.assignments !== null && !same(x.result.assignments, assignments)) diffs.push('assignments');
      if (x.result.count !== selected.length) diffs.push('count');
      if (rh !== x.result.hash) diffs.push('hash');
      if (diffs.length === 0) put('result', 'pass', `重算结果与记录一致（${selected.length} 个）`, `The recomputed result matches the record (${selected.length} selected)`);
      else {
        const firstDiff = Array.isArray(x.result.selected) ? x.result.selected.findIndex((s, k) => s?.id !== selected[k]?.id || s?.group !== selected[k]?.group) : -1;
        put(
          'result',
          'fail',
          `重算结果与记录不符（${diffs.join('、')}${firstDiff >= 0 ? `，第 ${firstDiff + 1} 位起` : ''}）`,
          `The recomputed result differs from the record (${diffs.join(', ')}${firstDiff >= 0 ? `, from position ${firstDiff + 1}` : ''})`,
          diffs[0] === 'assignments'
            ? { expected: (x.result.assignments ?? []).map((a) => `${a?.to}→${a?.id}`).join(','), actual: (assignments ?? []).map((a) => `${a.to}→${a.id}`).join(',') }
            : diffs[0] === 'selected'
              ? { expected: (x.result.selected ?? []).map((s) => s?.id).join(','), actual: selected.map((s) => s.id).join(',') }
              : { expected: String(x.result.hash), actual: rh },
        );
      }
    } catch (e) {
      const err = e as DrawInputError;
      put('result', 'fail', `无法按记录重算：${err.zh ?? e}`, `Cannot recompute from the record: ${err.en ?? e}`);
    }
  }

  // 5. Exclusion openings (custodians' view): each opens a published commitment, and no excluded id was in the pool.
  const openings = record.exclusionOpenings;
  if (!openings || openings.length === 0) {
    put('exclusions', 'skipped', `${x.exclusions.length} 项回避以承诺值公布（明细由监督方保管）`, `${x.exclusions.length} exclusion(s) published as commitments (details held by the custodians)`);
  } else {
    const published = new Set(x.exclusions.map((e) => e.commitment));
    const inPool = new Set((x.pool.candidates ?? []).map((c) => c.id));
    const bad: string[] = [];
    for (const o of openings) {
      try {
        const c = exclusionCommitment(record.drawId, o, h);
        if (!published.has(c)) bad.push(`${o.id}: commitment`);
        else if (inPool.has(o.id)) bad.push(`${o.id}: in pool`);
      } catch {
        bad.push(`${o.id}: malformed`);
      }
    }
    if (openings.length !== x.exclusions.length) bad.push(`count ${openings.length}/${x.exclusions.length}`);
    if (bad.length) put('exclusions', 'fail', `回避明细与承诺不符：${bad.join('；')}`, `Exclusion openings do not match: ${bad.join('; ')}`);
    else put('exclusions', 'pass', `${openings.length} 项回避明细与承诺一致，且均不在候选池中`, `${openings.length} exclusion opening(s) match and none is in the pool`);
  }
  checkLedger(record, h, put);
  return finish(recomputed);
}

// ---------------------------------------------------------------------------------------------------------------
// Ledger entries (ADR 0003): entry_hash = SHA-256(prev_hash ‖ "\n" ‖ canonical JSON of {actorId, payload, recordedAt,
// seq, subjectId, subjectType, type}), keys sorted at every depth. The payloads are rebuilt from the record exactly as
// platform/lottery/service.ts wrote them, so a record whose hashes differ from what was ledgered fails here.

function sortDeep(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(sortDeep);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v as Record<string, unknown>).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortDeep(x);
  }
  return out;
}

export function ledgerEntryHash(
  e: { prevHash: string; seq: number; recordedAt: string; type: string; subjectType: string; subjectId: string; actorId: string | null; payload: unknown },
  h: Sha256 = nobleSha256,
): string {
  const body = JSON.stringify(sortDeep({ actorId: e.actorId, payload: e.payload, recordedAt: e.recordedAt, seq: e.seq, subjectId: e.subjectId, subjectType: e.subjectType, type: e.type }));
  return bytesToHex(h(new TextEncoder().encode(`${e.prevHash}\n${body}`)));
}

/** The payload the service ledgered for a step, rebuilt from the record; undefined if the record lacks the data. */
export function drawLedgerPayload(record: DrawRecord, type: DrawLedgerEntry['type']): Record<string, unknown> | undefined {
  const p = (record.platform ?? {}) as { secret?: boolean; revealAfter?: string | null; replaceReason?: string | null };
  const x = record.execution;
  switch (type) {
    case 'lottery.committed':
      return {
        algorithm: record.algorithm,
        purpose: record.purpose,
        subject: record.subject,
        commitment: record.commitment,
        replaces: record.replaces ?? null,
        replaceReason: p.replaceReason ?? null,
        secret: !!p.secret,
        revealAfter: p.revealAfter ?? null,
      };
    case 'lottery.executed':
      if (!x) return undefined;
      return {
        poolSize: x.pool.size,
        poolHash: x.pool.hash,
        inputsHash: x.inputsHash,
        resultHash: x.result.hash,
        selectedCount: x.result.count,
        strata: x.strata.map((s) => ({ group: s.group, count: s.count })),
        exclusions: x.exclusions.length,
      };
    case 'lottery.revealed':
      return record.seed ? { seed: record.seed, commitment: record.commitment } : undefined;
  }
}

function checkLedger(record: DrawRecord, h: Sha256, put: (c: DrawCheckName, s: DrawCheckStatus, zh: string, en: string, extra?: { expected?: string; actual?: string }) => void): void {
  const entries = record.ledger;
  if (!Array.isArray(entries) || entries.length === 0) {
    put('ledger', 'skipped', '记录未附账本序号，仅能核对其自身一致性', 'The record carries no ledger entries: only its own consistency can be checked');
    return;
  }
  const bad: string[] = [];
  const need: DrawLedgerEntry['type'][] = ['lottery.committed', ...(record.execution ? (['lottery.executed'] as const) : []), ...(record.seed ? (['lottery.revealed'] as const) : [])];
  for (const t of need) if (!entries.some((e) => e?.type === t)) bad.push(`${t}: missing`);
  for (const e of entries) {
    try {
      const payload = drawLedgerPayload(record, e.type);
      if (!payload) {
        bad.push(`#${e.seq} ${e.type}: no data`);
        continue;
      }
      const computed = ledgerEntryHash({ ...e, subjectType: 'lottery_draw', subjectId: record.drawId, payload }, h);
      if (computed !== e.entryHash) bad.push(`#${e.seq} ${e.type}`);
    } catch {
      bad.push(`#${String(e?.seq)}: malformed`);
    }
  }
  const seqs = entries.map((e) => `#${e.seq}`).join(' ');
  if (bad.length) put('ledger', 'fail', `记录与其账本记录不符：${bad.join('；')}`, `The record does not match its ledger entries: ${bad.join('; ')}`);
  else put('ledger', 'pass', `与账本记录 ${seqs} 一致（可在线核对其已签名存证）`, `Matches ledger entries ${seqs} (their signed inclusion can be checked online)`);
}
