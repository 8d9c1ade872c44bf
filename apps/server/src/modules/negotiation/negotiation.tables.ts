import type { Generated } from 'kysely';
import '../tendering/tendering.tables';
import '../../platform/files/files.tables';

export type NegotiationKind = 'negotiation' | 'consultation' | 'single_source';
export type NegotiationStage = 'rounds' | 'final_offers' | 'decrypting' | 'agreement' | 'concluded' | 'failed' | 'ended';
export type ParticipantStatus = 'active' | 'eliminated' | 'withdrawn' | 'no_final_offer' | 'not_decrypted' | 'over_budget' | 'final' | 'agreed';
export type MinimumException = 'gp_two_suppliers_approved' | 'research_project' | 'government_services';
export type ObjectionStatus = 'open' | 'upheld' | 'rejected';

// Migration 0055_negotiation.sql.
declare module '../../platform/db/schema' {
  interface Tables {
    negotiations: {
      lot_id: string;
      tender_id: string;
      kind: NegotiationKind;
      stage: NegotiationStage;
      started_at: Date;
      min_final_offers: number;
      min_exception: MinimumException | null;
      min_exception_note: string | null;
      price_weight_percent: number | null;
      final_called_at: Date | null;
      final_called_by: string | null;
      final_deadline: Date | null;
      decryption_ends_at: Date | null;
      agreed_price_fen: number | null;
      agreed_terms: string | null;
      agreement_record_file_id: string | null;
      agreement_proposed_at: Date | null;
      agreement_proposed_by: string | null;
      agreement_confirmed_at: Date | null;
      agreement_confirmed_by: string | null;
      concluded_at: Date | null;
      failed_reason: string | null;
      version: Generated<number>;
      updated_at: Date;
    };
    negotiation_participants: {
      lot_id: string;
      bidder_org_id: string;
      first_bid_id: string;
      first_price_fen: number;
      first_submitted_at: Date;
      status: ParticipantStatus;
      status_reason: string | null;
      status_at: Date | null;
      final_price_fen: number | null;
    };
    negotiation_rounds: {
      id: Generated<string>;
      lot_id: string;
      round_no: number;
      bidder_org_id: string;
      held_at: Date;
      minutes_text: string | null;
      minutes_file_id: string | null;
      recorded_by: string;
      recorded_at: Date;
    };
    negotiation_changes: {
      id: Generated<string>;
      lot_id: string;
      seq: number;
      body_text: string;
      file_id: string | null;
      purchaser_confirmed: boolean;
      issued_by: string;
      issued_at: Date;
    };
    negotiation_change_recipients: {
      change_id: string;
      lot_id: string;
      bidder_org_id: string;
      delivered_at: Date;
      acknowledged_at: Date | null;
      acknowledged_by: string | null;
    };
    negotiation_final_offers: {
      id: string;
      lot_id: string;
      bidder_org_id: string;
      submitted_by: string;
      status: 'submitted' | 'superseded';
      sha256: string;
      size: number;
      sealed_digest: string;
      signature: string;
      key_algorithm: string;
      key_fingerprint: string;
      public_key: string;
      header: unknown;
      received_at: Date;
      ended_at: Date | null;
      ledger_seq: number;
      ledger_hash: string;
      decryption: 'pending' | 'decrypted' | 'not_decrypted';
      failed_attempts: Generated<number>;
      decrypted_at: Date | null;
      price_fen: number | null;
      price_sheet: unknown;
      content_key: string | null;
    };
    single_source_objections: {
      id: Generated<string>;
      tender_id: string;
      objector_account_id: string;
      objector_org_id: string | null;
      body_text: string;
      raised_at: Date;
      status: ObjectionStatus;
      answer_text: string | null;
      answered_at: Date | null;
      answered_by: string | null;
    };
  }
}
