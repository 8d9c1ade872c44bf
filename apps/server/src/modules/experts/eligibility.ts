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
 * statement: each condition is an indexed probe of a narrow link table (docs/adr/0016).
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

  let q = db
    .selectFrom('experts as e')
    .select(['e.id', 'e.account_id', 'e.serial_no', 'e.home_region', 'e.employer_uscc'])
    .select(
      sql<string[]>`ARRAY(SELECT s.specialty_code FROM expert_specialty_links s WHERE s.expert_id = e.id AND s.specialty_code IN (${sql.join(leaves)}) ORDER BY 1)`.as(
        'matched',
      ),
    )
    .select(
      sql<string[]>`ARRAY(SELECT DISTINCT c.org_uscc::text FROM expert_conflicts c WHERE c.expert_id = e.id AND (c.avoid_until IS NULL OR c.avoid_until >= ${day}::date) ORDER BY 1)`.as(
        'conflicts',
      ),
    )
    .where('e.status', '=', 'active')
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('expert_specialty_links as s').select('s.expert_id').whereRef('s.expert_id', '=', 'e.id').where('s.specialty_code', 'in', leaves)),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('expert_leaves as l')
            .select('l.id')
            .whereRef('l.expert_id', '=', 'e.id')
            .where('l.cancelled_at', 'is', null)
            .where('l.starts_at', '<', to)
            .where('l.ends_at', '>', from),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('expert_blacklist as b')
            .select('b.id')
            .whereRef('b.expert_id', '=', 'e.id')
            .where('b.lifted_at', 'is', null)
            .where('b.starts_at', '<', to)
            .where((b) => b.or([b('b.ends_at', 'is', null), b('b.ends_at', '>', from)])),
        ),
      ),
    );
  if (prefixes.length)
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('expert_regions as r').select('r.expert_id').whereRef('r.expert_id', '=', 'e.id').where('r.region_prefix', 'in', prefixes)),
    );
  if (query.kinds?.length) {
    const kinds = query.kinds;
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('expert_kinds as k').select('k.expert_id').whereRef('k.expert_id', '=', 'e.id').where('k.kind', 'in', kinds)));
  }
  if (avoid.length) {
    q = q
      .where(({ or, eb }) => or([eb('e.employer_uscc', 'is', null), eb('e.employer_uscc', 'not in', avoid)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('expert_conflicts as c')
              .select('c.id')
              .whereRef('c.expert_id', '=', 'e.id')
              .where('c.org_uscc', 'in', avoid)
              .where((c) => c.or([c('c.avoid_until', 'is', null), c('c.avoid_until', '>=', day)])),
          ),
        ),
      );
  }
  if (query.excludeExpertIds?.length) q = q.where('e.id', 'not in', query.excludeExpertIds);
  const rows = await q.orderBy('e.serial_no').execute();
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
