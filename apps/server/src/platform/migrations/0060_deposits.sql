-- 投标保证金与电子保函 (DOMAIN §5; issue 3 items 3 and 8). Keyed by (tender_id, lot_id, bidder_org_id) as text so the
-- module does not depend on the tendering tables. Money is integer 分 in bigint columns.

-- Banks that hold deposit sub-accounts. The HMAC secret authenticates the bank's callbacks (ADR "deposits").
CREATE TABLE deposit_banks (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
  name text NOT NULL,
  master_account_name text NOT NULL,
  master_account_no text NOT NULL,
  sub_account_prefix text NOT NULL CHECK (sub_account_prefix ~ '^[0-9]{4,12}$'),
  hmac_secret text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Guarantee issuers (银行/担保/保险机构 electronic-guarantee platforms): HTTP API and the Ed25519 key that signs answers.
CREATE TABLE deposit_issuers (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
  name text NOT NULL,
  api_base_url text NOT NULL,
  public_key_pem text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- A lot's deposit requirement, registered (and re-registered when the deadline moves) by the tendering module.
CREATE TABLE deposit_requirements (
  tender_id text NOT NULL,
  lot_id text NOT NULL,
  lot_label text NOT NULL,
  required_fen bigint NOT NULL CHECK (required_fen >= 0),
  cash_allowed boolean NOT NULL,
  reveal_after timestamptz NOT NULL,
  bid_valid_until timestamptz NOT NULL,
  beneficiary_name text NOT NULL,
  beneficiary_uscc text,
  tenderer_org_id uuid,
  agency_org_id uuid,
  industry text NOT NULL,
  region_code text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tender_id, lot_id)
);

-- 虚拟子账号: one per (lot, bidder, bank); the number is random (a sequence would tell a bidder how many others asked).
CREATE TABLE deposit_sub_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id text NOT NULL,
  lot_id text NOT NULL,
  bidder_org_id uuid NOT NULL,
  bank_code text NOT NULL REFERENCES deposit_banks (code),
  account_no text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  UNIQUE (tender_id, lot_id, bidder_org_id, bank_code),
  FOREIGN KEY (tender_id, lot_id) REFERENCES deposit_requirements (tender_id, lot_id)
);

-- Incoming transfers confirmed by the bank; idempotent on (bank, bank reference).
CREATE TABLE deposit_credits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bank_code text NOT NULL REFERENCES deposit_banks (code),
  bank_ref text NOT NULL,
  sub_account_id uuid NOT NULL REFERENCES deposit_sub_accounts (id),
  tender_id text NOT NULL,
  lot_id text NOT NULL,
  bidder_org_id uuid NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  payer_name text NOT NULL,
  payer_account_no text NOT NULL,
  payer_bank text,
  credited_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  payer_name_matches boolean NOT NULL,
  flags jsonb NOT NULL DEFAULT '[]',
  body_sha256 text NOT NULL,
  UNIQUE (bank_code, bank_ref)
);
CREATE INDEX deposit_credits_lot_idx ON deposit_credits (tender_id, lot_id, bidder_org_id);
-- 条例 40: deposits of several bidders from one account. Looked up by account number.
CREATE INDEX deposit_credits_payer_idx ON deposit_credits (payer_account_no);

-- Replay protection for bank callbacks: a nonce is accepted once per bank inside the timestamp window.
CREATE TABLE deposit_bank_nonces (
  bank_code text NOT NULL,
  nonce text NOT NULL,
  seen_at timestamptz NOT NULL,
  PRIMARY KEY (bank_code, nonce)
);

-- Electronic guarantees as verified with the issuer; rejected attempts are kept (with their reasons) as history.
CREATE TABLE deposit_guarantees (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id text NOT NULL,
  lot_id text NOT NULL,
  bidder_org_id uuid NOT NULL,
  issuer_code text NOT NULL REFERENCES deposit_issuers (code),
  guarantee_no text NOT NULL,
  status text NOT NULL CHECK (status IN ('verified', 'rejected', 'released')),
  problems jsonb NOT NULL DEFAULT '[]',
  amount_fen bigint,
  valid_until timestamptz,
  document jsonb,
  signature text,
  verified_at timestamptz NOT NULL,
  released_at timestamptz,
  FOREIGN KEY (tender_id, lot_id) REFERENCES deposit_requirements (tender_id, lot_id)
);
CREATE INDEX deposit_guarantees_lot_idx ON deposit_guarantees (tender_id, lot_id, bidder_org_id);
-- One accepted guarantee backs one bid: the same number cannot be verified twice while it stands.
CREATE UNIQUE INDEX deposit_guarantees_once ON deposit_guarantees (issuer_code, guarantee_no) WHERE status = 'verified';

-- Refunds of cash credits (to the payer account, 原路退回) and releases of guarantees, with their due instants.
CREATE TABLE deposit_refunds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id text NOT NULL,
  lot_id text NOT NULL,
  bidder_org_id uuid NOT NULL,
  credit_id uuid UNIQUE REFERENCES deposit_credits (id),
  amount_fen bigint NOT NULL,
  reason text NOT NULL,
  basis_at timestamptz NOT NULL,
  period_n integer NOT NULL,
  period_unit text NOT NULL CHECK (period_unit IN ('calendar_day', 'working_day')),
  due_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'done')),
  overdue_at timestamptz,
  done_at timestamptz,
  done_by uuid,
  confirmed_via text CHECK (confirmed_via IN ('staff', 'bank')),
  bank_ref text,
  interest_fen bigint CHECK (interest_fen >= 0),
  created_at timestamptz NOT NULL
);
CREATE INDEX deposit_refunds_lot_idx ON deposit_refunds (tender_id, lot_id);
CREATE INDEX deposit_refunds_open_idx ON deposit_refunds (due_at) WHERE status = 'open';
