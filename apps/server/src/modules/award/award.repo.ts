import type { DbOrTx } from '../../platform/db/database';
import type { AwardWarning } from './award.tables';
import './award.tables';

export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function getAwardLot(db: DbOrTx, lotId: string, forUpdate = false) {
  let q = db.selectFrom('award_lots').selectAll().where('lot_id', '=', lotId);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && { ...r, warnings: parseJson<AwardWarning[]>(r.warnings) };
}
export type AwardLotRow = NonNullable<Awaited<ReturnType<typeof getAwardLot>>>;

export async function awardLotsOfTender(db: DbOrTx, tenderId: string) {
  const rows = await db.selectFrom('award_lots').selectAll().where('tender_id', '=', tenderId).execute();
  return rows.map((r) => ({ ...r, warnings: parseJson<AwardWarning[]>(r.warnings) }));
}

export async function addWarnings(
  db: DbOrTx,
  lotId: string,
  current: AwardWarning[],
  add: (AwardWarning | null)[],
): Promise<AwardWarning[]> {
  const fresh = add.filter((w): w is AwardWarning => !!w);
  if (!fresh.length) return [];
  await db
    .updateTable('award_lots')
    .set({ warnings: JSON.stringify([...current, ...fresh]) })
    .where('lot_id', '=', lotId)
    .execute();
  return fresh;
}

export async function getCandidates(db: DbOrTx, lotIds: string[]) {
  if (!lotIds.length) return [];
  return db
    .selectFrom('award_candidates as c')
    .innerJoin('organisations as o', 'o.id', 'c.bidder_org_id')
    .select(['c.lot_id', 'c.rank', 'c.bidder_org_id', 'c.bid_id', 'c.price_fen', 'c.score', 'o.name', 'o.uscc', 'o.region_code'])
    .where('c.lot_id', 'in', lotIds)
    .orderBy('c.lot_id')
    .orderBy('c.rank')
    .execute();
}
export type CandidateRow = Awaited<ReturnType<typeof getCandidates>>[number];

export async function getObjections(db: DbOrTx, lotId: string) {
  return db.selectFrom('award_objections').selectAll().where('lot_id', '=', lotId).orderBy('raised_at').orderBy('id').execute();
}
export type ObjectionRow = Awaited<ReturnType<typeof getObjections>>[number];

export async function getObjection(db: DbOrTx, id: string, forUpdate = false) {
  let q = db.selectFrom('award_objections').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function openObjections(db: DbOrTx, lotId: string) {
  return db
    .selectFrom('award_objections')
    .select(['id', 'answer_due_at'])
    .where('lot_id', '=', lotId)
    .where('status', '=', 'open')
    .execute();
}

export async function getContract(db: DbOrTx, lotId: string) {
  return db.selectFrom('award_contracts').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export async function contractsOfTender(db: DbOrTx, tenderId: string) {
  return db
    .selectFrom('award_contracts as c')
    .innerJoin('award_lots as a', 'a.lot_id', 'c.lot_id')
    .selectAll('c')
    .where('a.tender_id', '=', tenderId)
    .execute();
}

export async function performanceOf(db: DbOrTx, contractIds: string[]) {
  if (!contractIds.length) return [];
  return db
    .selectFrom('award_performance')
    .selectAll()
    .where('contract_id', 'in', contractIds)
    .orderBy('occurred_on')
    .orderBy('recorded_at')
    .execute();
}

export async function endingsOfTender(db: DbOrTx, tenderId: string) {
  return db.selectFrom('award_endings').selectAll().where('tender_id', '=', tenderId).execute();
}

export async function getEnding(db: DbOrTx, lotId: string) {
  return db.selectFrom('award_endings').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export async function getRetender(db: DbOrTx, lotId: string) {
  return db.selectFrom('award_retenders').selectAll().where('retender_of', '=', lotId).executeTakeFirst();
}

/** The failed/terminated lots a tender re-tenders (for its OCDS relatedProcesses 'unsuccessfulProcess'). */
export async function retendersOf(db: DbOrTx, newTenderId: string) {
  return db
    .selectFrom('award_retenders as r')
    .innerJoin('tender_lots as l', 'l.id', 'r.retender_of')
    .innerJoin('tenders as t', 't.id', 'l.tender_id')
    .select(['r.retender_of as lotId', 'r.new_lot_id as newLotId', 't.id as tenderId', 't.title', 'l.lot_no as lotNo'])
    .where('r.new_tender_id', '=', newTenderId)
    .execute();
}

export async function orgsByIds(db: DbOrTx, ids: (string | null)[]) {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  if (!list.length) return new Map<string, { id: string; name: string; uscc: string | null; region_code: string | null }>();
  const rows = await db.selectFrom('organisations').select(['id', 'name', 'uscc', 'region_code']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r]));
}
