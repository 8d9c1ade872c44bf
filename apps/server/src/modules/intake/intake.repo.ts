import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
import { regionPrefix } from '../../platform/auth/policies';
import type { ReturnItem } from './intake.rules';
import type { ProjectStatus } from './intake.tables';
import './intake.tables';

export type ProjectRow = NonNullable<Awaited<ReturnType<typeof getProject>>>;

const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function getProject(db: DbOrTx, id: string, forUpdate = false) {
  let q = db
    .selectFrom('projects')
    .innerJoin('organisations as owner', 'owner.id', 'projects.owner_org_id')
    .leftJoin('organisations as agency', 'agency.id', 'projects.agency_org_id')
    .selectAll('projects')
    .select(['owner.name as owner_name', 'agency.name as agency_name'])
    .where('projects.id', '=', id);
  if (forUpdate) q = q.forUpdate('projects');
  return q.executeTakeFirst();
}

export async function getLots(db: DbOrTx, projectId: string) {
  return db.selectFrom('project_lots').select(['seq', 'name', 'estimate_fen']).where('project_id', '=', projectId).orderBy('seq').execute();
}

export async function getMaterials(db: DbOrTx, projectId: string) {
  return db.selectFrom('project_materials').select(['code', 'file_id', 'supplied_at']).where('project_id', '=', projectId).orderBy('code').execute();
}

export async function getReturns(db: DbOrTx, projectId: string): Promise<{ round: number; items: ReturnItem[]; returnedAt: Date }[]> {
  const rows = await db.selectFrom('project_returns').select(['round', 'items', 'returned_at']).where('project_id', '=', projectId).orderBy('round').execute();
  return rows.map((r) => ({ round: r.round, items: parse<ReturnItem[]>(r.items), returnedAt: r.returned_at }));
}

export async function getPending(db: DbOrTx, projectId: string) {
  return db.selectFrom('project_pending_items').select(['code', 'due_date', 'supplied_at', 'file_id']).where('project_id', '=', projectId).orderBy('code').execute();
}

export async function replaceLots(db: DbOrTx, projectId: string, lots: { name: string; estimateFen: number }[]) {
  await db.deleteFrom('project_lots').where('project_id', '=', projectId).execute();
  await db.insertInto('project_lots').values(lots.map((l, i) => ({ project_id: projectId, seq: i + 1, name: l.name.trim(), estimate_fen: l.estimateFen }))).execute();
}

/** Set the file of each given material; materials not listed are removed (PUT replaces the registration). */
export async function replaceMaterials(db: DbOrTx, projectId: string, materials: { code: string; fileId: string }[], by: string, now: Date) {
  const current = await getMaterials(db, projectId);
  const keep = new Map(current.map((m) => [m.code, m]));
  await db.deleteFrom('project_materials').where('project_id', '=', projectId).execute();
  if (!materials.length) return;
  await db
    .insertInto('project_materials')
    .values(
      materials.map((m) => {
        const same = keep.get(m.code)?.file_id === m.fileId;
        // An unchanged file keeps its original supply time, so "what changed since the return" stays visible.
        return { project_id: projectId, code: m.code, file_id: m.fileId, supplied_at: same ? keep.get(m.code)!.supplied_at : now, supplied_by: by };
      }),
    )
    .execute();
}

export interface ListFilter {
  status?: ProjectStatus;
  overdueAt?: Date;
  afterSerial?: number;
  limit: number;
}

/** The registrant's projects (as tenderer or as agency), newest first. */
export async function listMine(db: DbOrTx, orgId: string, f: ListFilter) {
  let q = db
    .selectFrom('projects')
    .selectAll()
    .where((eb) => eb.or([eb('owner_org_id', '=', orgId), eb('agency_org_id', '=', orgId)]));
  if (f.status) q = q.where('status', '=', f.status);
  if (f.overdueAt) q = q.where('status', '=', 'submitted').where('due_at', '<', f.overdueAt);
  if (f.afterSerial !== undefined) q = q.where('serial_no', '<', f.afterSerial);
  return q.orderBy('serial_no', 'desc').limit(f.limit + 1).execute();
}

/**
 * The window's queue, or a supervisor's view: every non-draft project (optionally within jurisdictions), oldest
 * first so the queue is worked in order of submission.
 */
export async function listQueue(db: DbOrTx, f: ListFilter & { jurisdictions?: { industries: string[]; regions: string[]; anyIndustry: boolean }[] }) {
  let q = db.selectFrom('projects').selectAll().where('status', '<>', 'draft');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.overdueAt) q = q.where('status', '=', 'submitted').where('due_at', '<', f.overdueAt);
  if (f.jurisdictions) {
    const grants = f.jurisdictions;
    q = q.where((eb) => {
      const ors: Expression<SqlBool>[] = [];
      for (const g of grants) {
        for (const r of g.regions) {
          const prefix = regionPrefix(r);
          if (!prefix) continue;
          const regionMatch = eb('region_code', 'like', `${prefix.replace(/[%_\\]/g, '')}%`);
          ors.push(g.anyIndustry ? regionMatch : eb.and([regionMatch, eb('industry', 'in', g.industries.length ? g.industries : [''])]));
        }
      }
      return ors.length ? eb.or(ors) : sql<SqlBool>`false`;
    });
  }
  if (f.afterSerial !== undefined) q = q.where('serial_no', '>', f.afterSerial);
  return q.orderBy('serial_no', 'asc').limit(f.limit + 1).execute();
}

export async function orgById(db: DbOrTx, id: string) {
  return db.selectFrom('organisations').select(['id', 'name', 'kind', 'status']).where('id', '=', id).executeTakeFirst();
}
