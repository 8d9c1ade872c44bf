-- Bid submission and the remote opening (不见面开标), issue 3 §3–4. Design: docs/adr (bid submission and opening).
-- Secrecy (DOMAIN §7): a bid row holds the sealed envelope's hash, size, signature and header (wrapped keys only);
-- the price sheet exists here only after its bidder (or the escrow) decrypted it at the opening.
CREATE TABLE bids (
  -- Random: the ledger subject of the submission, so a ledger reader learns neither tender, lot nor bidder.
  id uuid PRIMARY KEY,
  tender_id uuid NOT NULL REFERENCES tenders(id),
  lot_id uuid NOT NULL REFERENCES tender_lots(id),
  bidder_org_id uuid NOT NULL REFERENCES organisations(id),
  submitted_by uuid NOT NULL REFERENCES accounts(id),
  upload_id uuid NOT NULL REFERENCES file_uploads(id),
  -- SHA-256 of the whole envelope (the file store's name for it) and the digest the bidder signed (header + ciphertext).
  sha256 text NOT NULL,
  sealed_digest text NOT NULL,
  size bigint NOT NULL,
  signature text NOT NULL,
  -- The registered key the envelope verified under at submission (checked again at the opening, even if revoked since).
  key_algorithm text NOT NULL,
  key_fingerprint text NOT NULL,
  public_key text NOT NULL,
  header jsonb NOT NULL,
  deposit_kind text CHECK (deposit_kind IN ('guarantee', 'cash')),
  deposit_ref text,
  status text NOT NULL CHECK (status IN ('submitted', 'superseded', 'withdrawn')),
  received_at timestamptz NOT NULL,
  ended_at timestamptz,
  ledger_seq bigint NOT NULL,
  ledger_hash text NOT NULL,
  receipt jsonb NOT NULL,
  -- The opening: pending → decrypted | revoked (bidder's fault) | recovering → recovered | withdrawn (platform's fault).
  decryption text NOT NULL DEFAULT 'pending' CHECK (decryption IN ('pending', 'decrypted', 'revoked', 'recovering', 'recovered', 'withdrawn')),
  failed_attempts integer NOT NULL DEFAULT 0,
  decrypted_at timestamptz,
  price_fen bigint,
  duration_days integer,
  quality text,
  price_sheet jsonb,
  -- Kept after the opening for the evaluation (the bid is no longer secret then).
  content_key text
);
CREATE UNIQUE INDEX bids_current_uq ON bids (lot_id, bidder_org_id) WHERE status = 'submitted';
CREATE UNIQUE INDEX bids_envelope_uq ON bids (lot_id, sealed_digest);
CREATE INDEX bids_lot_idx ON bids (lot_id, status);

-- The opening room of a lot, created when the lot reaches its opening (tender.lot_opening).
CREATE TABLE bid_openings (
  lot_id uuid PRIMARY KEY REFERENCES tender_lots(id),
  tender_id uuid NOT NULL REFERENCES tenders(id),
  status text NOT NULL CHECK (status IN ('decrypting', 'recovery', 'objections', 'closed', 'failed')),
  opened_at timestamptz NOT NULL,
  window_ends_at timestamptz NOT NULL,
  recovery_ends_at timestamptz,
  min_bidders integer NOT NULL,
  -- 电子招标投标办法 第三十一条: a platform failure declared by the center turns undecrypted bids over to the escrow.
  incident_at timestamptz,
  incident_by uuid REFERENCES accounts(id),
  incident_reason text,
  record_published_at timestamptz,
  record_announcement_id uuid REFERENCES announcements(id),
  record jsonb,
  objections_until timestamptz,
  failed_reason text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL
);

-- Escrow shares handed in by custodians during a recovery; wiped once the bid is opened or given up.
CREATE TABLE bid_escrow_shares (
  bid_id uuid NOT NULL REFERENCES bids(id),
  custodian_account_id uuid NOT NULL REFERENCES accounts(id),
  position integer NOT NULL,
  share text,
  submitted_at timestamptz NOT NULL,
  PRIMARY KEY (bid_id, custodian_account_id)
);

-- Objections raised at the opening (开标现场异议, 条例 第四十四条: 投标人对开标有异议的，应当在开标现场提出).
CREATE TABLE bid_opening_objections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lot_id uuid NOT NULL REFERENCES tender_lots(id),
  objector_org_id uuid NOT NULL REFERENCES organisations(id),
  objector_account_id uuid NOT NULL REFERENCES accounts(id),
  body_text text NOT NULL,
  raised_at timestamptz NOT NULL,
  answer_text text,
  answered_at timestamptz,
  answered_by uuid REFERENCES accounts(id)
);
CREATE INDEX bid_opening_objections_lot_idx ON bid_opening_objections (lot_id, raised_at);
