import type { Generated } from 'kysely';
import '../../platform/auth/auth.tables';
import '../../platform/files/files.tables';

export type ExpertStatus = 'submitted' | 'returned' | 'rejected' | 'active' | 'suspended' | 'exited' | 'removed';
export type TitleLevel = 'full_senior' | 'senior' | 'intermediate' | 'none';
export type EvaluationKind = 'works' | 'government_procurement' | 'other';
export type ConflictKind = 'employment' | 'director' | 'shareholder' | 'relative' | 'other';
export type MaterialCode = 'id_card' | 'title_certificate' | 'equivalence_proof' | 'employment_proof' | 'other';

// Migrations 0110_experts.sql (tables) and 0111_expert_specialties.sql (classification data).
declare module '../../platform/db/schema' {
  interface Tables {
    expert_specialties: {
      code: string;
      parent_code: string | null;
      level: number;
      name_zh: string;
      name_en: string;
      industry: string;
      sort_order: number;
    };
    expert_settings: {
      id: Generated<boolean>;
      max_specialties: number;
      annual_review_due: string;
      updated_at: Date | null;
      updated_by: string | null;
    };
    experts: {
      id: Generated<string>;
      serial_no: Generated<number>;
      account_id: string;
      person_id_hash: string;
      name: string;
      phone: string | null;
      /** Migration 0132: the expert asks for a voice call (语音通知) with each draw invitation. */
      invite_by_voice: Generated<boolean>;
      title_level: TitleLevel;
      title_name: string | null;
      equivalent_level: boolean;
      experience_years: number;
      employer_name: string | null;
      employer_uscc: string | null;
      home_region: string;
      industries: string[];
      status: ExpertStatus;
      submit_count: Generated<number>;
      submitted_at: Date;
      decided_at: Date | null;
      decided_by: string | null;
      activated_at: Date | null;
      suspended_reason: string | null;
      ended_at: Date | null;
      end_reason: string | null;
      created_at: Date;
      updated_at: Date;
    };
    expert_specialty_links: { specialty_code: string; expert_id: string };
    expert_regions: { region_prefix: string; expert_id: string; region_code: string };
    expert_kinds: { kind: EvaluationKind; expert_id: string };
    expert_materials: { expert_id: string; code: MaterialCode; file_id: string; supplied_at: Date };
    expert_conflicts: {
      id: Generated<string>;
      expert_id: string;
      kind: ConflictKind;
      org_uscc: string;
      org_name: string;
      relation: string | null;
      started_on: string | null;
      ended_on: string | null;
      avoid_until: string | null;
      declared_at: Date;
    };
    expert_leaves: {
      id: Generated<string>;
      expert_id: string;
      starts_at: Date;
      ends_at: Date;
      reason: string;
      created_at: Date;
      cancelled_at: Date | null;
    };
    expert_reviews: {
      id: Generated<string>;
      expert_id: string;
      round: number;
      decision: 'approve' | 'return' | 'reject';
      reasons: unknown;
      comment: string | null;
      reviewer_id: string;
      decided_at: Date;
    };
    expert_annual_reviews: {
      expert_id: string;
      year: number;
      result: 'pass' | 'fail';
      comment: string | null;
      reviewer_id: string;
      decided_at: Date;
    };
    expert_performance: {
      id: Generated<string>;
      expert_id: string;
      evaluation_ref: string;
      rating: number;
      comment: string | null;
      rater_id: string;
      rater_org_id: string | null;
      created_at: Date;
    };
    expert_incentives: {
      id: Generated<string>;
      expert_id: string;
      kind: 'incentive' | 'penalty';
      points: number;
      reason: string;
      recorded_by: string;
      created_at: Date;
    };
    expert_blacklist: {
      id: Generated<string>;
      expert_id: string;
      reason: string;
      basis: string | null;
      starts_at: Date;
      ends_at: Date | null;
      recorded_by: string;
      created_at: Date;
      lifted_at: Date | null;
      lifted_by: string | null;
      lift_reason: string | null;
    };
  }
}
