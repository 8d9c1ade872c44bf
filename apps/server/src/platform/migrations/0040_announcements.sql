-- Announcements (issue 2 §6): drafted by a tenderer or agency, reviewed by the center, then published for ever.
-- A published announcement never changes; a correction is a new change_notice whose related_id points at it.
CREATE TABLE announcements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type text NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- Trading catalog entry code (catalog module), e.g. 'works.housing'; filters on 'works' match its children.
  category_code text NOT NULL CHECK (category_code ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
  category_root text GENERATED ALWAYS AS (split_part(category_code, '.', 1)) STORED,
  -- Administrative region, GB/T 2260 six-digit code.
  region_code char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  project_id uuid,
  -- Sanitised HTML (never the author's raw input) and its plain text for search snippets.
  body_html text NOT NULL,
  body_text text NOT NULL,
  -- File store ids (POST /api/files), in display order.
  attachment_ids uuid[] NOT NULL DEFAULT '{}',
  -- Every upload the announcement shows (attachments and inline images): published ones become public downloads.
  file_ids uuid[] NOT NULL DEFAULT '{}',
  publisher_org_id uuid NOT NULL REFERENCES organisations(id),
  related_id uuid REFERENCES announcements(id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published')),
  reject_reason text,
  created_by uuid REFERENCES accounts(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_at timestamptz,
  reviewed_by uuid REFERENCES accounts(id),
  published_at timestamptz,
  -- SHA-256 of the canonical JSON of the published content, also written to the ledger entry.
  content_hash text,
  -- The ledger sequence number of the publication: gap-free and in commit order, so feeds page by it and never
  -- skip an announcement whose transaction committed late, nor repeat one that shares a publish instant.
  publish_seq bigint UNIQUE,
  -- CJK bigrams + latin/digit words + filter tags, built by the application (ADR 0006). Empty until published.
  search_tokens tsvector NOT NULL DEFAULT ''::tsvector,
  CHECK ((status = 'published') = (published_at IS NOT NULL AND content_hash IS NOT NULL AND publish_seq IS NOT NULL))
);

-- Public search: GIN over tokens for text queries; btree indexes for filter-only listings in publish order.
CREATE INDEX announcements_search_idx ON announcements USING gin (search_tokens) WHERE status = 'published';
CREATE INDEX announcements_pub_idx ON announcements (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX announcements_cat_pub_idx ON announcements (category_code, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX announcements_catroot_pub_idx ON announcements (category_root, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX announcements_region_pub_idx ON announcements (region_code, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX announcements_type_pub_idx ON announcements (type, published_at DESC, id DESC) WHERE status = 'published';
-- Workbench lists and the "changes to this announcement" list on a detail page.
CREATE INDEX announcements_org_idx ON announcements (publisher_org_id, updated_at DESC);
CREATE INDEX announcements_review_idx ON announcements (submitted_at) WHERE status = 'in_review';
CREATE INDEX announcements_related_idx ON announcements (related_id) WHERE related_id IS NOT NULL;
CREATE INDEX announcements_files_idx ON announcements USING gin (file_ids) WHERE status <> 'draft';
CREATE INDEX announcements_project_idx ON announcements (project_id) WHERE project_id IS NOT NULL;

-- Defence in depth behind the application's own check: the database itself refuses to change or delete a
-- published announcement. Only search_tokens (derived data, rebuilt when the tokeniser improves) may change.
CREATE FUNCTION announcements_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'published' THEN
      RAISE EXCEPTION 'announcement % is published and cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'published' AND (
       NEW.id, NEW.type, NEW.title, NEW.category_code, NEW.region_code, NEW.project_id, NEW.body_html, NEW.body_text,
       NEW.attachment_ids, NEW.file_ids, NEW.publisher_org_id, NEW.related_id, NEW.status, NEW.reject_reason, NEW.created_by,
       NEW.created_at, NEW.updated_at, NEW.submitted_at, NEW.reviewed_by, NEW.published_at, NEW.content_hash,
       NEW.publish_seq
     ) IS DISTINCT FROM (
       OLD.id, OLD.type, OLD.title, OLD.category_code, OLD.region_code, OLD.project_id, OLD.body_html, OLD.body_text,
       OLD.attachment_ids, OLD.file_ids, OLD.publisher_org_id, OLD.related_id, OLD.status, OLD.reject_reason, OLD.created_by,
       OLD.created_at, OLD.updated_at, OLD.submitted_at, OLD.reviewed_by, OLD.published_at, OLD.content_hash,
       OLD.publish_seq
     ) THEN
    RAISE EXCEPTION 'announcement % is published and cannot be changed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER announcements_published_immutable BEFORE UPDATE OR DELETE ON announcements
  FOR EACH ROW EXECUTE FUNCTION announcements_published_immutable();
