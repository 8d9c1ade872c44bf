-- The draw's read model of the registry (ADR 0019 § performance; ADR 0016): one row per (leaf specialty, ACTIVE
-- expert) carrying what the eligibility query needs, so that a draw reads the rows of the requested specialties by
-- their primary key instead of joining five 100,000-row tables (≈ 250 ms → a few ms for a 12,000-expert pool).
-- Leave and blacklist stay in their own small tables (anti-joined at query time: they depend on the period).
-- Maintained by statement-level triggers on every source table, set-based over the changed experts, inside the
-- writer's transaction: the read model can never disagree with the registry.
CREATE TABLE expert_pool (
  specialty_code text NOT NULL,
  expert_id uuid NOT NULL,
  account_id uuid NOT NULL,
  serial_no bigint NOT NULL,
  home_region text NOT NULL,
  employer_uscc text,
  region_prefixes text[] NOT NULL,
  kinds text[] NOT NULL,
  -- 'ORGCODE|YYYY-MM-DD' (avoid_until) or 'ORGCODE|' (open-ended): filtered by the period's first day in the query.
  conflicts text[] NOT NULL,
  PRIMARY KEY (specialty_code, expert_id)
);
CREATE INDEX expert_pool_expert_idx ON expert_pool (expert_id);

-- Joins on unnest(ids), never `= ANY (ids)`: a bulk write (100,000 experts) would compare every row with every id.
CREATE FUNCTION expert_pool_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM expert_pool p USING unnest(ids) AS i(id) WHERE p.expert_id = i.id;
  INSERT INTO expert_pool (specialty_code, expert_id, account_id, serial_no, home_region, employer_uscc, region_prefixes, kinds, conflicts)
  SELECT s.specialty_code, e.id, e.account_id, e.serial_no, e.home_region, e.employer_uscc::text,
         coalesce((SELECT array_agg(r.region_prefix ORDER BY r.region_prefix) FROM expert_regions r WHERE r.expert_id = e.id), '{}'),
         coalesce((SELECT array_agg(k.kind ORDER BY k.kind) FROM expert_kinds k WHERE k.expert_id = e.id), '{}'),
         coalesce((SELECT array_agg(c.org_uscc::text || '|' || coalesce(to_char(c.avoid_until, 'YYYY-MM-DD'), ''))
                   FROM expert_conflicts c WHERE c.expert_id = e.id), '{}')
  FROM (SELECT DISTINCT id FROM unnest(ids) AS u(id)) i
  JOIN experts e ON e.id = i.id
  JOIN expert_specialty_links s ON s.expert_id = e.id
  WHERE e.status = 'active';
END $$;

-- TG_ARGV[0]: the column naming the expert in the changed table. The transition table is `changed` in every trigger.
CREATE FUNCTION expert_pool_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids uuid[];
BEGIN
  EXECUTE format('SELECT array_agg(DISTINCT %I) FROM changed', TG_ARGV[0]) INTO ids;
  IF ids IS NOT NULL THEN PERFORM expert_pool_refresh(ids); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER expert_pool_experts_ins AFTER INSERT ON experts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('id');
CREATE TRIGGER expert_pool_experts_upd AFTER UPDATE ON experts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('id');
CREATE TRIGGER expert_pool_experts_del AFTER DELETE ON experts REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('id');
CREATE TRIGGER expert_pool_links_ins AFTER INSERT ON expert_specialty_links REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_links_upd AFTER UPDATE ON expert_specialty_links REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_links_upd2 AFTER UPDATE ON expert_specialty_links REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_links_del AFTER DELETE ON expert_specialty_links REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_regions_ins AFTER INSERT ON expert_regions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_regions_upd AFTER UPDATE ON expert_regions REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_regions_upd2 AFTER UPDATE ON expert_regions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_regions_del AFTER DELETE ON expert_regions REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_kinds_ins AFTER INSERT ON expert_kinds REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_kinds_upd AFTER UPDATE ON expert_kinds REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_kinds_upd2 AFTER UPDATE ON expert_kinds REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_kinds_del AFTER DELETE ON expert_kinds REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_conflicts_ins AFTER INSERT ON expert_conflicts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_conflicts_upd AFTER UPDATE ON expert_conflicts REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_conflicts_upd2 AFTER UPDATE ON expert_conflicts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');
CREATE TRIGGER expert_pool_conflicts_del AFTER DELETE ON expert_conflicts REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION expert_pool_sync('expert_id');

-- Experts admitted before this migration.
SELECT expert_pool_refresh(ARRAY(SELECT id FROM experts));
