-- Negotiation rounds (issue 3, the missing part; docs/adr/0017-negotiation-rounds.md): 竞争性谈判 (财政部令第74号
-- 第二章), 竞争性磋商 (财库〔2014〕214号), 单一来源 (74号令 第四章). After the opening of the first sealed responses a lot
-- under such a policy is `negotiating` (tendering.machine.ts) until the final offers are read or the single-source
-- price is agreed.
--
-- Numbered before the bidding (0080) and award (0090) migrations, so nothing here references their tables: the first
-- response is named by its bid id without a foreign key.

ALTER TABLE tender_lots DROP CONSTRAINT tender_lots_status_check;
ALTER TABLE tender_lots ADD CONSTRAINT tender_lots_status_check
  CHECK (status IN ('draft', 'bidding', 'opening', 'negotiating', 'evaluation', 'publicity', 'awarded', 'contracted', 'failed', 'terminated'));

-- One per lot that entered the negotiation stage.
CREATE TABLE negotiations (
  lot_id uuid PRIMARY KEY REFERENCES tender_lots(id) ON DELETE CASCADE,
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('negotiation', 'consultation', 'single_source')),
  -- rounds → final_offers → decrypting → concluded (谈判/磋商); rounds → agreement → concluded (单一来源);
  -- failed: too few final offers (the lot failed here); ended: the lot was failed or terminated elsewhere.
  stage text NOT NULL CHECK (stage IN ('rounds', 'final_offers', 'decrypting', 'agreement', 'concluded', 'failed', 'ended')),
  started_at timestamptz NOT NULL,
  -- Final offers (最后报价): the minimum and the declared exception that lowers it to 2 (74号令 27②; 214号文 21③).
  min_final_offers integer NOT NULL CHECK (min_final_offers >= 1),
  min_exception text CHECK (min_exception IN ('gp_two_suppliers_approved', 'research_project', 'government_services')),
  min_exception_note text,
  -- 磋商: 价格分值 of the 综合评分法 (214号文 第二十四条), percent.
  price_weight_percent integer CHECK (price_weight_percent BETWEEN 10 AND 60),
  final_called_at timestamptz,
  final_called_by uuid REFERENCES accounts(id),
  final_deadline timestamptz,
  decryption_ends_at timestamptz,
  -- 单一来源: the price agreed (74号令 第四十一条), proposed by the purchaser's side and confirmed by the supplier.
  agreed_price_fen bigint CHECK (agreed_price_fen > 0),
  agreed_terms text,
  agreement_record_file_id uuid REFERENCES file_uploads(id),
  agreement_proposed_at timestamptz,
  agreement_proposed_by uuid REFERENCES accounts(id),
  agreement_confirmed_at timestamptz,
  agreement_confirmed_by uuid REFERENCES accounts(id),
  concluded_at timestamptz,
  failed_reason text,
  version integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);
CREATE INDEX negotiations_tender_idx ON negotiations (tender_id);
CREATE INDEX negotiations_record_file_idx ON negotiations (agreement_record_file_id) WHERE agreement_record_file_id IS NOT NULL;

-- The suppliers whose first response was valid at the opening, and where each stands now.
CREATE TABLE negotiation_participants (
  lot_id uuid NOT NULL REFERENCES negotiations(lot_id) ON DELETE CASCADE,
  bidder_org_id uuid NOT NULL REFERENCES organisations(id),
  first_bid_id uuid NOT NULL,
  first_price_fen bigint NOT NULL,
  first_submitted_at timestamptz NOT NULL,
  -- active; out: eliminated (不响应), withdrawn (74号令 34), no_final_offer (视为退出), not_decrypted, over_budget;
  -- in with a price: final (最后报价 read), agreed (单一来源).
  status text NOT NULL CHECK (status IN ('active', 'eliminated', 'withdrawn', 'no_final_offer', 'not_decrypted', 'over_budget', 'final', 'agreed')),
  status_reason text,
  status_at timestamptz,
  final_price_fen bigint,
  PRIMARY KEY (lot_id, bidder_org_id)
);

-- 谈判/磋商/协商 with one supplier: the written minutes of one round (text, a file, or both).
CREATE TABLE negotiation_rounds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lot_id uuid NOT NULL REFERENCES negotiations(lot_id) ON DELETE CASCADE,
  round_no integer NOT NULL CHECK (round_no >= 1),
  bidder_org_id uuid NOT NULL,
  held_at timestamptz NOT NULL,
  minutes_text text,
  minutes_file_id uuid REFERENCES file_uploads(id),
  recorded_by uuid NOT NULL REFERENCES accounts(id),
  recorded_at timestamptz NOT NULL,
  CHECK (minutes_text IS NOT NULL OR minutes_file_id IS NOT NULL),
  FOREIGN KEY (lot_id, bidder_org_id) REFERENCES negotiation_participants(lot_id, bidder_org_id),
  UNIQUE (lot_id, round_no, bidder_org_id)
);
CREATE INDEX negotiation_rounds_file_idx ON negotiation_rounds (minutes_file_id) WHERE minutes_file_id IS NOT NULL;

-- Written changes to the requirements or contract terms (实质性变动, 74号令 32; 214号文 20), delivered to every
-- supplier still in at the time.
CREATE TABLE negotiation_changes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lot_id uuid NOT NULL REFERENCES negotiations(lot_id) ON DELETE CASCADE,
  seq integer NOT NULL,
  body_text text NOT NULL,
  file_id uuid REFERENCES file_uploads(id),
  purchaser_confirmed boolean NOT NULL CHECK (purchaser_confirmed),
  issued_by uuid NOT NULL REFERENCES accounts(id),
  issued_at timestamptz NOT NULL,
  UNIQUE (lot_id, seq)
);
CREATE INDEX negotiation_changes_file_idx ON negotiation_changes (file_id) WHERE file_id IS NOT NULL;

CREATE TABLE negotiation_change_recipients (
  change_id uuid NOT NULL REFERENCES negotiation_changes(id) ON DELETE CASCADE,
  lot_id uuid NOT NULL,
  bidder_org_id uuid NOT NULL,
  delivered_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES accounts(id),
  PRIMARY KEY (change_id, bidder_org_id),
  FOREIGN KEY (lot_id, bidder_org_id) REFERENCES negotiation_participants(lot_id, bidder_org_id)
);
CREATE INDEX negotiation_change_recipients_org_idx ON negotiation_change_recipients (lot_id, bidder_org_id);

-- Sealed final offers (最后报价): `yiwang-sealed-bid/1` envelopes in the file store, secret until the deadline. The id
-- is random (generated in Node) and is the ledger subject, so the ledger does not tell who has submitted.
CREATE TABLE negotiation_final_offers (
  id uuid PRIMARY KEY,
  lot_id uuid NOT NULL REFERENCES negotiations(lot_id) ON DELETE CASCADE,
  bidder_org_id uuid NOT NULL,
  submitted_by uuid NOT NULL REFERENCES accounts(id),
  status text NOT NULL CHECK (status IN ('submitted', 'superseded')),
  sha256 text NOT NULL,
  size bigint NOT NULL,
  sealed_digest text NOT NULL,
  signature text NOT NULL,
  key_algorithm text NOT NULL,
  key_fingerprint text NOT NULL,
  public_key text NOT NULL,
  header jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  ended_at timestamptz,
  ledger_seq bigint NOT NULL,
  ledger_hash text NOT NULL,
  decryption text NOT NULL CHECK (decryption IN ('pending', 'decrypted', 'not_decrypted')),
  failed_attempts integer NOT NULL DEFAULT 0,
  decrypted_at timestamptz,
  price_fen bigint,
  price_sheet jsonb,
  content_key text,
  FOREIGN KEY (lot_id, bidder_org_id) REFERENCES negotiation_participants(lot_id, bidder_org_id),
  UNIQUE (lot_id, sealed_digest)
);
CREATE UNIQUE INDEX negotiation_final_offers_current_idx ON negotiation_final_offers (lot_id, bidder_org_id) WHERE status = 'submitted';

-- Objections to the single-source publicity (74号令 第三十九条: any supplier, unit or individual, within the publicity
-- period) and the purchaser's answer after its supplementary review (第四十条).
CREATE TABLE single_source_objections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
  objector_account_id uuid NOT NULL REFERENCES accounts(id),
  objector_org_id uuid REFERENCES organisations(id),
  body_text text NOT NULL,
  raised_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
  answer_text text,
  answered_at timestamptz,
  answered_by uuid REFERENCES accounts(id)
);
CREATE INDEX single_source_objections_tender_idx ON single_source_objections (tender_id, raised_at);
