-- Tendering core (issue 3, part 1): tenders from accepted projects, per-lot settings and statuses, tender documents,
-- who obtained them (secret until the bid deadline, 招标投标法 第二十二条), anonymous questions, clarifications,
-- objections to the documents (条例 第二十二条), local policy values stricter than the statute.
CREATE TABLE tenders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  serial_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  project_id uuid NOT NULL REFERENCES projects(id),
  procedure_type text NOT NULL,
  title text NOT NULL,
  notice_html text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('draft', 'published')),
  -- Copied from the project so access checks need no join; the project is accepted and no longer editable.
  owner_org_id uuid NOT NULL REFERENCES organisations(id),
  agency_org_id uuid REFERENCES organisations(id),
  industry text NOT NULL,
  region_code text NOT NULL,
  catalog_code text NOT NULL,
  planned_publish_at timestamptz NOT NULL,
  published_at timestamptz,
  publisher_org_id uuid REFERENCES organisations(id),
  notice_id uuid REFERENCES announcements(id),
  -- k of the custodians below must cooperate to recover a bid's key from escrow (sealing, issue 3 §3).
  escrow_k integer NOT NULL CHECK (escrow_k >= 2),
  created_by uuid NOT NULL REFERENCES accounts(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX tenders_owner_idx ON tenders (owner_org_id, serial_no);
CREATE INDEX tenders_agency_idx ON tenders (agency_org_id, serial_no) WHERE agency_org_id IS NOT NULL;
CREATE INDEX tenders_project_idx ON tenders (project_id);

-- One row per lot (标段/包) of the project that this tender puts out. The status machine is tendering.machine.ts.
CREATE TABLE tender_lots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  lot_no integer NOT NULL,
  name text NOT NULL,
  estimate_fen bigint NOT NULL CHECK (estimate_fen > 0),
  deposit_fen bigint NOT NULL CHECK (deposit_fen >= 0),
  bid_deadline timestamptz NOT NULL,
  -- 法 第三十四条: the opening is at the bid deadline, the same instant; kept as its own column for later issues.
  opening_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'bidding', 'opening', 'evaluation', 'publicity', 'awarded', 'contracted', 'failed', 'terminated')),
  status_changed_at timestamptz NOT NULL,
  -- Set when the deadline arrived while an objection was open (条例 22): the lot did not move to opening.
  deadline_held_at timestamptz,
  UNIQUE (tender_id, lot_no)
);
CREATE INDEX tender_lots_status_idx ON tender_lots (status, bid_deadline);

CREATE TABLE tender_custodians (
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id),
  kind text NOT NULL CHECK (kind IN ('center', 'regulator', 'tenderer')),
  PRIMARY KEY (tender_id, account_id)
);

CREATE TABLE tender_invitations (
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (tender_id, org_id)
);

-- The documents: the original set (clarification_id NULL) and files added by clarifications.
CREATE TABLE tender_documents (
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  file_id uuid NOT NULL REFERENCES file_uploads(id),
  clarification_id uuid,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (tender_id, seq)
);
CREATE INDEX tender_documents_file_idx ON tender_documents (file_id);

-- Who obtained the documents. Secret until the bid deadline from everyone (DOMAIN §7): only the presenter decides
-- who reads it. The ledger subject is this row's random id, never the tender, so a ledger reader cannot count.
CREATE TABLE tender_obtains (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organisations(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  obtained_at timestamptz NOT NULL,
  UNIQUE (tender_id, org_id)
);

CREATE TABLE tender_clarifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  body_text text NOT NULL,
  published_at timestamptz NOT NULL,
  published_by uuid NOT NULL REFERENCES accounts(id),
  -- [{lotNo, from, to}] when the clarification moved bid deadlines (条例 21).
  deadline_changes jsonb NOT NULL DEFAULT '[]',
  change_notice_id uuid REFERENCES announcements(id),
  UNIQUE (tender_id, seq)
);

-- Anonymous questions: the asker is stored (to stop abuse and to show askers their own) and never presented.
CREATE TABLE tender_questions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  asker_org_id uuid NOT NULL REFERENCES organisations(id),
  asker_account_id uuid NOT NULL REFERENCES accounts(id),
  body_text text NOT NULL,
  asked_at timestamptz NOT NULL,
  clarification_id uuid REFERENCES tender_clarifications(id)
);
CREATE INDEX tender_questions_tender_idx ON tender_questions (tender_id, asked_at);

CREATE TABLE tender_objections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  lot_no integer,
  objector_org_id uuid NOT NULL REFERENCES organisations(id),
  objector_account_id uuid NOT NULL REFERENCES accounts(id),
  body_text text NOT NULL,
  raised_at timestamptz NOT NULL,
  answer_due_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'answered')),
  answer_text text,
  answered_at timestamptz,
  answered_by uuid REFERENCES accounts(id),
  overdue_flagged_at timestamptz,
  -- [{lotNo, from, to}] when the answer came after a deadline the pause had held (条例 22).
  deadline_changes jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX tender_objections_open_idx ON tender_objections (tender_id) WHERE status = 'open';

-- Local values stricter than the statute (policies/overrides.ts decides "stricter"; looser values never get here).
CREATE TABLE tender_policy_overrides (
  procedure_type text NOT NULL,
  key text NOT NULL,
  n numeric,
  unit text CHECK (unit IN ('day', 'working_day')),
  flag boolean,
  basis text NOT NULL,
  set_by uuid NOT NULL REFERENCES accounts(id),
  set_at timestamptz NOT NULL,
  PRIMARY KEY (procedure_type, key)
);
