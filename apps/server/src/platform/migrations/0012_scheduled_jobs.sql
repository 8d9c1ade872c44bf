-- Chronograph (issue 2 §7, ARCHITECTURE §4): time-driven work. One row per (kind, subject): scheduling again
-- replaces the due time; `version` tells a running handler's completion from a reschedule made meanwhile.
CREATE TABLE scheduled_jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  subject_id text NOT NULL,
  due_at timestamptz NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, subject_id)
);
CREATE INDEX scheduled_jobs_due_idx ON scheduled_jobs (due_at, id) WHERE status = 'pending';
