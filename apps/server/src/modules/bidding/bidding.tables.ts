import type { Generated } from 'kysely';
import '../tendering/tendering.tables';
import '../../platform/files/files.tables';

export type BidStatus = 'submitted' | 'superseded' | 'withdrawn';
export type Decryption = 'pending' | 'decrypted' | 'revoked' | 'recovering' | 'recovered' | 'withdrawn';
export type RoomStatus = 'decrypting' | 'recovery' | 'objections' | 'closed' | 'failed';

// Migration 0080_bidding.sql.
declare module '../../platform/db/schema' {
  interface Tables {
    bids: {
      id: string;
      tender_id: string;
      lot_id: string;
      bidder_org_id: string;
      submitted_by: string;
      upload_id: string;
      sha256: string;
      sealed_digest: string;
      size: number;
      signature: string;
      key_algorithm: string;
      key_fingerprint: string;
      public_key: string;
      header: unknown;
      deposit_kind: 'guarantee' | 'cash' | null;
      deposit_ref: string | null;
      status: BidStatus;
      received_at: Date;
      ended_at: Date | null;
      ledger_seq: number;
      ledger_hash: string;
      receipt: unknown;
      decryption: Generated<Decryption>;
      failed_attempts: Generated<number>;
      decrypted_at: Date | null;
      price_fen: number | null;
      duration_days: number | null;
      quality: string | null;
      price_sheet: unknown;
      content_key: string | null;
    };
    bid_openings: {
      lot_id: string;
      tender_id: string;
      status: RoomStatus;
      opened_at: Date;
      window_ends_at: Date;
      recovery_ends_at: Date | null;
      min_bidders: number;
      incident_at: Date | null;
      incident_by: string | null;
      incident_reason: string | null;
      record_published_at: Date | null;
      record_announcement_id: string | null;
      record: unknown;
      objections_until: Date | null;
      failed_reason: string | null;
      version: Generated<number>;
      updated_at: Date;
    };
    bid_escrow_shares: { bid_id: string; custodian_account_id: string; position: number; share: string | null; submitted_at: Date };
    bid_opening_objections: {
      id: Generated<string>;
      lot_id: string;
      objector_org_id: string;
      objector_account_id: string;
      body_text: string;
      raised_at: Date;
      answer_text: string | null;
      answered_at: Date | null;
      answered_by: string | null;
    };
  }
}
