import type { DbOrTx } from '../../platform/db/database';
import './negotiation.tables';

export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function getNegotiation(db: DbOrTx, lotId: string, forUpdate = false) {
  let q = db.selectFrom('negotiations').selectAll().where('lot_id', '=', lotId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type NegotiationRow = NonNullable<Awaited<ReturnType<typeof getNegotiation>>>;

export async function bumpNegotiation(db: DbOrTx, lotId: string, set: Partial<Omit<NegotiationRow, 'lot_id' | 'version'>>, now: Date) {
  await db
    .updateTable('negotiations')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: now }))
    .where('lot_id', '=', lotId)
    .execute();
}

/** The participants with their organisations' names, in the order of their first responses. */
export async function participantsOf(db: DbOrTx, lotId: string) {
  return db
    .selectFrom('negotiation_participants as p')
    .innerJoin('organisations as o', 'o.id', 'p.bidder_org_id')
    .selectAll('p')
    .select(['o.name'])
    .where('p.lot_id', '=', lotId)
    .orderBy('p.first_submitted_at')
    .orderBy('p.bidder_org_id')
    .execute();
}
export type ParticipantRow = Awaited<ReturnType<typeof participantsOf>>[number];

export async function getParticipant(db: DbOrTx, lotId: string, orgId: string, forUpdate = false) {
  let q = db.selectFrom('negotiation_participants').selectAll().where('lot_id', '=', lotId).where('bidder_org_id', '=', orgId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function setParticipant(
  db: DbOrTx,
  lotId: string,
  orgId: string,
  set: { status: string; status_reason?: string | null; final_price_fen?: number | null },
  now: Date,
) {
  await db
    .updateTable('negotiation_participants')
    .set({ ...(set as { status: never }), status_at: now })
    .where('lot_id', '=', lotId)
    .where('bidder_org_id', '=', orgId)
    .execute();
}

export async function roundsOf(db: DbOrTx, lotId: string, orgId?: string) {
  let q = db.selectFrom('negotiation_rounds').selectAll().where('lot_id', '=', lotId);
  if (orgId) q = q.where('bidder_org_id', '=', orgId);
  return q.orderBy('round_no').orderBy('held_at').orderBy('id').execute();
}

export async function changesOf(db: DbOrTx, lotId: string) {
  return db.selectFrom('negotiation_changes').selectAll().where('lot_id', '=', lotId).orderBy('seq').execute();
}

export async function recipientsOf(db: DbOrTx, lotId: string) {
  return db.selectFrom('negotiation_change_recipients').selectAll().where('lot_id', '=', lotId).execute();
}

/** The changes delivered to one supplier, with its acknowledgement. */
export async function changesFor(db: DbOrTx, lotId: string, orgId: string) {
  return db
    .selectFrom('negotiation_change_recipients as r')
    .innerJoin('negotiation_changes as c', 'c.id', 'r.change_id')
    .select(['c.id', 'c.seq', 'c.body_text', 'c.file_id', 'c.issued_at', 'r.delivered_at', 'r.acknowledged_at'])
    .where('r.lot_id', '=', lotId)
    .where('r.bidder_org_id', '=', orgId)
    .orderBy('c.seq')
    .execute();
}

export async function currentOffer(db: DbOrTx, lotId: string, orgId: string, forUpdate = false) {
  let q = db
    .selectFrom('negotiation_final_offers')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('bidder_org_id', '=', orgId)
    .where('status', '=', 'submitted');
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type OfferRow = NonNullable<Awaited<ReturnType<typeof currentOffer>>>;

export async function offerHistory(db: DbOrTx, lotId: string, orgId: string) {
  return db
    .selectFrom('negotiation_final_offers')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('bidder_org_id', '=', orgId)
    .orderBy('received_at')
    .orderBy('ledger_seq')
    .execute();
}

/** The current final offers of a lot (only ever read after the final-offer deadline). */
export async function currentOffers(db: DbOrTx, lotId: string, forUpdate = false) {
  let q = db.selectFrom('negotiation_final_offers').selectAll().where('lot_id', '=', lotId).where('status', '=', 'submitted');
  if (forUpdate) q = q.forUpdate();
  return q.orderBy('received_at').orderBy('id').execute();
}

export async function objectionsOf(db: DbOrTx, tenderId: string) {
  return db
    .selectFrom('single_source_objections as s')
    .leftJoin('organisations as o', 'o.id', 's.objector_org_id')
    .innerJoin('accounts as a', 'a.id', 's.objector_account_id')
    .selectAll('s')
    .select(['o.name as org_name', 'a.display_name'])
    .where('s.tender_id', '=', tenderId)
    .orderBy('s.raised_at')
    .orderBy('s.id')
    .execute();
}
