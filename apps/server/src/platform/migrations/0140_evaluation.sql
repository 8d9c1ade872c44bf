-- Expert evaluation (评标, issue 4 part 4; design: docs/adr/0020-evaluation.md). Scores are integer hundredths of a
-- point, prices integer 分 (evaluation.rules.ts).

-- The scoring template of a lot, set by the tenderer/agency from the tender documents; immutable once the lot has
-- left bidding (the opening). method: 'comprehensive' (综合评分法) or 'lowest_price' (经评审的最低投标价法).
CREATE TABLE eval_templates (
  lot_id uuid PRIMARY KEY REFERENCES tender_lots(id) ON DELETE CASCADE,
  method text NOT NULL CHECK (method IN ('comprehensive', 'lowest_price')),
  template jsonb NOT NULL,
  set_by uuid REFERENCES accounts(id),
  set_at timestamptz NOT NULL
);

-- Tenderer representatives nominated for a lot's committee before it is seated (法 37 / 87号令 47: 招标人/采购人代表).
CREATE TABLE eval_nominations (
  lot_id uuid NOT NULL REFERENCES tender_lots(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id),
  nominated_by uuid REFERENCES accounts(id),
  nominated_at timestamptz NOT NULL,
  PRIMARY KEY (lot_id, account_id)
);

-- One electronic committee per lot. stage: review → scoring → flags → report → signed (handed to the award).
CREATE TABLE eval_committees (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lot_id uuid NOT NULL UNIQUE REFERENCES tender_lots(id) ON DELETE CASCADE,
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  stage text NOT NULL CHECK (stage IN ('review', 'scoring', 'flags', 'report', 'signed')),
  seat_draw_id uuid NOT NULL REFERENCES lottery_draws(id),
  seated_at timestamptz NOT NULL,
  report_file_id uuid REFERENCES file_uploads(id),
  report_sha256 text,
  report_at timestamptz,
  signed_at timestamptz
);

CREATE TABLE eval_members (
  committee_id uuid NOT NULL REFERENCES eval_committees(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id),
  expert_id uuid REFERENCES experts(id),
  kind text NOT NULL CHECK (kind IN ('expert', 'representative')),
  seat integer NOT NULL CHECK (seat >= 1),
  chair boolean NOT NULL DEFAULT false,
  reviewed_at timestamptz,
  submitted_at timestamptz,
  signed_at timestamptz,
  signature_sha256 text,
  fee_fen bigint,
  PRIMARY KEY (committee_id, account_id),
  UNIQUE (committee_id, seat),
  CHECK ((kind = 'expert') = (expert_id IS NOT NULL))
);
CREATE INDEX eval_members_account_idx ON eval_members (account_id);
CREATE INDEX eval_members_expert_idx ON eval_members (expert_id);

-- Each member's qualification review (资格/符合性审查) of each valid bid.
CREATE TABLE eval_reviews (
  committee_id uuid NOT NULL REFERENCES eval_committees(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id),
  bid_id uuid NOT NULL,
  pass boolean NOT NULL,
  reason text,
  at timestamptz NOT NULL,
  PRIMARY KEY (committee_id, account_id, bid_id),
  CHECK (pass OR reason IS NOT NULL)
);

-- Each member's score of each qualified bid on each item; secret from the other members until they submit.
CREATE TABLE eval_scores (
  committee_id uuid NOT NULL REFERENCES eval_committees(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id),
  bid_id uuid NOT NULL,
  item_code text NOT NULL,
  centi integer NOT NULL CHECK (centi >= 0),
  at timestamptz NOT NULL,
  PRIMARY KEY (committee_id, account_id, bid_id, item_code)
);

-- Scores deviating from the committee mean by more than the template's share: the member confirms or corrects.
CREATE TABLE eval_flags (
  committee_id uuid NOT NULL REFERENCES eval_committees(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id),
  bid_id uuid NOT NULL,
  item_code text NOT NULL,
  centi integer NOT NULL,
  mean_centi integer NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'confirmed', 'corrected')),
  note text,
  resolved_at timestamptz,
  PRIMARY KEY (committee_id, account_id, bid_id, item_code)
);

-- The committee's result per valid bid (qualified or not), computed when the last flag is resolved.
CREATE TABLE eval_results (
  committee_id uuid NOT NULL REFERENCES eval_committees(id) ON DELETE CASCADE,
  bid_id uuid NOT NULL,
  bidder_org_id uuid NOT NULL REFERENCES organisations(id),
  price_fen bigint NOT NULL,
  qualified boolean NOT NULL,
  technical_centi integer,
  commercial_centi integer,
  price_centi integer,
  total_centi integer,
  rank integer,
  tie_draw_id uuid REFERENCES lottery_draws(id),
  PRIMARY KEY (committee_id, bid_id)
);

-- Clarifications asked of a bidder during the evaluation (条例 52 / 87号令 51): the chair asks, the bidder answers.
CREATE TABLE eval_clarifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  committee_id uuid NOT NULL REFERENCES eval_committees(id) ON DELETE CASCADE,
  bidder_org_id uuid NOT NULL REFERENCES organisations(id),
  question text NOT NULL,
  asked_by uuid NOT NULL REFERENCES accounts(id),
  asked_at timestamptz NOT NULL,
  answer text,
  answered_by uuid REFERENCES accounts(id),
  answered_at timestamptz
);
CREATE INDEX eval_clarifications_bidder_idx ON eval_clarifications (bidder_org_id, asked_at);

-- Fee rules (one row; amounts in 分): half day up to half_day_minutes, full day up to full_day_minutes, then per
-- started hour. Defaults are placeholders for the center to set.
CREATE TABLE eval_fee_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  half_day_minutes integer NOT NULL DEFAULT 240 CHECK (half_day_minutes > 0),
  half_day_fen bigint NOT NULL DEFAULT 50000 CHECK (half_day_fen >= 0),
  full_day_minutes integer NOT NULL DEFAULT 480 CHECK (full_day_minutes > 0),
  full_day_fen bigint NOT NULL DEFAULT 80000 CHECK (full_day_fen >= 0),
  overtime_hour_fen bigint NOT NULL DEFAULT 10000 CHECK (overtime_hour_fen >= 0),
  updated_at timestamptz,
  updated_by uuid REFERENCES accounts(id),
  CHECK (half_day_minutes <= full_day_minutes)
);
INSERT INTO eval_fee_settings (id) VALUES (true);
