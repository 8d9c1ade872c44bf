import type { CreatedAt, Generated } from '../db/schema';

declare module '../db/schema' {
  interface Tables {
    organisations: {
      id: Generated<string>;
      kind: 'organisation' | 'person';
      name: string;
      uscc: string | null;
      person_id_hash: string | null;
      region_code: Generated<string>;
      org_type: Generated<string>;
      contact_name: string | null;
      contact_phone: string | null;
      status: Generated<'active' | 'suspended' | 'cancelled'>;
      created_at: CreatedAt;
    };
    accounts: {
      id: Generated<string>;
      org_id: string | null;
      username: string;
      display_name: string;
      password_hash: string;
      phone: string | null;
      email: string | null;
      locale: Generated<string>;
      failed_logins: Generated<number>;
      locked_until: Date | null;
      totp_secret: string | null;
      totp_enabled: Generated<boolean>;
      /** Migration 0020: last accepted TOTP step (replay guard). */
      totp_last_step: Generated<number | null>;
      /** Migration 0020: may manage the accounts of its own organisation. */
      is_org_admin: Generated<boolean>;
      status: Generated<'active' | 'disabled'>;
      created_at: CreatedAt;
    };
    account_roles: {
      account_id: string;
      role: string;
      industries: Generated<string[]>;
      regions: Generated<string[]>;
      granted_at: CreatedAt;
    };
    sessions: {
      id_hash: string;
      account_id: string;
      csrf_token: string;
      created_at: Date;
      expires_at: Date;
      second_factor_ok: Generated<boolean>;
      ip: string | null;
      user_agent: string | null;
    };
    /** Migration 0020: scoped API tokens of 'system' accounts (only the SHA-256 is stored). */
    api_tokens: {
      id: Generated<string>;
      account_id: string;
      name: string;
      token_hash: string;
      token_prefix: string;
      scopes: string[];
      created_by: string | null;
      created_at: Date;
      expires_at: Date;
      revoked_at: Date | null;
      last_used_at: Date | null;
    };
  }
}
