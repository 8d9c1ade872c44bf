-- Expert registry (专家库, issue 4 part 1; DOMAIN §5; design: docs/adr/0016-expert-registry.md).
-- Built for the draw that comes later: "which experts are active, in these specialties and regions, not on leave
-- and not blacklisted at this time, and which organisations must each of them avoid" over ~100,000 experts and
-- ~40 specialties. Every filter is an indexed lookup on a narrow link table keyed by the value first
-- (specialty, region prefix, organisation code), then joined to experts by id.

-- 评标专家专业分类 (条例 第四十五条: one national classification). Three levels 大类 → 中类 → 小类; experts pick
-- leaves (level 3) only. Data: 0111_expert_specialties.sql.
CREATE TABLE expert_specialties (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z]([0-9]{2}){0,2}$'),
  parent_code text REFERENCES expert_specialties(code),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  -- Supervising industry (条例 第四条) of works evaluations in this field: decides which regulators review experts
  -- who evaluate engineering tenders in it. Government procurement is always the finance department's.
  industry text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  CHECK ((level = 1) = (parent_code IS NULL)),
  CHECK (length(code) = 1 + 2 * (level - 1))
);
CREATE INDEX expert_specialties_parent_idx ON expert_specialties (parent_code);

-- Registry settings (one row): how many specialties one expert may hold, and the annual review deadline.
CREATE TABLE expert_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  max_specialties integer NOT NULL DEFAULT 3 CHECK (max_specialties BETWEEN 1 AND 10),
  -- The review of year Y is due by this Beijing calendar day of year Y+1 ('MM-DD'); experts without a pass by then
  -- are suspended.
  annual_review_due text NOT NULL DEFAULT '03-31' CHECK (annual_review_due ~ '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'),
  updated_at timestamptz,
  updated_by uuid REFERENCES accounts(id)
);
INSERT INTO expert_settings (id) VALUES (true);

-- One row per person (the application and, once approved, the pool entry). The resident ID number is never
-- stored: only its keyed HMAC, as identity does (《个人信息保护法》第二十八条).
CREATE TABLE experts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  serial_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  account_id uuid NOT NULL UNIQUE REFERENCES accounts(id),
  person_id_hash text NOT NULL UNIQUE,
  name text NOT NULL,
  phone text,
  title_level text NOT NULL CHECK (title_level IN ('full_senior', 'senior', 'intermediate', 'none')),
  title_name text,
  -- 同等专业水平 (招标投标法 第三十七条) declared in place of a title, with evidence among the materials.
  equivalent_level boolean NOT NULL DEFAULT false,
  experience_years integer NOT NULL CHECK (experience_years BETWEEN 0 AND 70),
  employer_name text,
  employer_uscc char(18),
  home_region text NOT NULL CHECK (home_region ~ '^[0-9]{6}$'),
  -- Supervising industries the record falls under (from its kinds of evaluation and specialties): with home_region,
  -- decides which regulators see and decide it (条例 第四条; 采购法 第十三条).
  industries text[] NOT NULL,
  status text NOT NULL CHECK (status IN ('submitted', 'returned', 'rejected', 'active', 'suspended', 'exited', 'removed')),
  submit_count integer NOT NULL DEFAULT 1,
  submitted_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by uuid REFERENCES accounts(id),
  activated_at timestamptz,
  suspended_reason text,
  ended_at timestamptz,
  end_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((employer_uscc IS NULL) = (employer_name IS NULL))
);
-- The draw scans active experts only; the review queue lists by status in order of submission.
CREATE INDEX experts_active_idx ON experts (id) WHERE status = 'active';
CREATE INDEX experts_status_idx ON experts (status, submitted_at);
-- The current employer is always a conflict: found by code like the declared ones.
CREATE INDEX experts_employer_idx ON experts (employer_uscc) WHERE employer_uscc IS NOT NULL;

-- Specialties, regions and kinds of evaluation: link tables keyed by the value first, so "experts in specialty S"
-- is an index range, then a join by id.
CREATE TABLE expert_specialty_links (
  specialty_code text NOT NULL REFERENCES expert_specialties(code),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  PRIMARY KEY (specialty_code, expert_id)
);
CREATE INDEX expert_specialty_links_expert_idx ON expert_specialty_links (expert_id);

-- Regions where the expert will evaluate, stored as GB/T 2260 prefixes ('35' province, '3502' city, '350203'
-- district): a venue in 350203 matches prefixes '35', '3502' and '350203', three equality probes.
CREATE TABLE expert_regions (
  region_prefix text NOT NULL CHECK (region_prefix ~ '^[0-9]{2,6}$'),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  PRIMARY KEY (region_prefix, expert_id)
);
CREATE INDEX expert_regions_expert_idx ON expert_regions (expert_id);

CREATE TABLE expert_kinds (
  kind text NOT NULL CHECK (kind IN ('works', 'government_procurement', 'other')),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  PRIMARY KEY (kind, expert_id)
);
CREATE INDEX expert_kinds_expert_idx ON expert_kinds (expert_id);

-- Materials of the application (uploads of the applicant's own account, platform file store).
CREATE TABLE expert_materials (
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  code text NOT NULL CHECK (code IN ('id_card', 'title_certificate', 'equivalence_proof', 'employment_proof', 'other')),
  file_id uuid NOT NULL REFERENCES file_uploads(id),
  supplied_at timestamptz NOT NULL,
  PRIMARY KEY (expert_id, file_id)
);
CREATE INDEX expert_materials_file_idx ON expert_materials (file_id);

-- Conflicts the expert declares (采购条例 第九条; 招标投标法 第三十七条 "利害关系"), keyed by the organisation's
-- 统一社会信用代码 so the draw can test them against the bidders' and the tenderer's codes. avoid_until is the last
-- Beijing day on which the conflict still counts: an ended employment, directorship or shareholding counts for 3
-- years after it ended; a relative's company while the relation lasts; NULL = open-ended.
CREATE TABLE expert_conflicts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('employment', 'director', 'shareholder', 'relative', 'other')),
  org_uscc char(18) NOT NULL,
  org_name text NOT NULL,
  relation text,
  started_on date,
  ended_on date,
  avoid_until date,
  declared_at timestamptz NOT NULL,
  CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX expert_conflicts_org_idx ON expert_conflicts (org_uscc, avoid_until);
CREATE INDEX expert_conflicts_expert_idx ON expert_conflicts (expert_id);

-- Leave (请假/暂停抽取): the expert is not drawn for evaluations overlapping [starts_at, ends_at).
CREATE TABLE expert_leaves (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  CHECK (ends_at > starts_at)
);
CREATE INDEX expert_leaves_expert_idx ON expert_leaves (expert_id, ends_at) WHERE cancelled_at IS NULL;

-- Each decision on an application: approve, return with reasons (to be corrected and resubmitted), reject.
CREATE TABLE expert_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  round integer NOT NULL,
  decision text NOT NULL CHECK (decision IN ('approve', 'return', 'reject')),
  reasons jsonb NOT NULL DEFAULT '[]',
  comment text,
  reviewer_id uuid NOT NULL REFERENCES accounts(id),
  decided_at timestamptz NOT NULL,
  UNIQUE (expert_id, round)
);

-- 年度考核: one result per expert and year.
CREATE TABLE expert_annual_reviews (
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  result text NOT NULL CHECK (result IN ('pass', 'fail')),
  comment text,
  reviewer_id uuid NOT NULL REFERENCES accounts(id),
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (expert_id, year)
);

-- 履职评价: the tenderer / center rates the expert after an evaluation (采购条例 第六十二条 second paragraph).
CREATE TABLE expert_performance (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  evaluation_ref text NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment text,
  rater_id uuid NOT NULL REFERENCES accounts(id),
  rater_org_id uuid REFERENCES organisations(id),
  created_at timestamptz NOT NULL,
  UNIQUE (expert_id, evaluation_ref, rater_id)
);
CREATE INDEX expert_performance_expert_idx ON expert_performance (expert_id, created_at);

-- 激励与惩戒: points added or deducted by the regulator, each with its reason.
CREATE TABLE expert_incentives (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('incentive', 'penalty')),
  points integer NOT NULL CHECK (points BETWEEN 1 AND 100),
  reason text NOT NULL,
  recorded_by uuid NOT NULL REFERENCES accounts(id),
  created_at timestamptz NOT NULL
);
CREATE INDEX expert_incentives_expert_idx ON expert_incentives (expert_id, created_at);

-- 黑名单 (条例 第七十一条; 采购条例 第七十五条): barred from evaluations from starts_at until ends_at (NULL =
-- indefinitely) unless lifted earlier.
CREATE TABLE expert_blacklist (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  reason text NOT NULL,
  basis text,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  recorded_by uuid NOT NULL REFERENCES accounts(id),
  created_at timestamptz NOT NULL,
  lifted_at timestamptz,
  lifted_by uuid REFERENCES accounts(id),
  lift_reason text,
  CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX expert_blacklist_expert_idx ON expert_blacklist (expert_id) WHERE lifted_at IS NULL;
