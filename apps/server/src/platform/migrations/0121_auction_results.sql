-- Auctions, around the bidding (issue 5 §3; ADR 0018 "Close", "Deposits and numbers"): announcements, the random
-- draw of bidding numbers, the 成交确认书, the winner's deposit applied to the price, and a per-bid deposit flag.
ALTER TABLE auctions
  ADD COLUMN notice_id uuid,                    -- 出让/挂牌公告 published when registration opens
  ADD COLUMN result_notice_id uuid,             -- 成交公示 / 流拍公告 published at the final close
  ADD COLUMN numbers_draw_id uuid,              -- the lottery draw committed at creation, executed at the registration deadline
  ADD COLUMN numbers_drawn_at timestamptz,
  ADD COLUMN confirmation_file_id uuid,         -- 成交确认书 PDF (file_uploads.id)
  ADD COLUMN confirmation_no text,
  ADD COLUMN confirmation_ledger_seq bigint,
  ADD COLUMN confirmation_sha256 text;

-- Set by a trigger when the deposits module starts a refund of (or releases a guarantee of) this bidder's deposit for
-- the auction: from then on its bids are refused. The bid already reads this row, so the check costs no query.
ALTER TABLE auction_bidders ADD COLUMN deposit_released_at timestamptz;

-- Deposits module: cash credits applied to the price (转为价款) instead of refunded. One row per credit; a credit
-- applied is never refunded (startRefunds skips it).
CREATE TABLE deposit_applications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id text NOT NULL,
  lot_id text NOT NULL,
  bidder_org_id uuid NOT NULL,
  credit_id uuid NOT NULL UNIQUE REFERENCES deposit_credits (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  reason text NOT NULL,
  applied_at timestamptz NOT NULL,
  actor_id uuid
);
CREATE INDEX deposit_applications_lot ON deposit_applications (tender_id, lot_id, bidder_org_id);

-- The flag carries the deposits module's own instant (the application clock), never the database's now().
CREATE FUNCTION auction_deposit_refund_started() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Auction lots are registered as (tender_id = auction id, lot_id = 'auction'); other lots are not auctions.
  IF NEW.lot_id = 'auction' THEN
    UPDATE auction_bidders SET deposit_released_at = COALESCE(deposit_released_at, NEW.created_at)
     WHERE auction_id = NEW.tender_id::uuid AND org_id = NEW.bidder_org_id;
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION auction_guarantee_released() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.lot_id = 'auction' AND NEW.status = 'released' THEN
    UPDATE auction_bidders SET deposit_released_at = COALESCE(deposit_released_at, NEW.released_at)
     WHERE auction_id = NEW.tender_id::uuid AND org_id = NEW.bidder_org_id;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER deposit_refunds_auction AFTER INSERT ON deposit_refunds
  FOR EACH ROW EXECUTE FUNCTION auction_deposit_refund_started();
CREATE TRIGGER deposit_guarantees_auction AFTER UPDATE OF status ON deposit_guarantees
  FOR EACH ROW EXECUTE FUNCTION auction_guarantee_released();
