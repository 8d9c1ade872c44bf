-- Outbox processing (issue 2 §7). Each event remembers the id of the transaction that wrote it; processors
-- advance a (tx_id, id) cursor and only read events of transactions older than every transaction still running,
-- so an event that commits late can never fall behind a cursor (an id-only cursor would skip it).
ALTER TABLE outbox_events ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX outbox_events_tx_idx ON outbox_events (tx_id, id);

ALTER TABLE outbox_cursors
  ADD COLUMN last_tx xid8 NOT NULL DEFAULT '0',
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN last_error text,
  ADD COLUMN retry_at timestamptz;

-- Events a processor gave up on after its retries; the cursor moved past them. Operators replay or dismiss.
CREATE TABLE outbox_dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  processor text NOT NULL,
  event_id bigint NOT NULL,
  event_type text NOT NULL,
  attempts integer NOT NULL,
  error text NOT NULL,
  failed_at timestamptz NOT NULL,
  UNIQUE (processor, event_id)
);
