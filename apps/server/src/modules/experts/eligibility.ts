import { sql } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
import { AppError } from '../../platform/http/errors';
import { shanghaiDate } from '../../platform/calendar/index';
import { expertCode, venuePrefixes } from './experts.rules';
import { classification } from './experts.repo';
import type { EvaluationKind } from './experts.tables';
import './experts.tables';

/**
 * The registry's read side for the expert draw (a later part of issue 4). Design: docs/adr/0016-expert-registry.md.
 *
 * An expert is eligible when, for the whole evaluation period:
 * - the record is active (admitted, not suspended for the annual review, not exited or removed);
 * - it holds one of the requested specialties (a 大类/中类 code stands for all its 小类);
 * - it serves the venue's region (its regions are GB/T 2260 prefixes: a province-wide expert serves every district);
 * - it evaluates the requested kind (工程 / 政府采购 / 其他), when one is given;
 * - no leave of its overlaps the period, and no blacklist entry in force overlaps it (lifted entries do not count);
 * - optionally: it has no conflict with any of `avoidOrgCodes` (the bidders' and the tenderer's 统一社会信用代码) —
 *   its current employer, or a declared relation still inside its avoidance window on the period's first day.
 */
export interface EligibilityQuery {
  specialties: string[];
  /** Region codes of the venue(s); the expert must serve one of them. Omit to ignore regions. */
  regions?: string[];
  kinds?: EvaluationKind[];
  /** An instant, or the evaluation period [from, to). */
  at: Date | { from: Date; to: Date };
  avoidOrgCodes?: string[];
  excludeExpertIds?: string[];
}

export interface EligibleExpert {
  expertId: string;
  accountId: string;
  /** ZJ000123 */
  code: string;
  serialNo: number;
  homeRegion: string;
  /** The requested specialties (leaves) this expert holds. */
  specialties: string[];
  /**
   * The codes of the query, as given (a 小类, or a 中类/大类 standing for its 小类), that this expert matches: the
   * draw's `groups` for its strata (ADR 0015: `candidates: eligible.map((e) => ({ id: e.expertId, groups: e.groups }))`).
   */
  groups: string[];
  /** 统一社会信用代码 this expert must avoid on the period's first day: current employer + declared relations. */
  avoidOrgCodes: string[];
}

/** Expand requested codes to leaves: 'A01' → every 'A01xx'. Unknown codes are refused, never silently dropped. */
export async function leafCodes(db: DbOrTx, codes: string[]): Promise<string[]> {
  const cls = await classification(db);
  const out = new Set<string>();
  codes.forEach((c, i) => {
    const node = cls.get(c);
    if (!node) throw new AppError('EXPERT_SPECIALTY_UNKNOWN', 400, `专业代码 ${c} 不在专业分类中`, `Specialty ${c} is not in the classification`, `specialties.${i}`);
    if (node.level === 3) out.add(c);
    else for (const [code, n] of cls) if (n.level === 3 && code.startsWith(c)) out.add(code);
  });
  return [...out].sort();
}

function period(at: EligibilityQuery['at']): { from: Date; to: Date } {
  // An instant is the period [at, at + 1 ms): the same overlap test serves both.
  return at instanceof Date ? { from: at, to: new Date(at.getTime() + 1) } : at;
}

/** The registry conditions shared by eligibleExperts and drawCandidates (specialty, status, region, kind, exclusions). */
async function poolConditions(db: DbOrTx, query: Omit<EligibilityQuery, 'avoidOrgCodes'>) {
  const leaves = await leafCodes(db, query.specialties);
  // Codes are hierarchical by prefix (A → A01 → A0101), so a leaf belongs to every requested code it starts with.
  const requested = [...new Set(query.specialties)].sort();
  const { from, to } = period(query.at);
  if (to.getTime() <= from.getTime()) throw new AppError('VALIDATION_FAILED', 400, '评审期间的结束须晚于开始', 'The period must end after it starts', 'at');
  const prefixes = [...new Set((query.regions ?? []).flatMap(venuePrefixes))];
  // expert_pool (migration 0112) holds one row per (leaf, active expert) with its regions, kinds and declared
  // conflicts, kept in step with the registry by triggers: the specialty, status, region and kind conditions are one
  // range read of its covering index (migration 0113: no heap visits); leave and blacklist (small tables,
  // period-dependent) are joined by the callers.
  const conds = [sql`p.specialty_code IN (${sql.join(leaves.length ? leaves : [''])})`];
  if (prefixes.length) conds.push(sql`p.region_prefixes && ARRAY[${sql.join(prefixes)}]::text[]`);
  if (query.kinds?.length) conds.push(sql`p.kinds && ARRAY[${sql.join(query.kinds)}]::text[]`);
  if (query.excludeExpertIds?.length) conds.push(sql`p.expert_id NOT IN (${sql.join(query.excludeExpertIds)})`);
  const away = sql`SELECT l.expert_id FROM expert_leaves l WHERE l.cancelled_at IS NULL AND l.starts_at < ${to} AND l.ends_at > ${from}`;
  const barred = sql`SELECT b.expert_id FROM expert_blacklist b WHERE b.lifted_at IS NULL AND b.starts_at < ${to} AND (b.ends_at IS NULL OR b.ends_at > ${from})`;
  return { leaves, requested, day: shanghaiDate(from), where: sql.join(conds, sql` AND `), away, barred };
}

/** The requested codes (sorted) that a set of matched leaves falls under. */
const groupsOf = (requested: string[], matched: string[]) => requested.filter((code) => matched.some((leaf) => leaf.startsWith(code)));

/**
 * Declared conflicts still avoided on `day`: entries 'CODE|YYYY-MM-DD' (avoid_until) or 'CODE|' (open-ended), the
 * window covering the period's first day (ISO dates compare as strings).
 */
function conflictsOn(entries: Iterable<string>, day: string): string[] {
  const out: string[] = [];
  for (const c of entries) {
    const bar = c.indexOf('|');
    const until = c.slice(bar + 1);
    if (until === '' || until >= day) out.push(c.slice(0, bar));
  }
  return out;
}

/** Current employer + declared relations, unique and sorted (most experts have one or two: no Set, no copies). */
function avoidCodes(employer: string | null, conflicts: string[]): string[] {
  const out: string[] = employer ? [employer.trim()] : [];
  for (const c of conflicts) {
    const code = c.trim();
    if (!out.includes(code)) out.push(code);
  }
  return out.length > 1 ? out.sort() : out;
}

/**
 * Every eligible expert, ordered by expert number. One SQL statement, set-based (docs/adr/0016, ADR 0019 §
 * performance): the rows of the requested leaves from expert_pool; leave and blacklist anti-joined; the matched
 * leaves merged here (grouping in SQL sorted and compared the array columns, ≈ 50 ms).
 */
export async function eligibleExperts(db: DbOrTx, query: EligibilityQuery): Promise<EligibleExpert[]> {
  const c = await poolConditions(db, query);
  if (!c.leaves.length) return [];
  const avoid = [...new Set((query.avoidOrgCodes ?? []).map((x) => x.trim().toUpperCase()))];
  const conds = [c.where, sql`p.expert_id NOT IN (${c.away})`, sql`p.expert_id NOT IN (${c.barred})`];
  if (avoid.length) {
    conds.push(sql`(p.employer_uscc IS NULL OR p.employer_uscc NOT IN (${sql.join(avoid)}))`);
    conds.push(
      sql`NOT EXISTS (SELECT 1 FROM expert_conflicts c WHERE c.expert_id = p.expert_id AND c.org_uscc IN (${sql.join(avoid)}) AND (c.avoid_until IS NULL OR c.avoid_until >= ${c.day}::date))`,
    );
  }
  const { rows: raw } = await sql<{ id: string; account_id: string; serial_no: number | string; home_region: string; employer_uscc: string | null; code: string; conflicts: string[] }>`
    SELECT p.expert_id AS id, p.account_id, p.serial_no, p.home_region, p.employer_uscc, p.specialty_code AS code, p.conflicts
    FROM expert_pool p
    WHERE ${sql.join(conds, sql` AND `)}
    ORDER BY p.serial_no, p.specialty_code`.execute(db);
  const rows: { id: string; account_id: string; serial_no: number; home_region: string; employer_uscc: string | null; matched: string[]; conflicts: string[] }[] = [];
  for (const r of raw) {
    const prev = rows[rows.length - 1];
    if (prev && prev.id === r.id) prev.matched.push(r.code);
    else
      rows.push({ id: r.id, account_id: r.account_id, serial_no: Number(r.serial_no), home_region: r.home_region, employer_uscc: r.employer_uscc, matched: [r.code], conflicts: conflictsOn(r.conflicts, c.day) });
  }
  return rows.map((r) => ({
    expertId: r.id,
    accountId: r.account_id,
    code: expertCode(r.serial_no),
    serialNo: r.serial_no,
    homeRegion: r.home_region,
    specialties: r.matched,
    groups: groupsOf(c.requested, r.matched),
    avoidOrgCodes: avoidCodes(r.employer_uscc, r.conflicts),
  }));
}

/** A candidate of a draw: the fields the avoidance rules and the lottery need, nothing else. */
export interface DrawCandidateExpert {
  expertId: string;
  accountId: string;
  groups: string[];
  avoidOrgCodes: string[];
}

/**
 * The expert draw's pool query (ADR 0019 § performance): in ONE statement, the eligible experts (as eligibleExperts,
 * without its avoidOrgCodes filter: the draw names every avoided expert) AND the experts who would match but are on
 * leave or barred during the period (the draw publishes them as exclusions). Ordered by expert id — the lottery's
 * canonical order (PostgreSQL orders uuids by their bytes, which is the order of their lowercase hex text), so the
 * pool needs no sorting before it is hashed. Lean: no serial number, region or name, and one text value rather than
 * rows (the driver's per-row and text[] parsing cost more than the query).
 */
export async function drawCandidates(
  db: DbOrTx,
  query: Omit<EligibilityQuery, 'avoidOrgCodes'>,
): Promise<{ eligible: DrawCandidateExpert[]; blocked: { id: string; reason: 'on_leave' | 'blacklisted' }[] }> {
  const c = await poolConditions(db, query);
  if (!c.leaves.length) return { eligible: [], blocked: [] };
  // One row holding one string, a line per (expert, leaf): '<id> <leaf> <B|L|-> <employer> <account> <conflict>…'
  // (B barred, L on leave). 13,000 rows of seven fields cost the driver more CPU than the query itself.
  const { rows } = await sql<{ pool: string | null }>`
    SELECT string_agg(p.expert_id::text || ' ' || p.specialty_code || ' ' ||
             CASE WHEN b.expert_id IS NOT NULL THEN 'B' WHEN l.expert_id IS NOT NULL THEN 'L' ELSE '-' END || ' ' ||
             coalesce(p.employer_uscc, '') || ' ' || p.account_id::text || ' ' || array_to_string(p.conflicts, ' '),
           E'\n' ORDER BY p.expert_id, p.specialty_code) AS pool
    FROM expert_pool p
    LEFT JOIN (SELECT DISTINCT expert_id FROM (${c.barred}) x) b ON b.expert_id = p.expert_id
    LEFT JOIN (SELECT DISTINCT expert_id FROM (${c.away}) y) l ON l.expert_id = p.expert_id
    WHERE ${c.where}`.execute(db);
  const eligible: DrawCandidateExpert[] = [];
  const blocked: { id: string; reason: 'on_leave' | 'blacklisted' }[] = [];
  const lines = rows[0]?.pool ? rows[0].pool.split('\n') : [];
  let prev = '';
  for (let k = 0; k < lines.length; k++) {
    const f = lines[k]!.split(' ');
    const id = f[0]!;
    if (id === prev) continue;
    prev = id;
    if (f[2] !== '-') {
      blocked.push({ id, reason: f[2] === 'B' ? 'blacklisted' : 'on_leave' });
      continue;
    }
    const matched = [f[1]!];
    for (let j = k + 1; j < lines.length && lines[j]!.startsWith(id); j++) matched.push(lines[j]!.slice(id.length + 1, lines[j]!.indexOf(' ', id.length + 1)));
    const conflicts = f.length > 5 && f[5] ? conflictsOn(f.slice(5), c.day) : [];
    eligible.push({ expertId: id, accountId: f[4]!, groups: groupsOf(c.requested, matched), avoidOrgCodes: avoidCodes(f[3] || null, conflicts) });
  }
  return { eligible, blocked };
}

/**
 * Companion lookup from the organisations' side, by the 统一社会信用代码 index: which experts must avoid any of
 * `orgCodes` on the date of `at` (current employer or a declared relation inside its window). For checking a
 * replacement, or a committee drawn earlier against a bidder list that changed. Map: expertId → the codes hit.
 */
export async function conflictedExperts(db: DbOrTx, query: { orgCodes: string[]; at: Date }): Promise<Map<string, string[]>> {
  const codes = [...new Set(query.orgCodes.map((c) => c.trim().toUpperCase()))];
  const out = new Map<string, string[]>();
  if (!codes.length) return out;
  const day = shanghaiDate(query.at);
  const declared = await db
    .selectFrom('expert_conflicts')
    .select(['expert_id', sql<string>`org_uscc::text`.as('code')])
    .where('org_uscc', 'in', codes)
    .where(({ or, eb }) => or([eb('avoid_until', 'is', null), eb('avoid_until', '>=', day)]))
    .execute();
  const employed = await db.selectFrom('experts').select(['id as expert_id', sql<string>`employer_uscc::text`.as('code')]).where('employer_uscc', 'in', codes).execute();
  for (const r of [...declared, ...employed]) {
    const list = out.get(r.expert_id) ?? [];
    if (!list.includes(r.code.trim())) list.push(r.code.trim());
    out.set(r.expert_id, list.sort());
  }
  return out;
}
