import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;

// Migrations 0120_auctions.sql and 0121_auction_results.sql.
declare module '../../platform/db/schema' {
  interface Tables {
    auctions: {
      id: Generated<string>;
      title: string;
      policy: string;
      organiser_org_id: string;
      created_by: string;
      industry: string;
      region_code: string;
      start_price_fen: number;
      increment_fen: number;
      reserve_fen: number | null;
      deposit_fen: number;
      registration_ends_at: Date;
      starts_at: Date;
      countdown_seconds: number;
      max_ends_at: Date;
      preemption_org_id: string | null;
      preemption_window_seconds: Generated<number>;
      status: Generated<string>;
      phase: string;
      ends_at: Date;
      current_price_fen: number | null;
      leader_bidder_id: string | null;
      leader_no: number | null;
      bid_count: Generated<number>;
      event_seq: Generated<number>;
      numbers_issued: Generated<number>;
      closed_at: Date | null;
      failed_reason: string | null;
      winner_bidder_id: string | null;
      final_price_fen: number | null;
      preemption_ends_at: Date | null;
      created_at: Date;
      notice_id: Generated<string | null>;
      result_notice_id: Generated<string | null>;
      numbers_draw_id: Generated<string | null>;
      numbers_drawn_at: Generated<Date | null>;
      confirmation_file_id: Generated<string | null>;
      confirmation_no: Generated<string | null>;
      confirmation_ledger_seq: Generated<number | null>;
      confirmation_sha256: Generated<string | null>;
    };
    auction_bidders: {
      id: Generated<string>;
      auction_id: string;
      org_id: string;
      account_id: string;
      status: string;
      material_file_ids: Json;
      bidding_no: number | null;
      applied_at: Date;
      decided_at: Date | null;
      decided_by: string | null;
      decision_reason: string | null;
      deposit_released_at: Generated<Date | null>;
    };
    auction_bids: {
      auction_id: string;
      bid_seq: number;
      event_seq: number;
      bidder_id: string;
      bidding_no: number;
      amount_fen: number;
      client_bid_id: string;
      phase: string;
      placed_at: Date;
      ends_at_after: Date;
    };
    auction_events: {
      auction_id: string;
      seq: number;
      kind: string;
      price_fen: number | null;
      leader_no: number | null;
      ends_at: Date;
      payload: Json;
      at: Date;
    };
  }
}

export type AuctionRow = {
  id: string;
  title: string;
  policy: string;
  organiser_org_id: string;
  created_by: string;
  industry: string;
  region_code: string;
  start_price_fen: number;
  increment_fen: number;
  reserve_fen: number | null;
  deposit_fen: number;
  registration_ends_at: Date;
  starts_at: Date;
  countdown_seconds: number;
  max_ends_at: Date;
  preemption_org_id: string | null;
  preemption_window_seconds: number;
  status: string;
  phase: string;
  ends_at: Date;
  current_price_fen: number | null;
  leader_bidder_id: string | null;
  leader_no: number | null;
  bid_count: number;
  event_seq: number;
  numbers_issued: number;
  closed_at: Date | null;
  failed_reason: string | null;
  winner_bidder_id: string | null;
  final_price_fen: number | null;
  preemption_ends_at: Date | null;
  created_at: Date;
  notice_id: string | null;
  result_notice_id: string | null;
  numbers_draw_id: string | null;
  numbers_drawn_at: Date | null;
  confirmation_file_id: string | null;
  confirmation_no: string | null;
  confirmation_ledger_seq: number | null;
  confirmation_sha256: string | null;
};
