-- Verifiable lottery (issue 4; ARCHITECTURE §5; docs/adr/0015-verifiable-lottery.md). A platform service: expert
-- draws, seat (工位) assignment, remote secondary venues and tie-breaks all use one table and one algorithm.
CREATE TABLE lottery_draws (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  algorithm text NOT NULL,
  purpose text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_]{1,39}$'),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  status text NOT NULL CHECK (status IN ('committed', 'executed', 'revealed')),
  -- Secret pools (experts before the result is published): names shown only after the reveal.
  secret boolean NOT NULL,
  -- SHA-256 commitment to the seed, published before the inputs exist.
  commitment text NOT NULL CHECK (commitment ~ '^[0-9a-f]{64}$'),
  -- The 32-byte seed: 'aes-256-gcm' (iv.tag.ciphertext, base64, under YIWANG_MASTER_KEY, bound to the draw id) or
  -- 'none' (hex, only when no master key is configured). Never returned by any API before the reveal.
  seed_protection text NOT NULL CHECK (seed_protection IN ('aes-256-gcm', 'none')),
  seed_sealed text NOT NULL,
  -- Once revealed, the seed in clear (hex): the record is public from then on.
  seed_revealed text CHECK (seed_revealed ~ '^[0-9a-f]{64}$'),
  -- A follow-up draw (补抽 / re-draw) names the draw it follows: all draws for one subject form a single chain.
  replaces uuid REFERENCES lottery_draws(id),
  replace_reason text,
  reveal_after timestamptz,
  requested_by uuid REFERENCES accounts(id),
  committed_at timestamptz NOT NULL,
  commit_seq bigint NOT NULL,
  -- Execution: the canonical inputs (ids only, never names), the hashes and the result.
  inputs jsonb,
  pool_size integer,
  pool_hash text,
  inputs_hash text,
  result jsonb,
  result_hash text,
  executed_by uuid REFERENCES accounts(id),
  executed_at timestamptz,
  execute_seq bigint,
  revealed_at timestamptz,
  reveal_seq bigint,
  CHECK ((status = 'committed') = (executed_at IS NULL)),
  CHECK ((status = 'revealed') = (revealed_at IS NOT NULL AND seed_revealed IS NOT NULL)),
  CHECK ((replaces IS NULL) = (replace_reason IS NULL))
);
-- One first draw per subject; every further draw for it must follow the latest one (unique successor): a second draw
-- can never silently stand beside the first. (A subject names what is drawn for, e.g. 'tender:<id>/lot:1/experts'.)
CREATE UNIQUE INDEX lottery_draws_first_uq ON lottery_draws (subject) WHERE replaces IS NULL;
CREATE UNIQUE INDEX lottery_draws_successor_uq ON lottery_draws (replaces) WHERE replaces IS NOT NULL;

-- Exclusions (回避) applied before a draw: the public part is the salted commitment and the reason code (in
-- lottery_draws.inputs); the opening (who, why, salt) stays here for the custodians.
CREATE TABLE lottery_exclusions (
  draw_id uuid NOT NULL REFERENCES lottery_draws(id) ON DELETE CASCADE,
  commitment text NOT NULL CHECK (commitment ~ '^[0-9a-f]{64}$'),
  reason text NOT NULL,
  excluded_id text NOT NULL,
  detail text NOT NULL,
  salt text NOT NULL CHECK (salt ~ '^[0-9a-f]{32}$'),
  PRIMARY KEY (draw_id, commitment)
);
