import { loadCalendar, type WorkingCalendar } from '../../../platform/calendar/index';
import type { DbOrTx } from '../../../platform/db/database';
import { Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import {
  assertLotTransition,
  effectivePolicy,
  engine,
  getLotById,
  getTender,
  type LotEvent,
  type LotRow,
  type LotStatus,
  type ProcedurePolicy,
  type TenderRow,
} from '../../tendering/index';
import { getAwardLot, type AwardLotRow } from '../award.repo';
import { lotNotFound } from '../award.policy';

export interface LoadedLot {
  tender: TenderRow;
  lot: LotRow;
  policy: ProcedurePolicy;
  cal: WorkingCalendar;
  award: AwardLotRow | undefined;
}

/**
 * Load a lot for a command. Locks in the tendering module's order (tender, then lot) so the two modules' commands
 * cannot deadlock each other.
 */
export async function loadLot(trx: DbOrTx, lotId: string, forUpdate = true): Promise<LoadedLot> {
  const peek = await getLotById(trx, lotId);
  if (!peek) throw lotNotFound();
  const tender = await getTender(trx, peek.tender_id, forUpdate);
  if (!tender || !engine.isTenderingProcedure(tender.procedure_type)) throw lotNotFound();
  const lot = (await getLotById(trx, lotId, forUpdate))!;
  const [policy, cal, award] = await Promise.all([
    effectivePolicy(trx, tender.procedure_type),
    loadCalendar(trx),
    getAwardLot(trx, lotId, forUpdate),
  ]);
  return { tender, lot, policy, cal, award };
}

/**
 * Move the lot through the tendering state machine (its transition table decides; an illegal move is 409
 * TENDER_LOT_INVALID_TRANSITION). The tendering module exports the check but no writer, so the row is updated here.
 */
export async function moveLot(trx: DbOrTx, lot: LotRow, event: LotEvent, now: Date): Promise<LotStatus> {
  const to = assertLotTransition(lot.status, event, lot.lot_no);
  await trx.updateTable('tender_lots').set({ status: to, status_changed_at: now }).where('id', '=', lot.id).execute();
  lot.status = to;
  return to;
}

export function assertStatus(lot: LotRow, allowed: LotStatus[], what: { zh: string; en: string }): void {
  if (!allowed.includes(lot.status)) {
    throw Errors.conflict(
      'AWARD_WRONG_STAGE',
      `标段${lot.lot_no}当前状态为 ${lot.status}，不能${what.zh}`,
      `Lot ${lot.lot_no} is ${lot.status}: cannot ${what.en}`,
      'status',
    );
  }
}

/** Ledger entry + outbox event about a lot, in the caller's transaction. */
export async function record(
  trx: DbOrTx,
  actorId: string | null,
  t: TenderRow,
  lot: LotRow,
  type: string,
  extra: Record<string, unknown>,
  now: Date,
) {
  const payload = { tenderId: t.id, lotId: lot.id, lotNo: lot.lot_no, procedureType: t.procedure_type, ...extra };
  const entry = await recordLedger(trx, { type, subjectType: 'tender_lot', subjectId: lot.id, actorId, payload }, now);
  await emitEvent(trx, { type, payload }, now);
  return entry;
}

export const beijing = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Announcements of a lot are published by the tender's publisher (the one who published the tender notice). */
export function publisherOf(t: TenderRow): string {
  return t.publisher_org_id ?? t.agency_org_id ?? t.owner_org_id;
}
