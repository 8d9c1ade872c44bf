-- Identity and access (issue 2 §3): organisation admins, TOTP replay guard, scoped API tokens, signing keys.

-- The registering account administers its market entity's other accounts.
ALTER TABLE accounts ADD COLUMN is_org_admin boolean NOT NULL DEFAULT false;
-- Last accepted TOTP time step: a code is accepted once only (RFC 6238 §5.2).
ALTER TABLE accounts ADD COLUMN totp_last_step bigint;

-- API tokens for 'system' accounts. Only SHA-256 of the token is stored; the token is shown once at creation.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- First characters of the token, so an operator can tell tokens apart without the secret.
  token_prefix text NOT NULL,
  scopes text[] NOT NULL,
  created_by uuid REFERENCES accounts(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

-- Public keys an account signs bids with, registered with proof of possession.
CREATE TABLE signing_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  algorithm text NOT NULL CHECK (algorithm IN ('sm2', 'ed25519', 'p256')),
  public_key text NOT NULL,
  -- SHA-256 (hex) of the key's canonical bytes: SPKI DER for ed25519/p256, the 65-byte point for sm2.
  fingerprint text NOT NULL,
  label text,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE UNIQUE INDEX signing_keys_active_uq ON signing_keys (account_id, fingerprint) WHERE revoked_at IS NULL;

-- One-time challenges for proof of possession.
CREATE TABLE key_challenges (
  challenge text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX key_challenges_account_idx ON key_challenges (account_id);

CREATE INDEX organisations_name_idx ON organisations (lower(name));
