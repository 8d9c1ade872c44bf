import type { Generated } from 'kysely';

// Migration 0090_award.sql. Money columns are bigint 分 (parsed to JS number by the shared type parser).

/** A step that came later than the policy allows: shown to the parties and supervisors, ledgered. */
export interface AwardWarning {
  code: string;
  zh: string;
  en: string;
  dueAt: string;
  at: string;
}

export type ObjectionKind = 'objection' | 'challenge';

declare module '../../platform/db/schema' {
  interface Tables {
    award_lots: {
      lot_id: string;
      tender_id: string;
      result_source: 'manual' | 'expert';
      report_file_id: string;
      report_received_at: Date;
      result_entered_by: string | null;
      result_entered_at: Date;
      publicity_notice_id: string | null;
      publicity_starts_at: Date | null;
      publicity_ends_at: Date | null;
      winner_org_id: string | null;
      winner_rank: number | null;
      award_price_fen: number | null;
      award_reason: string | null;
      awarded_at: Date | null;
      awarded_by: string | null;
      result_notice_id: string | null;
      notice_no: string | null;
      notice_file_id: string | null;
      notice_sha256: string | null;
      notice_content_sha256: string | null;
      notice_ledger_seq: number | null;
      notice_issued_at: Date | null;
      contract_due_at: Date | null;
      warnings: Generated<unknown>;
    };
    award_candidates: {
      lot_id: string;
      rank: number;
      bidder_org_id: string;
      bid_id: string | null;
      price_fen: number;
      score: string | null;
    };
    award_objections: {
      id: Generated<string>;
      lot_id: string;
      tender_id: string;
      kind: ObjectionKind;
      objector_org_id: string;
      objector_account_id: string;
      body_text: string;
      raised_at: Date;
      answer_due_at: Date;
      status: 'open' | 'answered';
      answer_text: string | null;
      answered_at: Date | null;
      answered_by: string | null;
      overdue_flagged_at: Date | null;
    };
    award_contracts: {
      id: Generated<string>;
      lot_id: string;
      file_id: string;
      public_file_id: string | null;
      value_fen: number;
      signed_at: Date;
      period_start: string | null;
      period_end: string | null;
      recorded_at: Date;
      recorded_by: string;
      notice_id: string | null;
      published_at: Date | null;
    };
    award_performance: {
      id: Generated<string>;
      contract_id: string;
      kind: 'payment' | 'milestone';
      occurred_on: string;
      amount_fen: number | null;
      description: string;
      recorded_at: Date;
      recorded_by: string;
    };
    award_endings: {
      lot_id: string;
      tender_id: string;
      kind: 'terminated' | 'failed';
      reason: string;
      ended_at: Date;
      ended_by: string;
      notice_id: string | null;
    };
    award_retenders: {
      retender_of: string;
      new_tender_id: string;
      new_lot_id: string;
      created_at: Date;
      created_by: string;
    };
  }
}
