import type { Generated } from '../../platform/db/schema';
import '../../platform/auth/auth.tables';

// Migration 0020_identity.sql (organisations, accounts, account_roles, api_tokens live in platform/auth/auth.tables.ts).
declare module '../../platform/db/schema' {
  interface Tables {
    signing_keys: {
      id: Generated<string>;
      account_id: string;
      algorithm: 'sm2' | 'ed25519' | 'p256';
      public_key: string;
      fingerprint: string;
      label: string | null;
      created_at: Date;
      revoked_at: Date | null;
    };
    key_challenges: {
      challenge: string;
      account_id: string;
      created_at: Date;
      expires_at: Date;
      used_at: Date | null;
    };
  }
}
