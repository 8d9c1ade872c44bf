-- Online auctions and listings (issue 5): 拍卖, 挂牌, 网络竞价, 国有产权转让. Money is integer 分 (bigint), times timestamptz.
-- reserve_fen is secret until the end (DOMAIN §7): only the module's presenter decides when to show it.
CREATE TABLE auctions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  policy text NOT NULL CHECK (policy IN ('auction', 'listing', 'online', 'state_equity')),
  organiser_org_id uuid NOT NULL,
  created_by uuid NOT NULL,
  industry text NOT NULL,
  region_code text NOT NULL,
  start_price_fen bigint NOT NULL CHECK (start_price_fen > 0),
  increment_fen bigint NOT NULL CHECK (increment_fen > 0),
  reserve_fen bigint,
  deposit_fen bigint NOT NULL CHECK (deposit_fen >= 0),
  registration_ends_at timestamptz NOT NULL,
  starts_at timestamptz NOT NULL,
  countdown_seconds integer NOT NULL,
  max_ends_at timestamptz NOT NULL,
  preemption_org_id uuid,
  preemption_window_seconds integer NOT NULL DEFAULT 0,
  -- live state, changed only under SELECT … FOR UPDATE of this row
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'preemption', 'sold', 'failed')),
  phase text NOT NULL CHECK (phase IN ('listing', 'free', 'timed')),
  ends_at timestamptz NOT NULL,
  current_price_fen bigint,
  leader_bidder_id uuid,
  leader_no integer,
  bid_count integer NOT NULL DEFAULT 0,
  event_seq integer NOT NULL DEFAULT 0,
  numbers_issued integer NOT NULL DEFAULT 0,
  -- result
  closed_at timestamptz,
  failed_reason text,
  winner_bidder_id uuid,
  final_price_fen bigint,
  preemption_ends_at timestamptz,
  created_at timestamptz NOT NULL
);

CREATE TABLE auction_bidders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  auction_id uuid NOT NULL REFERENCES auctions (id),
  org_id uuid NOT NULL,
  account_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'approved', 'rejected')),
  material_file_ids jsonb NOT NULL DEFAULT '[]',
  bidding_no integer,
  applied_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by uuid,
  decision_reason text,
  UNIQUE (auction_id, org_id),
  UNIQUE (auction_id, bidding_no)
);

-- Accepted bids: bid_seq is gap-free per auction (assigned under the auction row lock); a retried request with the
-- same client bid id finds its original row through the unique index instead of bidding twice.
CREATE TABLE auction_bids (
  auction_id uuid NOT NULL REFERENCES auctions (id),
  bid_seq integer NOT NULL,
  event_seq integer NOT NULL,
  bidder_id uuid NOT NULL REFERENCES auction_bidders (id),
  bidding_no integer NOT NULL,
  amount_fen bigint NOT NULL,
  client_bid_id text NOT NULL,
  phase text NOT NULL,
  placed_at timestamptz NOT NULL,
  ends_at_after timestamptz NOT NULL,
  PRIMARY KEY (auction_id, bid_seq),
  UNIQUE (auction_id, bidder_id, client_bid_id)
);

-- The room's event stream (bids, phase changes, close), anonymised: what any watcher may see. seq is gap-free per
-- auction; a reconnecting client asks for seq > its last.
CREATE TABLE auction_events (
  auction_id uuid NOT NULL REFERENCES auctions (id),
  seq integer NOT NULL,
  kind text NOT NULL,
  price_fen bigint,
  leader_no integer,
  ends_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (auction_id, seq)
);
