import type { Generated } from 'kysely';

export type ProjectStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'accepted_green';

declare module '../../platform/db/schema' {
  interface Tables {
    projects: {
      id: Generated<string>;
      serial_no: Generated<number>;
      name: string;
      catalog_version_id: string;
      catalog_code: string;
      procedure_type: string;
      subject: 'works' | 'goods' | 'services' | null;
      region_code: string;
      industry: string;
      estimate_fen: number;
      mandatory: boolean;
      threshold_fen: number | null;
      owner_org_id: string;
      agency_org_id: string | null;
      created_by: string;
      green_channel_requested: Generated<boolean>;
      green_channel_reason: string | null;
      status: ProjectStatus;
      submitted_at: Date | null;
      due_at: Date | null;
      submit_count: Generated<number>;
      decided_at: Date | null;
      decided_by: string | null;
      created_at: Date;
      updated_at: Date;
    };
    project_lots: { project_id: string; seq: number; name: string; estimate_fen: number };
    project_materials: { project_id: string; code: string; file_id: string; supplied_at: Date; supplied_by: string };
    project_returns: { project_id: string; round: number; items: unknown; returned_by: string; returned_at: Date };
    project_pending_items: { project_id: string; code: string; due_date: string; supplied_at: Date | null; file_id: string | null };
  }
}
