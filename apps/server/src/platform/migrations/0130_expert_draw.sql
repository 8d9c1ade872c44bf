-- Expert draw (专家抽取, issue 4 part 3; docs/adr/0019-expert-draw.md). A tenderer or agency requests a committee's
-- experts for one lot; the draws themselves are lottery_draws (ADR 0015), one chain per lot: the first draw and
-- every replacement (补抽) that follows it.

-- One row: the policy values of the draw (each with its basis in the ADR).
CREATE TABLE expert_draw_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- The draw may run no earlier than this many Beijing calendar days before the evaluation day (0 = that day).
  days_before integer NOT NULL DEFAULT 1 CHECK (days_before BETWEEN 0 AND 7),
  -- An expert drawn this many times for the same tenderer within frequency_days is avoided.
  max_per_tenderer integer NOT NULL DEFAULT 3 CHECK (max_per_tenderer BETWEEN 1 AND 100),
  frequency_days integer NOT NULL DEFAULT 365 CHECK (frequency_days BETWEEN 1 AND 3660),
  -- Default time an expert has to confirm or decline after being notified.
  confirm_minutes integer NOT NULL DEFAULT 60 CHECK (confirm_minutes BETWEEN 5 AND 2880),
  updated_at timestamptz,
  updated_by uuid REFERENCES accounts(id)
);
INSERT INTO expert_draw_settings (id) VALUES (true);

CREATE TABLE expert_draw_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tenders(id),
  -- One committee per lot: the lottery allows one chain of draws per subject, this one request per lot.
  lot_id uuid NOT NULL UNIQUE REFERENCES tender_lots(id),
  lot_no integer NOT NULL,
  tenderer_org_id uuid NOT NULL REFERENCES organisations(id),
  requested_by uuid NOT NULL REFERENCES accounts(id),
  requester_org_id uuid NOT NULL REFERENCES organisations(id),
  -- [{code, count}] sorted by code: experts per specialty (小类, or a 中类/大类 standing for its 小类).
  quotas jsonb NOT NULL,
  regions text[] NOT NULL,
  remote boolean NOT NULL,
  kinds text[] NOT NULL,
  evaluation_at timestamptz NOT NULL,
  evaluation_ends_at timestamptz NOT NULL,
  earliest_at timestamptz NOT NULL,
  confirm_minutes integer NOT NULL,
  status text NOT NULL CHECK (status IN ('committed', 'drawing', 'complete', 'published')),
  first_draw_id uuid NOT NULL REFERENCES lottery_draws(id),
  latest_draw_id uuid NOT NULL REFERENCES lottery_draws(id),
  vacancy_reason text,
  created_at timestamptz NOT NULL,
  executed_at timestamptz,
  executed_by uuid REFERENCES accounts(id),
  completed_at timestamptz,
  published_at timestamptz,
  CHECK (evaluation_ends_at > evaluation_at),
  CHECK (earliest_at <= evaluation_at)
);
CREATE INDEX expert_draw_requests_tender ON expert_draw_requests (tender_id);

CREATE TABLE expert_draw_members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES expert_draw_requests(id),
  draw_id uuid NOT NULL REFERENCES lottery_draws(id),
  position integer NOT NULL,
  expert_id uuid NOT NULL REFERENCES experts(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  specialty text NOT NULL,
  -- Copied from the request: the frequency rule counts draws per tenderer over a period by this index.
  tenderer_org_id uuid NOT NULL REFERENCES organisations(id),
  status text NOT NULL CHECK (status IN ('invited', 'confirmed', 'declined', 'expired', 'voided')),
  drawn_at timestamptz NOT NULL,
  respond_by timestamptz NOT NULL,
  responded_at timestamptz,
  checked_in_at timestamptz,
  void_reason text,
  UNIQUE (request_id, expert_id),
  UNIQUE (request_id, position)
);
CREATE INDEX expert_draw_members_frequency ON expert_draw_members (tenderer_org_id, drawn_at);
CREATE INDEX expert_draw_members_account ON expert_draw_members (account_id);
CREATE INDEX expert_draw_members_expert ON expert_draw_members (expert_id);
