-- Content-addressed file store (issue 2 §7). `files` describes each distinct blob (named by its SHA-256, kept in the
-- FileStore, not in the database); `file_uploads` is one user's upload of a blob under a display name — the thing
-- other records reference by id and the unit of access control. The same bytes uploaded twice are one blob and
-- two uploads.
CREATE TABLE files (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  mime text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE file_uploads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sha256 text NOT NULL REFERENCES files(sha256),
  -- Sanitised display name (a safe base name); never used as a path.
  original_name text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
  uploader_id uuid NOT NULL REFERENCES accounts(id),
  org_id uuid REFERENCES organisations(id),
  created_at timestamptz NOT NULL
);
CREATE INDEX file_uploads_sha256_idx ON file_uploads (sha256);
CREATE INDEX file_uploads_org_idx ON file_uploads (org_id, created_at);
CREATE INDEX file_uploads_uploader_idx ON file_uploads (uploader_id, created_at);
