import type { CreatedAt } from '../db/schema';

declare module '../db/schema' {
  interface Tables {
    ledger_entries: {
      seq: number;
      recorded_at: Date;
      type: string;
      subject_type: string;
      subject_id: string;
      actor_id: string | null;
      payload: unknown;
      prev_hash: string;
      entry_hash: string;
    };
    ledger_head: { id: boolean; seq: number; entry_hash: string };
    outbox_events: { id: import('kysely').Generated<number>; type: string; payload: unknown; created_at: Date; ledger_seq: number | null };
    outbox_cursors: { processor: string; last_id: number; updated_at: CreatedAt };
  }
}
