import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
import { regionPrefix } from '../../platform/auth/policies';
import type { SpecialtyNode } from './experts.rules';
import type { ConflictKind, EvaluationKind, ExpertStatus, MaterialCode } from './experts.tables';
import './experts.tables';

export type ExpertRow = NonNullable<Awaited<ReturnType<typeof getExpert>>>;

const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function getExpert(db: DbOrTx, id: string, forUpdate = false) {
  let q = db.selectFrom('experts').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function getExpertByAccount(db: DbOrTx, accountId: string, forUpdate = false) {
  let q = db.selectFrom('experts').selectAll().where('account_id', '=', accountId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function personRecord(db: DbOrTx, personIdHash: string) {
  return db.selectFrom('experts').select(['id', 'account_id']).where('person_id_hash', '=', personIdHash).executeTakeFirst();
}

export async function getSettings(db: DbOrTx) {
  return db.selectFrom('expert_settings').select(['max_specialties', 'annual_review_due', 'updated_at']).executeTakeFirstOrThrow();
}

export async function listSpecialties(db: DbOrTx) {
  return db
    .selectFrom('expert_specialties')
    .select(['code', 'parent_code', 'level', 'name_zh', 'name_en', 'industry', 'sort_order'])
    .orderBy('level')
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export async function classification(db: DbOrTx): Promise<Map<string, SpecialtyNode>> {
  const rows = await db.selectFrom('expert_specialties').select(['code', 'level', 'industry']).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

export interface Links {
  specialties: string[];
  regions: string[];
  kinds: EvaluationKind[];
}

/** Replace the specialty, region and kind links of an expert (the application is replaced as a whole). */
export async function replaceLinks(db: DbOrTx, expertId: string, l: Links): Promise<void> {
  await db.deleteFrom('expert_specialty_links').where('expert_id', '=', expertId).execute();
  await db.deleteFrom('expert_regions').where('expert_id', '=', expertId).execute();
  await db.deleteFrom('expert_kinds').where('expert_id', '=', expertId).execute();
  await db.insertInto('expert_specialty_links').values(l.specialties.map((c) => ({ specialty_code: c, expert_id: expertId }))).execute();
  await db
    .insertInto('expert_regions')
    .values(l.regions.map((r) => ({ region_prefix: regionPrefix(r), expert_id: expertId, region_code: r })))
    .execute();
  await db.insertInto('expert_kinds').values(l.kinds.map((k) => ({ kind: k, expert_id: expertId }))).execute();
}

export async function getLinks(db: DbOrTx, expertId: string): Promise<Links> {
  const [s, r, k] = await Promise.all([
    db.selectFrom('expert_specialty_links').select('specialty_code').where('expert_id', '=', expertId).orderBy('specialty_code').execute(),
    db.selectFrom('expert_regions').select('region_code').where('expert_id', '=', expertId).orderBy('region_code').execute(),
    db.selectFrom('expert_kinds').select('kind').where('expert_id', '=', expertId).orderBy('kind').execute(),
  ]);
  return { specialties: s.map((x) => x.specialty_code), regions: r.map((x) => x.region_code), kinds: k.map((x) => x.kind) };
}

export async function replaceMaterials(db: DbOrTx, expertId: string, materials: { code: MaterialCode; fileId: string }[], now: Date) {
  const keep = new Map((await getMaterials(db, expertId)).map((m) => [m.file_id, m.supplied_at]));
  await db.deleteFrom('expert_materials').where('expert_id', '=', expertId).execute();
  if (!materials.length) return;
  const unique = [...new Map(materials.map((m) => [m.fileId, m])).values()];
  await db
    .insertInto('expert_materials')
    .values(unique.map((m) => ({ expert_id: expertId, code: m.code, file_id: m.fileId, supplied_at: keep.get(m.fileId) ?? now })))
    .execute();
}

export async function getMaterials(db: DbOrTx, expertId: string) {
  return db
    .selectFrom('expert_materials')
    .innerJoin('file_uploads', 'file_uploads.id', 'expert_materials.file_id')
    .select(['expert_materials.code', 'expert_materials.file_id', 'expert_materials.supplied_at', 'file_uploads.original_name'])
    .where('expert_id', '=', expertId)
    .orderBy('expert_materials.code')
    .orderBy('expert_materials.supplied_at')
    .execute();
}

export interface ConflictRow {
  kind: ConflictKind;
  orgUscc: string;
  orgName: string;
  relation: string | null;
  startedOn: string | null;
  endedOn: string | null;
  avoidUntil: string | null;
}

export async function insertConflicts(db: DbOrTx, expertId: string, cs: ConflictRow[], now: Date) {
  if (!cs.length) return [];
  return db
    .insertInto('expert_conflicts')
    .values(
      cs.map((c) => ({
        expert_id: expertId,
        kind: c.kind,
        org_uscc: c.orgUscc,
        org_name: c.orgName,
        relation: c.relation,
        started_on: c.startedOn,
        ended_on: c.endedOn,
        avoid_until: c.avoidUntil,
        declared_at: now,
      })),
    )
    .returning('id')
    .execute();
}

export async function getConflicts(db: DbOrTx, expertId: string) {
  return db.selectFrom('expert_conflicts').selectAll().where('expert_id', '=', expertId).orderBy('declared_at').orderBy('org_uscc').execute();
}

export async function getLeaves(db: DbOrTx, expertId: string, opts: { activeOnly?: boolean } = {}) {
  let q = db.selectFrom('expert_leaves').selectAll().where('expert_id', '=', expertId);
  if (opts.activeOnly) q = q.where('cancelled_at', 'is', null);
  return q.orderBy('starts_at').execute();
}

export async function getReviews(db: DbOrTx, expertId: string) {
  const rows = await db.selectFrom('expert_reviews').selectAll().where('expert_id', '=', expertId).orderBy('round').execute();
  return rows.map((r) => ({ ...r, reasons: parse<{ field: string; note: string }[]>(r.reasons) }));
}

export async function getAnnualReviews(db: DbOrTx, expertId: string) {
  return db.selectFrom('expert_annual_reviews').selectAll().where('expert_id', '=', expertId).orderBy('year', 'desc').execute();
}

export async function getPerformance(db: DbOrTx, expertId: string) {
  return db.selectFrom('expert_performance').selectAll().where('expert_id', '=', expertId).orderBy('created_at', 'desc').limit(200).execute();
}

export async function performanceSummary(db: DbOrTx, expertId: string): Promise<{ count: number; average: number | null }> {
  const r = await db
    .selectFrom('expert_performance')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.avg<string | number | null>('rating').as('avg')])
    .where('expert_id', '=', expertId)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), average: r.avg === null ? null : Math.round(Number(r.avg) * 100) / 100 };
}

export async function getIncentives(db: DbOrTx, expertId: string) {
  return db.selectFrom('expert_incentives').selectAll().where('expert_id', '=', expertId).orderBy('created_at', 'desc').execute();
}

export async function getBlacklist(db: DbOrTx, expertId: string) {
  return db.selectFrom('expert_blacklist').selectAll().where('expert_id', '=', expertId).orderBy('starts_at', 'desc').execute();
}

export interface ListFilter {
  status?: ExpertStatus;
  afterSerial?: number;
  limit: number;
  /** Supervisors' grants: a record is listed when its home region is under a granted region and (unless any industry) an industry matches. */
  jurisdictions: { industries: string[]; regions: string[]; anyIndustry: boolean }[];
}

/** Records within the given jurisdictions, oldest submission first (the review queue is worked in order). */
export async function listForSupervisors(db: DbOrTx, f: ListFilter) {
  let q = db.selectFrom('experts').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  q = q.where((eb) => {
    const ors: Expression<SqlBool>[] = [];
    for (const g of f.jurisdictions) {
      for (const r of g.regions) {
        const prefix = regionPrefix(r).replace(/[%_\\]/g, '');
        if (!prefix) continue;
        const regionMatch = eb('home_region', 'like', `${prefix}%`);
        ors.push(g.anyIndustry ? regionMatch : eb.and([regionMatch, sql<SqlBool>`industries && ${sql.val(g.industries)}::text[]`]));
      }
    }
    return ors.length ? eb.or(ors) : sql<SqlBool>`false`;
  });
  if (f.afterSerial !== undefined) q = q.where('serial_no', '>', f.afterSerial);
  return q.orderBy('serial_no', 'asc').limit(f.limit + 1).execute();
}

/** Specialty codes of many experts at once (list pages). */
export async function specialtiesOf(db: DbOrTx, expertIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!expertIds.length) return out;
  const rows = await db
    .selectFrom('expert_specialty_links')
    .select(['expert_id', 'specialty_code'])
    .where('expert_id', 'in', expertIds)
    .orderBy('specialty_code')
    .execute();
  for (const r of rows) out.set(r.expert_id, [...(out.get(r.expert_id) ?? []), r.specialty_code]);
  return out;
}

export async function accountHasRole(db: DbOrTx, accountId: string, role: string): Promise<boolean> {
  return !!(await db.selectFrom('account_roles').select('role').where('account_id', '=', accountId).where('role', '=', role).executeTakeFirst());
}

export async function orgOf(db: DbOrTx, orgId: string) {
  return db.selectFrom('organisations').select(['id', 'kind', 'person_id_hash', 'name']).where('id', '=', orgId).executeTakeFirst();
}
