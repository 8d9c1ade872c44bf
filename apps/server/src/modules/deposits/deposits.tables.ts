import type { Generated } from 'kysely';

// Migration 0060_deposits.sql. Money columns are bigint 分 (parsed to JS number by the shared type parser).
export type RefundUnit = 'calendar_day' | 'working_day';
export type GuaranteeStatus = 'verified' | 'rejected' | 'released';

declare module '../../platform/db/schema' {
  interface Tables {
    deposit_banks: {
      code: string;
      name: string;
      master_account_name: string;
      master_account_no: string;
      sub_account_prefix: string;
      hmac_secret: string;
      active: Generated<boolean>;
      created_at: Date;
      updated_at: Date;
    };
    deposit_issuers: {
      code: string;
      name: string;
      api_base_url: string;
      public_key_pem: string;
      active: Generated<boolean>;
      created_at: Date;
      updated_at: Date;
    };
    deposit_requirements: {
      tender_id: string;
      lot_id: string;
      lot_label: string;
      required_fen: number;
      cash_allowed: boolean;
      reveal_after: Date;
      bid_valid_until: Date;
      beneficiary_name: string;
      beneficiary_uscc: string | null;
      tenderer_org_id: string | null;
      agency_org_id: string | null;
      industry: string;
      region_code: string;
      created_at: Date;
      updated_at: Date;
    };
    deposit_sub_accounts: {
      id: Generated<string>;
      tender_id: string;
      lot_id: string;
      bidder_org_id: string;
      bank_code: string;
      account_no: string;
      created_at: Date;
    };
    deposit_credits: {
      id: Generated<string>;
      bank_code: string;
      bank_ref: string;
      sub_account_id: string;
      tender_id: string;
      lot_id: string;
      bidder_org_id: string;
      amount_fen: number;
      payer_name: string;
      payer_account_no: string;
      payer_bank: string | null;
      credited_at: Date;
      received_at: Date;
      payer_name_matches: boolean;
      flags: unknown;
      body_sha256: string;
    };
    deposit_bank_nonces: { bank_code: string; nonce: string; seen_at: Date };
    deposit_guarantees: {
      id: Generated<string>;
      tender_id: string;
      lot_id: string;
      bidder_org_id: string;
      issuer_code: string;
      guarantee_no: string;
      status: GuaranteeStatus;
      problems: unknown;
      amount_fen: number | null;
      valid_until: Date | null;
      document: unknown;
      signature: string | null;
      verified_at: Date;
      released_at: Date | null;
    };
    deposit_refunds: {
      id: Generated<string>;
      tender_id: string;
      lot_id: string;
      bidder_org_id: string;
      credit_id: string | null;
      amount_fen: number;
      reason: string;
      basis_at: Date;
      period_n: number;
      period_unit: RefundUnit;
      due_at: Date;
      status: 'open' | 'done';
      overdue_at: Date | null;
      done_at: Date | null;
      done_by: string | null;
      confirmed_via: 'staff' | 'bank' | null;
      bank_ref: string | null;
      interest_fen: number | null;
      created_at: Date;
    };
  }
}
