-- In-app inbox and outward deliveries (issue 2 §7). Texts are bilingual: {"zh": ..., "en": ...}.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind text NOT NULL,
  title jsonb NOT NULL,
  body jsonb NOT NULL,
  link text,
  -- Channels to deliver to besides the inbox ('mail', 'sms'); done by an outbox processor after commit.
  channels text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX notifications_account_idx ON notifications (account_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (account_id) WHERE read_at IS NULL;

-- One row per (notification, channel): the record that a mail/SMS went out (or failed), and the idempotency key
-- that stops a retried outbox batch from sending twice.
CREATE TABLE notification_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  account_id uuid NOT NULL,
  channel text NOT NULL,
  adapter text NOT NULL,
  -- Masked address (e.g. 138****5678): enough to audit, not to harvest.
  address text NOT NULL,
  status text NOT NULL CHECK (status IN ('sent', 'failed')),
  provider_ref text,
  error text,
  created_at timestamptz NOT NULL,
  UNIQUE (notification_id, channel)
);
