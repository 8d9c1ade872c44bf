-- Trading catalog (交易目录, issue 2 §4). The catalog is versioned: a draft is edited by an administrator, then
-- published for public comment (目录的制定和调整前，公开征求意见) with a comment deadline and an effective-from
-- instant. A published version never changes; the version in force at an instant is the published one with the
-- latest effective_from not after it.
CREATE TABLE catalog_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version_no integer NOT NULL UNIQUE,
  title text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published')),
  based_on uuid REFERENCES catalog_versions(id),
  created_by uuid REFERENCES accounts(id),
  created_at timestamptz NOT NULL,
  published_by uuid REFERENCES accounts(id),
  published_at timestamptz,
  comment_until timestamptz,
  effective_from timestamptz,
  CHECK (status = 'draft' OR (published_at IS NOT NULL AND comment_until IS NOT NULL AND effective_from IS NOT NULL)),
  CHECK (effective_from IS NULL OR comment_until IS NULL OR effective_from >= comment_until)
);
CREATE UNIQUE INDEX catalog_versions_effective_idx ON catalog_versions (effective_from) WHERE status = 'published';

-- One row per category or sub-category of a version. thresholds/materials are small JSON arrays validated by
-- the application (see catalog.rules.ts); amounts inside are integer 分.
CREATE TABLE catalog_entries (
  version_id uuid NOT NULL REFERENCES catalog_versions(id) ON DELETE CASCADE,
  code text NOT NULL,
  parent_code text,
  sort_order integer NOT NULL DEFAULT 0,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  industry text NOT NULL,
  thresholds jsonb NOT NULL DEFAULT '[]',
  procedures text[] NOT NULL DEFAULT '{}',
  materials jsonb NOT NULL DEFAULT '[]',
  basis text NOT NULL DEFAULT '',
  PRIMARY KEY (version_id, code)
);

CREATE TABLE catalog_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version_id uuid NOT NULL REFERENCES catalog_versions(id),
  entry_code text,
  author_id uuid NOT NULL REFERENCES accounts(id),
  author_name text NOT NULL,
  org_name text,
  body text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX catalog_comments_version_idx ON catalog_comments (version_id, created_at);
