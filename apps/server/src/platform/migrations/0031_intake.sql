-- Project intake (项目入场登记, issue 2 §5). A tenderer, or an agency on its behalf, registers a project with its
-- lots (标段/包) and the materials its catalog entry asks for; the center's window accepts it, returns it once
-- with one complete list (一次告知), or accepts it through the green channel with items pending (容缺受理).
CREATE TABLE projects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  serial_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  name text NOT NULL,
  catalog_version_id uuid NOT NULL REFERENCES catalog_versions(id),
  catalog_code text NOT NULL,
  procedure_type text NOT NULL,
  subject text CHECK (subject IN ('works', 'goods', 'services')),
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  industry text NOT NULL,
  estimate_fen bigint NOT NULL CHECK (estimate_fen > 0),
  -- Whether entry is mandatory (应进必进), decided from the catalog version in force when last saved.
  mandatory boolean NOT NULL,
  threshold_fen bigint,
  owner_org_id uuid NOT NULL REFERENCES organisations(id),
  agency_org_id uuid REFERENCES organisations(id),
  created_by uuid NOT NULL REFERENCES accounts(id),
  green_channel_requested boolean NOT NULL DEFAULT false,
  green_channel_reason text,
  status text NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted', 'accepted_green')),
  submitted_at timestamptz,
  due_at timestamptz,
  submit_count integer NOT NULL DEFAULT 0,
  decided_at timestamptz,
  decided_by uuid REFERENCES accounts(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX projects_owner_idx ON projects (owner_org_id, created_at);
CREATE INDEX projects_agency_idx ON projects (agency_org_id, created_at) WHERE agency_org_id IS NOT NULL;
CREATE INDEX projects_queue_idx ON projects (status, due_at);

CREATE TABLE project_lots (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  name text NOT NULL,
  estimate_fen bigint NOT NULL CHECK (estimate_fen > 0),
  PRIMARY KEY (project_id, seq)
);

-- The file currently given for each material code (replaced, never versioned here: the ledger keeps history).
CREATE TABLE project_materials (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  code text NOT NULL,
  file_id uuid NOT NULL REFERENCES file_uploads(id),
  supplied_at timestamptz NOT NULL,
  supplied_by uuid NOT NULL REFERENCES accounts(id),
  PRIMARY KEY (project_id, code)
);

-- Each return (退回) with its complete list of items; round 1 is the 一次告知 list that later rounds may not extend.
CREATE TABLE project_returns (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  round integer NOT NULL,
  items jsonb NOT NULL,
  returned_by uuid NOT NULL REFERENCES accounts(id),
  returned_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, round)
);

-- Items accepted as pending through the green channel (容缺受理), each due by a calendar date.
CREATE TABLE project_pending_items (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  code text NOT NULL,
  due_date date NOT NULL,
  supplied_at timestamptz,
  file_id uuid REFERENCES file_uploads(id),
  PRIMARY KEY (project_id, code)
);
