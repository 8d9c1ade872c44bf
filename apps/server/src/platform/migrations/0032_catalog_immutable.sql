-- A published catalog version never changes (ADR 0005): the application refuses it, and so does the database, so a
-- bug or a hand-written UPDATE cannot silently rewrite the rules projects were registered under.
CREATE FUNCTION catalog_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'catalog version % is published and cannot change', OLD.version_no USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER catalog_versions_immutable BEFORE UPDATE OR DELETE ON catalog_versions
  FOR EACH ROW EXECUTE FUNCTION catalog_version_guard();

CREATE FUNCTION catalog_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  vid uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN vid := NEW.version_id; ELSE vid := OLD.version_id; END IF;
  IF EXISTS (SELECT 1 FROM catalog_versions WHERE id = vid AND status = 'published') THEN
    RAISE EXCEPTION 'entries of a published catalog version cannot change' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.version_id <> OLD.version_id
     AND EXISTS (SELECT 1 FROM catalog_versions WHERE id = NEW.version_id AND status = 'published') THEN
    RAISE EXCEPTION 'entries of a published catalog version cannot change' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER catalog_entries_immutable BEFORE INSERT OR UPDATE OR DELETE ON catalog_entries
  FOR EACH ROW EXECUTE FUNCTION catalog_entry_guard();
