-- Market entities and accounts (issue 2 §3). One registration serves every procedure (一地注册全网通用).
CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('organisation', 'person')),
  name text NOT NULL,
  -- 统一社会信用代码 (GB 32100-2015), organisations only; checked by its check character in the application.
  uscc char(18) UNIQUE,
  -- Natural persons: a keyed hash of the ID number, never the number itself.
  person_id_hash text UNIQUE,
  region_code text NOT NULL DEFAULT '350200',
  org_type text NOT NULL DEFAULT 'enterprise',
  contact_name text,
  contact_phone text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'organisation' AND uscc IS NOT NULL) OR (kind = 'person' AND person_id_hash IS NOT NULL))
);

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid REFERENCES organisations(id),
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  phone text,
  email text,
  locale text NOT NULL DEFAULT 'zh-CN',
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_org_idx ON accounts (org_id);

CREATE TABLE account_roles (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  role text NOT NULL,
  industries text[] NOT NULL DEFAULT '{}',
  regions text[] NOT NULL DEFAULT '{}',
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, role)
);

-- Sessions: the cookie carries a random token; only its SHA-256 is stored, so a database reader cannot log in.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  second_factor_ok boolean NOT NULL DEFAULT false,
  ip text,
  user_agent text
);
CREATE INDEX sessions_account_idx ON sessions (account_id);
