-- Tamper-evident ledger: every significant event, chained by hash (ARCHITECTURE §5).
-- entry_hash = SHA-256(prev_hash || canonical JSON of the entry's fields); seq is gap-free.
CREATE TABLE ledger_entries (
  seq bigint PRIMARY KEY,
  recorded_at timestamptz NOT NULL,
  type text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  actor_id uuid,
  payload jsonb NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL UNIQUE
);
CREATE INDEX ledger_subject_idx ON ledger_entries (subject_type, subject_id, seq);

-- Outbox: events written in the same transaction as the change; processors react after commit.
CREATE TABLE outbox_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  ledger_seq bigint
);

-- Per-processor progress through the outbox (each processor sees every event once, in order).
CREATE TABLE outbox_cursors (
  processor text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The chain's head: one row, locked by each append so entries get gap-free sequence numbers in commit order.
CREATE TABLE ledger_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq bigint NOT NULL,
  entry_hash text NOT NULL
);
INSERT INTO ledger_head (id, seq, entry_hash) VALUES (true, 0, repeat('0', 64));
