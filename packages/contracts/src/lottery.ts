/**
 * yiwang-draw/1 — the verifiable lottery (ARCHITECTURE §5; docs/adr/0015-verifiable-lottery.md).
 *
 * One pure implementation for the server (which draws), the SDK and CLI (which verify) and browsers (the public
 * verification page). No Node APIs: SHA-256 comes from @noble/hashes unless the caller passes a faster one with the
 * same results (the server passes node:crypto's, as with the ledger's Merkle tree).
 *
 * SPECIFICATION (enough to re-implement; every hash is SHA-256, every integer big-endian):
 *
 *   str(s)   = u32(byte length of UTF-8(s)) ‖ UTF-8(s)
 *   list(xs) = u32(count) ‖ item(x) for each x, in the order stated
 *   tag(t)   = str("yiwang-draw/1:" + t)
 *
 * Identifiers (candidate ids, group codes, assignee ids) match ID_PATTERN when drawn: ASCII only, so "canonical order"
 * is plain byte order of the strings (JS `<` on them gives the same). A verifier needs only that they are 1–128
 * characters of visible ASCII (0x21–0x7E): that keeps the encoding unambiguous and the order byte order. Names never enter a draw: business modules map ids to
 * names in their presenters.
 *
 * 1. Commitment, made before the inputs exist. seed = 32 random bytes.
 *      commitment = H(tag("commit") ‖ seed ‖ str(drawId) ‖ str(purpose) ‖ str(subject) ‖ str(replaces or ""))
 * 2. Pool. Candidates sorted by id (ids unique); each candidate's groups sorted and unique.
 *      poolHash = H(tag("pool") ‖ list(candidates: str(id) ‖ list(groups: str(g))))
 * 3. Inputs. Strata sorted by group (groups unique; the group "*" = every candidate, allowed only as the single
 *    stratum); exclusions sorted by their commitment; assignees sorted (or absent: count 0).
 *      inputsHash = H(tag("inputs") ‖ str(drawId) ‖ str(purpose) ‖ str(subject) ‖ str(replaces or "") ‖ poolHash ‖
 *                     list(strata: str(group) ‖ u32(count)) ‖ list(exclusions: commitment bytes(32) ‖ str(reason)) ‖
 *                     list(assignees: str(id)) ‖ str(entropy))
 * 4. Random stream. key = H(tag("key") ‖ seed ‖ inputsHash); block_i = HMAC-SHA256(key, u64(i)) for i = 0, 1, 2, …;
 *    the stream is block_0 ‖ block_1 ‖ …, read 4 bytes at a time as u32.
 * 5. uniform(n), 1 ≤ n ≤ 2^32, rejection sampling (no modulo bias): limit = 2^32 − (2^32 mod n); read x until
 *    x < limit; return x mod n. Always reads at least one u32 (also for n = 1).
 * 6. Selection. For each stratum in order: E = the candidates in canonical order that belong to its group and were
 *    not selected by an earlier stratum; m = |E|; fail if m < count; for j = 0 … count−1: r = j + uniform(m − j),
 *    swap E[j] and E[r], select E[j] (partial Fisher–Yates). One stream serves all strata, in order.
 *    selected = [{id, group}] in selection order. With assignees, assignments[i] = {to: assignees[i], id:
 *    selected[i].id} (assignees sorted, their count equal to the number selected).
 * 7. resultHash = H(tag("result") ‖ inputsHash ‖ list(selected: str(id) ‖ str(group)))
 * 8. Exclusions (回避) are applied before the draw: the pool holds only eligible candidates. Each exclusion is published
 *    as a salted commitment with a public reason code; the opening (id, detail, salt) stays with the custodians:
 *      exclusion commitment = H(tag("exclusion") ‖ salt(16 bytes) ‖ str(drawId) ‖ str(id) ‖ str(reason) ‖ str(detail))
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as sha256Noble } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, nobleSha256, type Sha256 } from './merkle';
import { DRAW_ALGORITHM, u64, Writer } from './lottery-encoding';

export { bytesToHex, hexToBytes, nobleSha256, type Sha256, DRAW_ALGORITHM };

/** Candidate ids, group codes, assignee ids: ASCII, 1–128 characters, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,127}$/;
/** Purposes and exclusion reason codes. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
export const ALL_GROUP = '*';
export const MAX_POOL = 1_000_000;
const HEX32 = /^[0-9a-f]{64}$/;

/** Known purposes (others matching CODE_PATTERN are allowed; these are the ones the platform names). */
export const DRAW_PURPOSES = {
  expert_selection: { zh: '评标专家抽取', en: 'Expert selection' },
  expert_replacement: { zh: '专家补抽', en: 'Expert replacement draw' },
  seat_assignment: { zh: '评标工位分配', en: 'Seat (工位) assignment' },
  venue_selection: { zh: '远程异地评标副场选择', en: 'Remote secondary venue selection' },
  tie_break: { zh: '同分排序抽签', en: 'Tie-break' },
} as const;

/** Public exclusion (回避) reason codes; the detail stays with the custodians. */
export const EXCLUSION_REASONS = {
  conflict_of_interest: { zh: '利害关系回避', en: 'Conflict of interest' },
  same_organisation: { zh: '同单位回避', en: 'Same organisation' },
  recent_service: { zh: '近期参评回避', en: 'Served recently' },
  unavailable: { zh: '无法参加', en: 'Unavailable' },
  declined: { zh: '拒绝参加', en: 'Declined' },
  other: { zh: '其他', en: 'Other' },
} as const;

export interface DrawStatement {
  drawId: string;
  purpose: string;
  /** What the draw is for, e.g. "tender:<uuid>/lot:2"; free text up to 200 characters. */
  subject: string;
  /** The draw this one follows (补抽 / re-draw), or null. */
  replaces: string | null;
}

export interface DrawCandidate {
  id: string;
  groups: string[];
}
export interface DrawStratum {
  group: string;
  count: number;
}
export interface DrawExclusion {
  commitment: string;
  reason: string;
}
export interface ExclusionOpening {
  id: string;
  reason: string;
  detail: string;
  /** 16 bytes, hex. */
  salt: string;
}
export interface DrawInputs {
  candidates: DrawCandidate[];
  strata: DrawStratum[];
  exclusions: DrawExclusion[];
  /** Ids that receive the selected candidates in order (e.g. experts receiving seats), or null. */
  assignTo: string[] | null;
  /** Public entropy unknown when the commitment was made (e.g. read out at the draw), "" if none. ≤ 200 chars. */
  entropy: string;
}
export interface DrawSelection {
  id: string;
  group: string;
}
export interface DrawAssignment {
  to: string;
  id: string;
}
export interface DrawOutcome {
  poolHash: string;
  inputsHash: string;
  selected: DrawSelection[];
  assignments: DrawAssignment[] | null;
  resultHash: string;
  /** The inputs in canonical order, as the record must hold them. */
  canonical: DrawInputs;
}

/** Invalid inputs (stable code + bilingual message), e.g. a stratum larger than its eligible candidates. */
export class DrawInputError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(en);
    this.name = 'DrawInputError';
  }
}

const bad = (code: string, zh: string, en: string, details: Record<string, unknown> = {}) => new DrawInputError(code, zh, en, details);

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function seedBytes(seedHex: string): Uint8Array {
  if (!HEX32.test(seedHex)) throw new DrawInputError('SEED_INVALID', '种子须为 64 位小写十六进制（32 字节）', 'The seed must be 64 lowercase hex digits (32 bytes)');
  return hexToBytes(seedHex);
}

// ---------------------------------------------------------------------------------------------------------------
// Hashes

export function drawCommitment(seedHex: string, s: DrawStatement, h: Sha256 = nobleSha256): string {
  const w = new Writer().tag('commit').bytes(seedBytes(seedHex)).str(s.drawId).str(s.purpose).str(s.subject).str(s.replaces ?? '');
  return bytesToHex(h(w.out()));
}

const badId = (s: unknown, what: 'candidate' | 'group') =>
  what === 'candidate'
    ? bad('CANDIDATE_ID_INVALID', `候选编号格式不正确：${String(s).slice(0, 40)}`, `Malformed candidate id: ${String(s).slice(0, 40)}`)
    : bad('GROUP_INVALID', `分组代码格式不正确：${String(s).slice(0, 40)}`, `Malformed group code: ${String(s).slice(0, 40)}`);

/**
 * Pool hash over candidates ALREADY in canonical order (see canonicalCandidates); checks every id and group code is
 * visible ASCII while encoding. The encoding is sized exactly first, so a 100,000-candidate pool is one allocation and one hash.
 */
export function poolHash(candidates: readonly DrawCandidate[], h: Sha256 = nobleSha256): string {
  const head = new Writer().tag('pool').u32(candidates.length).out();
  const n = candidates.length;
  let size = head.length;
  for (let k = 0; k < n; k++) {
    const c = candidates[k]!;
    if (typeof c.id !== 'string' || c.id.length < 1 || c.id.length > 128) throw badId(c.id, 'candidate');
    const gs = c.groups;
    if (gs.length > 100) throw bad('GROUP_INVALID', `候选 ${c.id} 的分组过多（至多 100 个）`, `Candidate ${c.id} has more than 100 groups`);
    size += 8 + c.id.length;
    for (let j = 0; j < gs.length; j++) {
      const g = gs[j];
      if (typeof g !== 'string' || g.length < 1 || g.length > 128) throw badId(g, 'group');
      size += 4 + g.length;
    }
  }
  // One tight loop (this is most of the cost of verifying a large record): every character must be visible ASCII
  // (0x21–0x7E), so bytes are characters and canonical order is byte order; `out` turns negative otherwise. Drawing
  // has already checked the stricter ID_PATTERN (canonicalInputs). Length prefixes ≤ 128 fit their last byte.
  const b = new Uint8Array(size);
  b.set(head, 0);
  let p = head.length;
  let out = 0;
  for (let k = 0; k < n; k++) {
    const c = candidates[k]!;
    const id = c.id;
    const len = id.length;
    b[p + 3] = len;
    p += 4;
    for (let i = 0; i < len; i++) {
      const ch = id.charCodeAt(i);
      out |= (ch - 0x21) | (0x7e - ch);
      b[p++] = ch;
    }
    const gs = c.groups;
    b[p + 3] = gs.length;
    p += 4;
    for (let j = 0; j < gs.length; j++) {
      const g = gs[j]!;
      const gl = g.length;
      b[p + 3] = gl;
      p += 4;
      for (let i = 0; i < gl; i++) {
        const ch = g.charCodeAt(i);
        out |= (ch - 0x21) | (0x7e - ch);
        b[p++] = ch;
      }
    }
  }
  if (out < 0) {
    const visible = /^[\x21-\x7e]+$/;
    for (const c of candidates) {
      if (!visible.test(c.id)) throw badId(c.id, 'candidate');
      for (const g of c.groups) if (!visible.test(g)) throw badId(g, 'group');
    }
  }
  return bytesToHex(h(b));
}

/** inputsHash over canonical inputs, given the pool hash (which a secret record shows without the candidates). */
export function inputsHash(
  s: DrawStatement,
  pool: string,
  i: Pick<DrawInputs, 'strata' | 'exclusions' | 'assignTo' | 'entropy'>,
  h: Sha256 = nobleSha256,
): string {
  const w = new Writer().tag('inputs').str(s.drawId).str(s.purpose).str(s.subject).str(s.replaces ?? '').bytes(hexToBytes(pool));
  w.u32(i.strata.length);
  for (const st of i.strata) w.str(st.group).u32(st.count);
  w.u32(i.exclusions.length);
  for (const e of i.exclusions) w.hex(e.commitment).str(e.reason);
  const a = i.assignTo ?? [];
  w.u32(a.length);
  for (const id of a) w.id(id);
  w.str(i.entropy);
  return bytesToHex(h(w.out()));
}

export function resultHash(inputs: string, selected: readonly DrawSelection[], h: Sha256 = nobleSha256): string {
  const w = new Writer().tag('result').bytes(hexToBytes(inputs)).u32(selected.length);
  for (const s of selected) w.id(s.id).str(s.group);
  return bytesToHex(h(w.out()));
}

export function exclusionCommitment(drawId: string, o: ExclusionOpening, h: Sha256 = nobleSha256): string {
  if (!/^[0-9a-f]{32}$/.test(o.salt)) throw new DrawInputError('SALT_INVALID', '回避承诺的盐须为 16 字节十六进制', 'The exclusion salt must be 16 bytes of hex');
  const w = new Writer().tag('exclusion').hex(o.salt).str(drawId).str(o.id).str(o.reason).str(o.detail);
  return bytesToHex(h(w.out()));
}

// ---------------------------------------------------------------------------------------------------------------
// Random stream

/** HMAC-SHA256 with any SHA-256 (RFC 2104; the key is 32 bytes, below the 64-byte block). */
function hmacWith(h: Sha256, key: Uint8Array): (msg: Uint8Array) => Uint8Array {
  if (h === nobleSha256) return (msg) => hmac(sha256Noble, key, msg);
  const ipad = new Uint8Array(64).fill(0x36);
  const opad = new Uint8Array(64).fill(0x5c);
  for (let i = 0; i < key.length; i++) {
    ipad[i]! ^= key[i]!;
    opad[i]! ^= key[i]!;
  }
  return (msg) => h(opad, h(ipad, msg));
}
/** The DRBG of step 4: HMAC-SHA256 in counter mode, read as big-endian u32s. */
export class DrawStream {
  private block: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private counter = 0;
  private readonly mac: (msg: Uint8Array) => Uint8Array;
  /** How many u32 were read (tests and diagnostics). */
  reads = 0;
  constructor(seedHex: string, inputs: string, h: Sha256 = nobleSha256) {
    const key = h(new Writer().tag('key').bytes(seedBytes(seedHex)).bytes(hexToBytes(inputs)).out());
    this.mac = hmacWith(h, key);
  }
  nextU32(): number {
    if (this.pos >= this.block.length) {
      this.block = this.mac(u64(this.counter++));
      this.pos = 0;
    }
    const b = this.block;
    const p = this.pos;
    this.pos += 4;
    this.reads++;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }
}

const TWO32 = 2 ** 32;

/** Step 5: an unbiased integer in [0, n) from a source of uniform u32s (rejection sampling). */
export function uniformBelow(next: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO32) throw new RangeError(`uniformBelow: n = ${n}`);
  const limit = TWO32 - (TWO32 % n);
  for (;;) {
    const x = next();
    if (x < limit) return x % n;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Canonical inputs and the draw


export function checkStatement(s: DrawStatement): void {
  if (typeof s.drawId !== 'string' || !ID_PATTERN.test(s.drawId)) throw bad('DRAW_ID_INVALID', '抽取编号格式不正确', 'The draw id is malformed');
  if (typeof s.purpose !== 'string' || !CODE_PATTERN.test(s.purpose)) throw bad('PURPOSE_INVALID', '抽取用途代码格式不正确', 'The purpose code is malformed');
  if (typeof s.subject !== 'string' || s.subject.length < 1 || s.subject.length > 200)
    throw bad('SUBJECT_INVALID', '抽取事项须为 1–200 个字符', 'The subject must be 1–200 characters');
  if (s.replaces !== null && (typeof s.replaces !== 'string' || !ID_PATTERN.test(s.replaces)))
    throw bad('REPLACES_INVALID', '被替代抽取的编号格式不正确', 'The id of the replaced draw is malformed');
}

/** Validate (ids and group codes against ID_PATTERN) and sort the inputs into canonical order: the order given can never steer the result. */
export function canonicalInputs(i: DrawInputs): DrawInputs {
  const candidates = canonicalCandidates(i.candidates);
  for (const c of candidates) {
    if (!ID_PATTERN.test(c.id)) throw badId(c.id, 'candidate');
    for (const g of c.groups) if (typeof g !== 'string' || !ID_PATTERN.test(g)) throw badId(g, 'group');
  }
  return { candidates, ...canonicalParams(i, candidates.length) };
}

/**
 * The pool in canonical order: ids unique and sorted, each candidate's groups unique and sorted. Already-canonical
 * input (a record) is only checked, not copied. Characters are checked by canonicalInputs (drawing: ID_PATTERN) and
 * poolHash (verifying: visible ASCII).
 */
export function canonicalCandidates(given: readonly DrawCandidate[]): DrawCandidate[] {
  if (!Array.isArray(given) || given.length < 1 || given.length > MAX_POOL)
    throw bad('POOL_SIZE', `候选池须有 1–${MAX_POOL} 个候选`, `The pool must hold 1–${MAX_POOL} candidates`);
  // Fast path (a record, 10^5 candidates): already in canonical order → checked, not copied.
  let canonical = true;
  for (let k = 0; k < given.length && canonical; k++) {
    const c = given[k];
    if (!c || typeof c.id !== 'string') throw badId(c?.id, 'candidate');
    const g = c.groups;
    if (!Array.isArray(g) || (k > 0 && !(given[k - 1]!.id < c.id))) canonical = false;
    else for (let j = 1; j < g.length; j++) if (!(g[j - 1]! < g[j]!)) canonical = false;
  }
  if (canonical) return given as DrawCandidate[];

  const candidates = given.map((c): DrawCandidate => {
    if (!c || typeof c.id !== 'string') throw badId(c?.id, 'candidate');
    const groups = c.groups ?? [];
    if (!Array.isArray(groups) || groups.length > 100) throw bad('GROUP_INVALID', `候选 ${c.id} 的分组无效（至多 100 个）`, `Candidate ${c.id} has invalid groups (100 at most)`);
    for (const g of groups) if (typeof g !== 'string') throw badId(g, 'group');
    const sorted = [...groups].sort(byteOrder);
    for (let i = 1; i < sorted.length; i++)
      if (sorted[i - 1] === sorted[i]) throw bad('GROUP_DUPLICATE', `候选 ${c.id} 的分组重复`, `Candidate ${c.id} lists a group twice`);
    return { id: c.id, groups: sorted };
  });
  candidates.sort((a, b) => byteOrder(a.id, b.id));
  for (let k = 1; k < candidates.length; k++)
    if (candidates[k - 1]!.id === candidates[k]!.id) throw bad('CANDIDATE_DUPLICATE', `候选重复：${candidates[k]!.id}`, `Duplicate candidate: ${candidates[k]!.id}`);
  return candidates;
}

/** Strata, exclusions, assignees and entropy in canonical order, checked against a pool of `poolSize`. */
export function canonicalParams(i: Omit<DrawInputs, 'candidates'>, poolSize: number): Omit<DrawInputs, 'candidates'> {
  if (!Array.isArray(i.strata) || i.strata.length < 1) throw bad('STRATA_EMPTY', '至少需要一个抽取分组', 'At least one stratum is needed');
  const strata = i.strata.map((s) => {
    if (typeof s?.group !== 'string' || (s.group !== ALL_GROUP && !ID_PATTERN.test(s.group))) throw bad('GROUP_INVALID', '抽取分组代码格式不正确', 'Malformed stratum group');
    if (!Number.isInteger(s.count) || s.count < 1 || s.count > poolSize) throw bad('COUNT_INVALID', `分组 ${s.group} 的抽取人数不正确`, `Invalid count for stratum ${s.group}`);
    return { group: s.group, count: s.count };
  });
  strata.sort((a, b) => byteOrder(a.group, b.group));
  for (let k = 1; k < strata.length; k++) if (strata[k - 1]!.group === strata[k]!.group) throw bad('STRATUM_DUPLICATE', `抽取分组重复：${strata[k]!.group}`, `Duplicate stratum: ${strata[k]!.group}`);
  if (strata.length > 1 && strata.some((s) => s.group === ALL_GROUP)) throw bad('STRATUM_ALL_MIXED', '“全部”分组只能单独使用', 'The "*" stratum cannot be combined with others');
  const total = strata.reduce((n, s) => n + s.count, 0);
  if (total > poolSize) throw bad('POOL_TOO_SMALL', `共需抽取 ${total} 个，候选池只有 ${poolSize} 个`, `${total} to draw from a pool of ${poolSize}`, { needed: total, available: poolSize });

  const exclusions = (i.exclusions ?? []).map((e) => {
    if (typeof e?.commitment !== 'string' || !HEX32.test(e.commitment)) throw bad('EXCLUSION_INVALID', '回避承诺须为 64 位小写十六进制', 'An exclusion commitment must be 64 lowercase hex digits');
    if (typeof e.reason !== 'string' || !CODE_PATTERN.test(e.reason)) throw bad('EXCLUSION_INVALID', '回避原因代码格式不正确', 'Malformed exclusion reason code');
    return { commitment: e.commitment, reason: e.reason };
  });
  exclusions.sort((a, b) => byteOrder(a.commitment, b.commitment));
  for (let k = 1; k < exclusions.length; k++) if (exclusions[k - 1]!.commitment === exclusions[k]!.commitment) throw bad('EXCLUSION_DUPLICATE', '回避承诺重复', 'Duplicate exclusion commitment');

  let assignTo: string[] | null = null;
  if (i.assignTo != null) {
    assignTo = [...i.assignTo].sort(byteOrder);
    assignTo.forEach((a, k) => {
      if (typeof a !== 'string' || !ID_PATTERN.test(a)) throw bad('ASSIGNEE_INVALID', '分配对象编号格式不正确', 'Malformed assignee id');
      if (k > 0 && assignTo![k - 1] === a) throw bad('ASSIGNEE_DUPLICATE', `分配对象重复：${a}`, `Duplicate assignee: ${a}`);
    });
    if (assignTo.length !== total) throw bad('ASSIGNEE_COUNT', `分配对象 ${assignTo.length} 个，与抽取数 ${total} 不符`, `${assignTo.length} assignees for ${total} selections`);
  }
  const entropy = i.entropy ?? '';
  if (typeof entropy !== 'string' || entropy.length > 200) throw bad('ENTROPY_INVALID', '公开随机数不超过 200 个字符', 'Public entropy is at most 200 characters');
  return { strata, exclusions, assignTo, entropy };
}

/** Step 6 on canonical inputs. */
export function select(stream: DrawStream, inputs: DrawInputs): DrawSelection[] {
  const out: DrawSelection[] = [];
  // Members of each stratum's group as candidate indices, in canonical order (one pass over the pool).
  const members = new Map<string, number[]>(inputs.strata.map((s) => [s.group, []]));
  const all = members.get(ALL_GROUP);
  const cs = inputs.candidates;
  if (all) for (let k = 0; k < cs.length; k++) all.push(k);
  else
    for (let k = 0; k < cs.length; k++) {
      const gs = cs[k]!.groups;
      for (let j = 0; j < gs.length; j++) {
        const m = members.get(gs[j]!);
        if (m !== undefined) m.push(k);
      }
    }
  const taken = new Set<number>();
  // Groups of the candidates taken so far: a stratum's list needs filtering only if one of them belongs to it.
  const takenGroups = new Set<string>();
  for (const s of inputs.strata) {
    const list = members.get(s.group)!;
    const e = taken.size && (all || takenGroups.has(s.group)) ? list.filter((k) => !taken.has(k)) : list;
    const m = e.length;
    if (m < s.count)
      throw bad('STRATUM_TOO_SMALL', `分组 ${s.group} 需抽取 ${s.count} 个，可选仅 ${m} 个`, `Stratum ${s.group} needs ${s.count}, only ${m} eligible`, { group: s.group, needed: s.count, available: m });
    for (let j = 0; j < s.count; j++) {
      const r = j + uniformBelow(() => stream.nextU32(), m - j);
      const pick = e[r]!;
      e[r] = e[j]!;
      e[j] = pick;
      taken.add(pick);
      for (const g of cs[pick]!.groups) takenGroups.add(g);
      out.push({ id: cs[pick]!.id, group: s.group });
    }
  }
  return out;
}

/** Run a draw: canonicalise, hash, select. Throws DrawInputError on invalid inputs. */
export function runDraw(seedHex: string, statement: DrawStatement, given: DrawInputs, h: Sha256 = nobleSha256): DrawOutcome {
  checkStatement(statement);
  seedBytes(seedHex);
  const canonical = canonicalInputs(given);
  const pool = poolHash(canonical.candidates, h);
  const inputs = inputsHash(statement, pool, canonical, h);
  const selected = select(new DrawStream(seedHex, inputs, h), canonical);
  const assignments = canonical.assignTo ? canonical.assignTo.map((to, k) => ({ to, id: selected[k]!.id })) : null;
  return { poolHash: pool, inputsHash: inputs, selected, assignments, resultHash: resultHash(inputs, selected, h), canonical };
}

export { verifyDrawRecord, DRAW_CHECK_LABELS, ledgerEntryHash, drawLedgerPayload, type DrawLedgerEntry, type DrawRecord, type DrawVerification, type DrawCheck, type DrawCheckName, type DrawCheckStatus } from './lottery-verify';
