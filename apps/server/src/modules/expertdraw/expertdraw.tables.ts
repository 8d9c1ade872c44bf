import type { Generated } from 'kysely';
import '../../platform/auth/auth.tables';
import '../../platform/lottery/lottery.tables';
import '../tendering/tendering.tables';
import '../experts/experts.tables';

export type RequestStatus = 'committed' | 'drawing' | 'complete' | 'published';
export type MemberStatus = 'invited' | 'confirmed' | 'declined' | 'expired' | 'voided';
export interface Quota {
  code: string;
  count: number;
}

// Migration 0130_expert_draw.sql.
declare module '../../platform/db/schema' {
  interface Tables {
    expert_draw_settings: {
      id: boolean;
      days_before: number;
      max_per_tenderer: number;
      frequency_days: number;
      confirm_minutes: number;
      /** Migration 0132: channels of the invitation besides the inbox ('sms', 'voice'). */
      invite_channels: Generated<string[]>;
      updated_at: Generated<Date | null>;
      updated_by: Generated<string | null>;
    };
    expert_draw_requests: {
      id: Generated<string>;
      tender_id: string;
      lot_id: string;
      lot_no: number;
      tenderer_org_id: string;
      requested_by: string;
      requester_org_id: string;
      quotas: unknown;
      regions: string[];
      remote: boolean;
      kinds: string[];
      evaluation_at: Date;
      evaluation_ends_at: Date;
      earliest_at: Date;
      confirm_minutes: number;
      status: RequestStatus;
      first_draw_id: string;
      latest_draw_id: string;
      vacancy_reason: Generated<string | null>;
      /** Migration 0131: why seating the committee failed at the last attempt, null otherwise. */
      seat_error: Generated<string | null>;
      created_at: Date;
      executed_at: Generated<Date | null>;
      executed_by: Generated<string | null>;
      completed_at: Generated<Date | null>;
      published_at: Generated<Date | null>;
    };
    expert_draw_members: {
      id: Generated<string>;
      request_id: string;
      draw_id: string;
      position: number;
      expert_id: string;
      account_id: string;
      specialty: string;
      tenderer_org_id: string;
      status: MemberStatus;
      drawn_at: Date;
      respond_by: Date;
      responded_at: Generated<Date | null>;
      checked_in_at: Generated<Date | null>;
      void_reason: Generated<string | null>;
    };
  }
}
