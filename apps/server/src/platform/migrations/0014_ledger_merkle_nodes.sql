-- Cached roots of perfect Merkle subtrees (2^level leaves, level >= 8), written when checkpoints are made, so an
-- inclusion proof reads a few thousand small rows and at most a few hundred entry hashes instead of the whole
-- ledger. Derived data, not trusted: a proof is checked against the signed root, so a wrong row makes a proof fail,
-- never pass; `ledger verify` ignores this table.
CREATE TABLE ledger_merkle_nodes (
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (level, idx)
);
