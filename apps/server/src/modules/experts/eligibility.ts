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

/**
 * Every eligible expert, ordered by expert number (a stable order: the draw hashes the candidate list). One SQL
 * statement, set-based (docs/adr/0016, ADR 0019 § performance): the candidates come from the (specialty_code,
 * expert_id) primary key of the links with their matched leaves aggregated in the same pass; every other condition
 * is a semi/anti join on a narrow link table; the declared conflicts are aggregated once for the candidates only (a
 * per-row subquery for the matched leaves and another for the conflicts cost ~12 µs per candidate — 150 ms for a
 * 12,000-expert pool — and pushed PostgreSQL's cost estimate over the JIT threshold).
 */
export async function eligibleExperts(db: DbOrTx, query: EligibilityQuery): Promise<EligibleExpert[]> {
  const leaves = await leafCodes(db, query.specialties);
  // Codes are hierarchical by prefix (A → A01 → A0101), so a leaf belongs to every requested code it starts with.
  const requested = [...new Set(query.specialties)].sort();
  if (!leaves.length) return [];
  const { from, to } = period(query.at);
  if (to.getTime() <= from.getTime()) throw new AppError('VALIDATION_FAILED', 400, '评审期间的结束须晚于开始', 'The period must end after it starts', 'at');
  const day = shanghaiDate(from);
  const prefixes = [...new Set((query.regions ?? []).flatMap(venuePrefixes))];
  const avoid = [...new Set((query.avoidOrgCodes ?? []).map((c) => c.trim().toUpperCase()))];

  // expert_pool (migration 0112) holds one row per (leaf, active expert) with its regions, kinds and declared
  // conflicts, kept in step with the registry by triggers: the specialty, status, region and kind conditions are one
  // primary-key range read; leave and blacklist (small tables, period-dependent) are anti-joined.
  const conds = [sql`p.specialty_code IN (${sql.join(leaves)})`];
  if (prefixes.length) conds.push(sql`p.region_prefixes && ARRAY[${sql.join(prefixes)}]::text[]`);
  if (query.kinds?.length) conds.push(sql`p.kinds && ARRAY[${sql.join(query.kinds)}]::text[]`);
  conds.push(sql`NOT EXISTS (SELECT 1 FROM expert_leaves l WHERE l.expert_id = p.expert_id AND l.cancelled_at IS NULL AND l.starts_at < ${to} AND l.ends_at > ${from})`);
  conds.push(
    sql`NOT EXISTS (SELECT 1 FROM expert_blacklist b WHERE b.expert_id = p.expert_id AND b.lifted_at IS NULL AND b.starts_at < ${to} AND (b.ends_at IS NULL OR b.ends_at > ${from}))`,
  );
  if (avoid.length) {
    conds.push(sql`(p.employer_uscc IS NULL OR p.employer_uscc NOT IN (${sql.join(avoid)}))`);
    conds.push(
      sql`NOT EXISTS (SELECT 1 FROM expert_conflicts c WHERE c.expert_id = p.expert_id AND c.org_uscc IN (${sql.join(avoid)}) AND (c.avoid_until IS NULL OR c.avoid_until >= ${day}::date))`,
    );
  }
  if (query.excludeExpertIds?.length) conds.push(sql`p.expert_id NOT IN (${sql.join(query.excludeExpertIds)})`);
  // One row per (leaf, expert), merged here: grouping in SQL sorted and compared the array columns (≈ 50 ms).
  const { rows: raw } = await sql<{ id: string; account_id: string; serial_no: number | string; home_region: string; employer_uscc: string | null; code: string; conflicts: string[] }>`
    SELECT p.expert_id AS id, p.account_id, p.serial_no, p.home_region, p.employer_uscc, p.specialty_code AS code, p.conflicts
    FROM expert_pool p
    WHERE ${sql.join(conds, sql` AND `)}
    ORDER BY p.serial_no, p.specialty_code`.execute(db);
  // A declared conflict counts while its avoidance window covers the period's first day ('CODE|YYYY-MM-DD', or
  // 'CODE|' when open-ended); ISO dates compare as strings.
  const rows: { id: string; account_id: string; serial_no: number; home_region: string; employer_uscc: string | null; matched: string[]; conflicts: string[] }[] = [];
  for (const r of raw) {
    const prev = rows[rows.length - 1];
    if (prev && prev.id === r.id) {
      prev.matched.push(r.code);
      continue;
    }
    const conflicts: string[] = [];
    for (const c of r.conflicts) {
      const bar = c.indexOf('|');
      const until = c.slice(bar + 1);
      if (until === '' || until >= day) conflicts.push(c.slice(0, bar));
    }
    rows.push({ id: r.id, account_id: r.account_id, serial_no: Number(r.serial_no), home_region: r.home_region, employer_uscc: r.employer_uscc, matched: [r.code], conflicts });
  }
  return rows.map((r) => ({
    expertId: r.id,
    accountId: r.account_id,
    code: expertCode(r.serial_no),
    serialNo: r.serial_no,
    homeRegion: r.home_region,
    specialties: r.matched,
    groups: requested.filter((code) => r.matched.some((leaf) => leaf.startsWith(code))),
    avoidOrgCodes: [...new Set([...(r.employer_uscc ? [r.employer_uscc.trim()] : []), ...r.conflicts.map((c) => c.trim())])].sort(),
  }));
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
