-- Platform signing keys (issue 2 §7). The private key is stored encrypted (AES-256-GCM under YIWANG_MASTER_KEY)
-- when a master key is configured; it is never returned by any API.
CREATE TABLE platform_keys (
  id text PRIMARY KEY,
  algorithm text NOT NULL,
  public_key_pem text NOT NULL,
  -- 'aes-256-gcm' (iv.tag.ciphertext, base64) or 'none' (PKCS#8 PEM, only when no master key is configured).
  private_key_protection text NOT NULL CHECK (private_key_protection IN ('aes-256-gcm', 'none')),
  private_key text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Signed Merkle roots over ledger entries 1..tree_size (RFC 6962 tree; see docs/adr/0003-ledger.md).
CREATE TABLE ledger_checkpoints (
  tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
  root text NOT NULL,
  -- Ed25519 signature (hex) over checkpointMessage(tree_size, root, created_at) with key_id.
  signature text NOT NULL,
  key_id text NOT NULL REFERENCES platform_keys(id),
  created_at timestamptz NOT NULL,
  -- Roots of the perfect subtrees of this tree (largest first): the next checkpoint resumes from them instead of
  -- rehashing the whole ledger. Not trusted by `ledger verify`, which recomputes everything.
  frontier jsonb NOT NULL
);
