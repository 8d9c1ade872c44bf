-- After the opening (issue 3 items 5–9): evaluation result hand-off, 中标候选人公示, objections/challenges against the
-- results, award with the 中标通知书, contract and performance, termination/failure, re-tender links.
-- Lot statuses stay in tender_lots (tendering.machine.ts); these tables hold what happens to a lot after the opening.

-- One row per lot once its evaluation result is in: the process clock of the award steps.
CREATE TABLE award_lots (
  lot_id uuid PRIMARY KEY REFERENCES tender_lots(id) ON DELETE CASCADE,
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  -- Evaluation result: 'manual' (the agency enters it) until the expert-evaluation module supplies 'expert'.
  result_source text NOT NULL CHECK (result_source IN ('manual', 'expert')),
  report_file_id uuid NOT NULL REFERENCES file_uploads(id),
  report_received_at timestamptz NOT NULL,
  result_entered_by uuid REFERENCES accounts(id),
  result_entered_at timestamptz NOT NULL,
  -- 中标候选人公示 (条例 54). NULL for procedures without publicity (政府采购).
  publicity_notice_id uuid REFERENCES announcements(id),
  publicity_starts_at timestamptz,
  publicity_ends_at timestamptz,
  -- 定标 and the 中标通知书.
  winner_org_id uuid REFERENCES organisations(id),
  winner_rank integer,
  award_price_fen bigint,
  award_reason text,
  awarded_at timestamptz,
  awarded_by uuid REFERENCES accounts(id),
  result_notice_id uuid REFERENCES announcements(id),
  notice_no text UNIQUE,
  notice_file_id uuid REFERENCES file_uploads(id),
  notice_sha256 text,
  notice_content_sha256 text,
  notice_ledger_seq bigint,
  notice_issued_at timestamptz,
  contract_due_at timestamptz,
  -- Warnings raised when a step came later than the policy allows: [{code, zh, en, dueAt, at}].
  warnings jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX award_lots_tender_idx ON award_lots (tender_id);

-- Ranked candidates from the evaluation report (条例 53: at most 3, ranked).
CREATE TABLE award_candidates (
  lot_id uuid NOT NULL REFERENCES award_lots(lot_id) ON DELETE CASCADE,
  rank integer NOT NULL CHECK (rank >= 1),
  bidder_org_id uuid NOT NULL REFERENCES organisations(id),
  bid_id text,
  price_fen bigint NOT NULL CHECK (price_fen >= 0),
  score numeric(7, 2),
  PRIMARY KEY (lot_id, rank),
  UNIQUE (lot_id, bidder_org_id)
);

-- 异议 (works, during publicity, 条例 54) and 质疑 (政府采购, 采购法 52–53) against the results.
CREATE TABLE award_objections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lot_id uuid NOT NULL REFERENCES award_lots(lot_id) ON DELETE CASCADE,
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('objection', 'challenge')),
  objector_org_id uuid NOT NULL REFERENCES organisations(id),
  objector_account_id uuid NOT NULL REFERENCES accounts(id),
  body_text text NOT NULL,
  raised_at timestamptz NOT NULL,
  answer_due_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'answered')),
  answer_text text,
  answered_at timestamptz,
  answered_by uuid REFERENCES accounts(id),
  overdue_flagged_at timestamptz
);
CREATE INDEX award_objections_lot_idx ON award_objections (lot_id, raised_at);
CREATE INDEX award_objections_open_idx ON award_objections (lot_id) WHERE status = 'open';

-- The signed contract (法 46; 采购法 46) and its publication (采购条例 50).
CREATE TABLE award_contracts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lot_id uuid NOT NULL UNIQUE REFERENCES award_lots(lot_id) ON DELETE CASCADE,
  file_id uuid NOT NULL REFERENCES file_uploads(id),
  -- The version that is published (secrets removed, 采购条例 50); the signed file itself stays with the parties.
  public_file_id uuid REFERENCES file_uploads(id),
  value_fen bigint NOT NULL CHECK (value_fen >= 0),
  signed_at timestamptz NOT NULL,
  period_start date,
  period_end date,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES accounts(id),
  notice_id uuid REFERENCES announcements(id),
  published_at timestamptz
);

-- 履约 information: payments (OCDS implementation transactions) and milestones.
CREATE TABLE award_performance (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL REFERENCES award_contracts(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('payment', 'milestone')),
  occurred_on date NOT NULL,
  amount_fen bigint CHECK (amount_fen IS NULL OR amount_fen > 0),
  description text NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES accounts(id)
);
CREATE INDEX award_performance_contract_idx ON award_performance (contract_id, occurred_on);

-- 终止招标 (条例 31) or 流标/废标 (条例 44; 采购法 36) of a lot, at any point before the award, with its announcement.
CREATE TABLE award_endings (
  lot_id uuid PRIMARY KEY REFERENCES tender_lots(id) ON DELETE CASCADE,
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('terminated', 'failed')),
  reason text NOT NULL,
  ended_at timestamptz NOT NULL,
  ended_by uuid NOT NULL REFERENCES accounts(id),
  notice_id uuid REFERENCES announcements(id)
);
CREATE INDEX award_endings_tender_idx ON award_endings (tender_id);

-- A re-tender (条例 44, 55; 采购法 36) of a failed or terminated lot: the new tender and lot that replace it.
CREATE TABLE award_retenders (
  retender_of uuid PRIMARY KEY REFERENCES tender_lots(id) ON DELETE CASCADE,
  new_tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  new_lot_id uuid NOT NULL UNIQUE REFERENCES tender_lots(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES accounts(id)
);
