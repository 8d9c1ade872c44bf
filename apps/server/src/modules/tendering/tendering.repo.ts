import type { DbOrTx } from '../../platform/db/database';
import { applyOverrides, type PolicyOverride } from './policies/overrides';
import { basePolicy } from './policies/engine';
import type { ProcedurePolicy, TenderingProcedure } from './policies/types';
import type { DeadlineChange } from './tendering.tables';
import './tendering.tables';
import '../../platform/files/files.tables';

export type TenderRow = NonNullable<Awaited<ReturnType<typeof getTender>>>;
export type LotRow = Awaited<ReturnType<typeof getLots>>[number];

export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function getTender(db: DbOrTx, id: string, forUpdate = false) {
  let q = db.selectFrom('tenders').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function getLots(db: DbOrTx, tenderId: string, forUpdate = false) {
  let q = db.selectFrom('tender_lots').selectAll().where('tender_id', '=', tenderId).orderBy('lot_no');
  if (forUpdate) q = q.forUpdate();
  return q.execute();
}

export async function getLotById(db: DbOrTx, lotId: string, forUpdate = false) {
  let q = db.selectFrom('tender_lots').selectAll().where('id', '=', lotId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function getDocuments(db: DbOrTx, tenderId: string) {
  return db
    .selectFrom('tender_documents')
    .innerJoin('file_uploads', 'file_uploads.id', 'tender_documents.file_id')
    .innerJoin('files', 'files.sha256', 'file_uploads.sha256')
    .select([
      'tender_documents.seq',
      'tender_documents.file_id',
      'tender_documents.clarification_id',
      'tender_documents.added_at',
      'file_uploads.original_name',
      'files.sha256',
      'files.size',
      'files.mime',
    ])
    .where('tender_documents.tender_id', '=', tenderId)
    .orderBy('tender_documents.seq')
    .execute();
}

export async function getCustodians(db: DbOrTx, tenderId: string) {
  return db
    .selectFrom('tender_custodians')
    .innerJoin('accounts', 'accounts.id', 'tender_custodians.account_id')
    .select(['tender_custodians.account_id', 'tender_custodians.kind', 'accounts.display_name', 'accounts.org_id'])
    .where('tender_id', '=', tenderId)
    .orderBy('kind')
    .orderBy('account_id')
    .execute();
}

export async function getInvitations(db: DbOrTx, tenderId: string) {
  return db
    .selectFrom('tender_invitations')
    .innerJoin('organisations', 'organisations.id', 'tender_invitations.org_id')
    .select(['tender_invitations.org_id', 'organisations.name'])
    .where('tender_id', '=', tenderId)
    .orderBy('organisations.name')
    .execute();
}

export async function isInvited(db: DbOrTx, tenderId: string, orgId: string): Promise<boolean> {
  return !!(await db
    .selectFrom('tender_invitations')
    .select('org_id')
    .where('tender_id', '=', tenderId)
    .where('org_id', '=', orgId)
    .executeTakeFirst());
}

export async function getObtain(db: DbOrTx, tenderId: string, orgId: string) {
  return db.selectFrom('tender_obtains').selectAll().where('tender_id', '=', tenderId).where('org_id', '=', orgId).executeTakeFirst();
}

export async function listObtains(db: DbOrTx, tenderId: string) {
  return db
    .selectFrom('tender_obtains')
    .innerJoin('organisations', 'organisations.id', 'tender_obtains.org_id')
    .select(['tender_obtains.org_id', 'organisations.name', 'organisations.uscc', 'tender_obtains.obtained_at'])
    .where('tender_id', '=', tenderId)
    .orderBy('obtained_at')
    .execute();
}

export async function obtainerOrgIds(db: DbOrTx, tenderId: string): Promise<string[]> {
  return (await db.selectFrom('tender_obtains').select('org_id').where('tender_id', '=', tenderId).execute()).map((r) => r.org_id);
}

export async function getQuestions(db: DbOrTx, tenderId: string) {
  return db.selectFrom('tender_questions').selectAll().where('tender_id', '=', tenderId).orderBy('asked_at').orderBy('id').execute();
}

export async function getClarifications(db: DbOrTx, tenderId: string) {
  const rows = await db.selectFrom('tender_clarifications').selectAll().where('tender_id', '=', tenderId).orderBy('seq').execute();
  return rows.map((r) => ({ ...r, deadline_changes: parseJson<DeadlineChange[]>(r.deadline_changes) }));
}

export async function getObjections(db: DbOrTx, tenderId: string) {
  const rows = await db
    .selectFrom('tender_objections')
    .selectAll()
    .where('tender_id', '=', tenderId)
    .orderBy('raised_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, deadline_changes: parseJson<DeadlineChange[]>(r.deadline_changes) }));
}
export type ObjectionRow = Awaited<ReturnType<typeof getObjections>>[number];

export async function getObjection(db: DbOrTx, id: string, forUpdate = false) {
  let q = db.selectFrom('tender_objections').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && { ...r, deadline_changes: parseJson<DeadlineChange[]>(r.deadline_changes) };
}

export async function openObjectionCount(db: DbOrTx, tenderId: string): Promise<number> {
  const r = await db
    .selectFrom('tender_objections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tender_id', '=', tenderId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function listOverrides(db: DbOrTx, procedure?: string) {
  let q = db.selectFrom('tender_policy_overrides').selectAll().orderBy('procedure_type').orderBy('key');
  if (procedure) q = q.where('procedure_type', '=', procedure);
  return q.execute();
}

export function toOverride(r: Awaited<ReturnType<typeof listOverrides>>[number]): PolicyOverride {
  return { key: r.key, n: r.n === null ? undefined : Number(r.n), unit: r.unit ?? undefined, flag: r.flag ?? undefined, basis: r.basis };
}

/** The statutory policy with this installation's stricter local values applied. */
export async function effectivePolicy(db: DbOrTx, procedure: TenderingProcedure): Promise<ProcedurePolicy> {
  return applyOverrides(basePolicy(procedure), (await listOverrides(db, procedure)).map(toOverride));
}

/** Uploads among `fileIds` made by one of `orgIds` (a tender may only use its parties' own files). */
export async function uploadsOf(db: DbOrTx, fileIds: string[], orgIds: (string | null)[]): Promise<Set<string>> {
  const orgs = orgIds.filter((o): o is string => !!o);
  if (!fileIds.length || !orgs.length) return new Set();
  const rows = await db.selectFrom('file_uploads').select('id').where('id', 'in', fileIds).where('org_id', 'in', orgs).execute();
  return new Set(rows.map((r) => r.id));
}
