import type { CreatedAt, Generated } from '../db/schema';

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
    /** Entries recorded by committed (or in-flight) transactions and not yet chained (recordLedger, sealer.ts). */
    ledger_pending: {
      id: Generated<number>;
      recorded_at: Date;
      type: string;
      subject_type: string;
      subject_id: string;
      actor_id: string | null;
      /** Canonical JSON text on insert; jsonb when read. */
      payload: unknown;
      body_prefix: string;
      body_suffix: string;
    };
    /** prev_hash: the hash the head entry links to (kept so one UPDATE … RETURNING can feed the entry's INSERT). */
    ledger_head: { id: boolean; seq: number; entry_hash: string; prev_hash: Generated<string> };
    outbox_events: {
      id: Generated<number>;
      type: string;
      payload: unknown;
      created_at: Date;
      ledger_seq: number | null;
      /** xid8 of the writing transaction, as a decimal string (set by the column default). */
      tx_id: Generated<string>;
    };
    outbox_cursors: {
      processor: string;
      last_id: number;
      last_tx: Generated<string>;
      attempts: Generated<number>;
      last_error: string | null;
      retry_at: Date | null;
      updated_at: CreatedAt;
    };
    outbox_dead_letters: {
      id: Generated<number>;
      processor: string;
      event_id: number;
      event_type: string;
      attempts: number;
      error: string;
      failed_at: Date;
    };
    platform_keys: {
      id: string;
      algorithm: string;
      public_key_pem: string;
      private_key_protection: 'aes-256-gcm' | 'none';
      private_key: string;
      created_at: Date;
    };
    ledger_merkle_nodes: { level: number; idx: number; hash: string };
    ledger_checkpoints: { tree_size: number; root: string; signature: string; key_id: string; created_at: Date; frontier: unknown };
  }
}
