import type { Generated } from 'kysely';
import type { LotStatus } from './tendering.machine';

export interface DeadlineChange {
  lotNo: number;
  from: string;
  to: string;
}

declare module '../../platform/db/schema' {
  interface Tables {
    tenders: {
      id: Generated<string>;
      serial_no: Generated<number>;
      project_id: string;
      procedure_type: string;
      title: string;
      notice_html: Generated<string>;
      status: 'draft' | 'published';
      owner_org_id: string;
      agency_org_id: string | null;
      industry: string;
      region_code: string;
      catalog_code: string;
      planned_publish_at: Date;
      published_at: Date | null;
      publisher_org_id: string | null;
      notice_id: string | null;
      escrow_k: number;
      created_by: string;
      created_at: Date;
      updated_at: Date;
    };
    tender_lots: {
      id: Generated<string>;
      tender_id: string;
      lot_no: number;
      name: string;
      estimate_fen: number;
      deposit_fen: number;
      bid_deadline: Date;
      opening_at: Date;
      status: LotStatus;
      status_changed_at: Date;
      deadline_held_at: Date | null;
    };
    tender_custodians: { tender_id: string; account_id: string; kind: 'center' | 'regulator' | 'tenderer' };
    tender_invitations: { tender_id: string; org_id: string };
    tender_documents: { tender_id: string; seq: number; file_id: string; clarification_id: string | null; added_at: Date };
    tender_obtains: { id: Generated<string>; tender_id: string; org_id: string; account_id: string; obtained_at: Date };
    tender_clarifications: {
      id: Generated<string>;
      tender_id: string;
      seq: number;
      body_text: string;
      published_at: Date;
      published_by: string;
      deadline_changes: Generated<unknown>;
      change_notice_id: string | null;
    };
    tender_questions: {
      id: Generated<string>;
      tender_id: string;
      asker_org_id: string;
      asker_account_id: string;
      body_text: string;
      asked_at: Date;
      clarification_id: string | null;
    };
    tender_objections: {
      id: Generated<string>;
      tender_id: string;
      lot_no: number | null;
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
      deadline_changes: Generated<unknown>;
    };
    tender_policy_overrides: {
      procedure_type: string;
      key: string;
      n: string | number | null;
      unit: 'day' | 'working_day' | null;
      flag: boolean | null;
      basis: string;
      set_by: string;
      set_at: Date;
    };
  }
}
