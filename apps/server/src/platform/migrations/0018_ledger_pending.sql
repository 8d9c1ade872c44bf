-- Batched ledger appends (ADR 0003, "Batched appends"). A command records its entry in ledger_pending inside its
-- own transaction — a plain INSERT, no lock — so the change and its entry still commit or vanish together. After
-- commit, ledger_seal() chains the committed pending entries in one transaction: one head lock and one WAL flush
-- for a whole batch instead of one per entry, which is what capped synchronous appends (ledger_append, 0017) at
-- about 1 / (flush + client turnaround) for all writers together.
--
-- body_prefix / body_suffix: the entry's canonical JSON split around seq, prepared by the client (append.ts,
-- entryBodyParts) because PostgreSQL's JSON text is not the canonical form the hash covers.
CREATE TABLE ledger_pending (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recorded_at timestamptz NOT NULL,
  type text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  actor_id uuid,
  payload jsonb NOT NULL,
  body_prefix text NOT NULL,
  body_suffix text NOT NULL
);

-- Seals up to p_limit committed pending entries, oldest first, and returns how many and the last seq.
-- The head row is locked first (FOR UPDATE waits for a synchronous appender's or another sealer's COMMIT); the
-- pending rows are read after that, with a fresh snapshot (a volatile plpgsql function takes one per statement
-- under READ COMMITTED), so rows another sealer has already chained and deleted are not seen again. The hash is
-- the same as ledger_append's: SHA-256(prev hash ‖ '\n' ‖ prefix ‖ seq ‖ suffix).
CREATE FUNCTION ledger_seal(p_limit integer, OUT sealed integer, OUT last_seq bigint) LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_hash text;
  v_prev text;
  r record;
  ids bigint[] := '{}';
  seqs bigint[] := '{}';
  recs timestamptz[] := '{}';
  types text[] := '{}';
  stypes text[] := '{}';
  sids text[] := '{}';
  actors uuid[] := '{}';
  payloads jsonb[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
BEGIN
  sealed := 0;
  PERFORM 1 FROM ledger_pending LIMIT 1;
  IF NOT FOUND THEN
    SELECT h.seq INTO last_seq FROM ledger_head h WHERE h.id;
    RETURN;
  END IF;
  SELECT h.seq, h.entry_hash, h.prev_hash INTO v_seq, v_hash, v_prev FROM ledger_head h WHERE h.id FOR UPDATE;
  IF v_seq IS NULL THEN
    RAISE EXCEPTION 'ledger_head row is missing';
  END IF;
  FOR r IN SELECT * FROM ledger_pending ORDER BY id LIMIT p_limit LOOP
    v_seq := v_seq + 1;
    v_prev := v_hash;
    v_hash := encode(sha256(convert_to(v_prev || E'\n' || r.body_prefix || v_seq::text || r.body_suffix, 'UTF8')), 'hex');
    ids := ids || r.id;
    seqs := seqs || v_seq;
    recs := recs || r.recorded_at;
    types := types || r.type;
    stypes := stypes || r.subject_type;
    sids := sids || r.subject_id;
    actors := actors || r.actor_id;
    payloads := payloads || r.payload;
    prevs := prevs || v_prev;
    hashes := hashes || v_hash;
    sealed := sealed + 1;
  END LOOP;
  IF sealed > 0 THEN
    INSERT INTO ledger_entries (seq, recorded_at, type, subject_type, subject_id, actor_id, payload, prev_hash, entry_hash)
    SELECT * FROM unnest(seqs, recs, types, stypes, sids, actors, payloads, prevs, hashes);
    DELETE FROM ledger_pending WHERE id = ANY (ids);
    UPDATE ledger_head SET seq = v_seq, prev_hash = v_prev, entry_hash = v_hash WHERE id;
  END IF;
  last_seq := v_seq;
END $$;
