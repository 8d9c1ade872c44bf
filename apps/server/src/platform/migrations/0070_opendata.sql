-- Open data (OCDS 1.1.5). One row per release, written in the same transaction as the change it describes.
-- `seq` is the release's ledger sequence number: ledger appends are serialised in commit order and gap-free, so a
-- harvester that polls "releases after seq N" never misses one that commits late (an identity column would not
-- give that guarantee: values are taken at insert, not at commit).
-- `data` is `json`, not `jsonb`: the text is kept exactly as built (member order: ocid, id, date, tag first), so it
-- is served without re-serialising and its SHA-256 (in the ledger entry) can be checked against the served bytes.
CREATE TABLE ocds_releases (
  seq bigint PRIMARY KEY,
  ocid text NOT NULL,
  release_id text NOT NULL,
  release_date timestamptz NOT NULL,
  tags text[] NOT NULL CHECK (cardinality(tags) > 0),
  data json NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  UNIQUE (ocid, release_id)
);
CREATE INDEX ocds_releases_by_ocid ON ocds_releases (ocid, seq);

-- Releases are records of what was published: never edited, never deleted.
CREATE FUNCTION ocds_releases_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'OCDS releases are append-only' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER ocds_releases_no_change BEFORE UPDATE OR DELETE ON ocds_releases
  FOR EACH ROW EXECUTE FUNCTION ocds_releases_immutable();
