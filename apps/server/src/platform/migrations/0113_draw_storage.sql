-- Expert draw speed (ADR 0019 § performance, second pass).
--
-- 1. The pool query reads expert_pool by its primary key range (the requested leaves). Its rows were scattered over
--    the heap (each expert's rows are written when its record changes): ~17,500 rows for 3 leaves touched ~8,300
--    heap pages. The key now carries every column the draw reads, so the read is an index-only scan of a few hundred
--    contiguous pages (the visibility map is kept by (auto)vacuum; a page not yet all-visible is read from the heap).
ALTER TABLE expert_pool DROP CONSTRAINT expert_pool_pkey;
ALTER TABLE expert_pool ADD CONSTRAINT expert_pool_pkey PRIMARY KEY (specialty_code, expert_id)
  INCLUDE (account_id, serial_no, home_region, employer_uscc, region_prefixes, kinds, conflicts);

-- 2. A draw's canonical pool was stored as jsonb inside lottery_draws.inputs: ~1 MB of JSON for 12,000 candidates,
--    parsed into jsonb at every execution (≈ 40–200 ms). It is now one text column, a line per candidate
--    ('<id> <group>,<group>…', canonical order; ids and group codes hold neither spaces, commas nor newlines), and
--    the exclusions with their openings (custodian-only, like the sealed seed) are one JSON text column instead of a
--    lottery_exclusions row each (700 rows with their foreign-key checks ≈ 20 ms per draw). Records executed before
--    this migration keep their canonical inputs in `inputs` and their openings in lottery_exclusions, read as before.
ALTER TABLE lottery_draws ADD COLUMN pool_candidates text;
ALTER TABLE lottery_draws ADD COLUMN exclusion_openings text;
