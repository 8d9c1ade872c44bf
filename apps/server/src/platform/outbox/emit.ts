import type { DbOrTx } from '../db/database';
import '../ledger/ledger.tables';

export interface DomainEvent {
  type: string;
  payload: Record<string, unknown>;
  ledgerSeq?: number;
}

/** Record an event in the same transaction as the change; outbox processors react to it after commit. */
export async function emitEvent(trx: DbOrTx, event: DomainEvent, now: Date): Promise<void> {
  await trx
    .insertInto('outbox_events')
    .values({ type: event.type, payload: JSON.stringify(event.payload), created_at: now, ledger_seq: event.ledgerSeq ?? null })
    .execute();
}
