import type { Generated } from 'kysely';
import '../tendering/tendering.tables';
import '../experts/experts.tables';
import '../../platform/files/files.tables';
import '../../platform/lottery/lottery.tables';

export type EvalStage = 'review' | 'scoring' | 'flags' | 'report' | 'signed';
export type MemberKind = 'expert' | 'representative';

// Migration 0140_evaluation.sql.
declare module '../../platform/db/schema' {
  interface Tables {
    eval_templates: { lot_id: string; method: 'comprehensive' | 'lowest_price'; template: unknown; set_by: string | null; set_at: Date };
    eval_nominations: { lot_id: string; account_id: string; nominated_by: string | null; nominated_at: Date };
    eval_committees: {
      id: Generated<string>;
      lot_id: string;
      tender_id: string;
      stage: EvalStage;
      seat_draw_id: string;
      seated_at: Date;
      report_file_id: string | null;
      report_sha256: string | null;
      report_at: Date | null;
      signed_at: Date | null;
    };
    eval_members: {
      committee_id: string;
      account_id: string;
      expert_id: string | null;
      kind: MemberKind;
      seat: number;
      chair: boolean;
      reviewed_at: Date | null;
      submitted_at: Date | null;
      signed_at: Date | null;
      signature_sha256: string | null;
      fee_fen: number | null;
    };
    eval_reviews: { committee_id: string; account_id: string; bid_id: string; pass: boolean; reason: string | null; at: Date };
    eval_scores: { committee_id: string; account_id: string; bid_id: string; item_code: string; centi: number; at: Date };
    eval_flags: {
      committee_id: string;
      account_id: string;
      bid_id: string;
      item_code: string;
      centi: number;
      mean_centi: number;
      status: 'open' | 'confirmed' | 'corrected';
      note: string | null;
      resolved_at: Date | null;
    };
    eval_results: {
      committee_id: string;
      bid_id: string;
      bidder_org_id: string;
      price_fen: number;
      qualified: boolean;
      technical_centi: number | null;
      commercial_centi: number | null;
      price_centi: number | null;
      total_centi: number | null;
      rank: number | null;
      tie_draw_id: string | null;
    };
    eval_clarifications: {
      id: Generated<string>;
      committee_id: string;
      bidder_org_id: string;
      question: string;
      asked_by: string;
      asked_at: Date;
      answer: string | null;
      answered_by: string | null;
      answered_at: Date | null;
    };
    eval_fee_settings: {
      id: Generated<boolean>;
      half_day_minutes: number;
      half_day_fen: number;
      full_day_minutes: number;
      full_day_fen: number;
      overtime_hour_fen: number;
      updated_at: Date | null;
      updated_by: string | null;
    };
  }
}
