-- Working-day calendar (issue 2 §7, DOMAIN §3). Only days that differ from "Mon–Fri work, Sat–Sun rest" (holidays
-- and 调休 working weekends) are stored; a year absent from calendar_years is a year the platform refuses to
-- compute periods in. Rows are seeded at start-up from the product's data file (platform/calendar/holidays.data.ts,
-- ensureCalendarSeeded) and edited by administrators through /api/calendar (each edit ledgered).
CREATE TABLE calendar_years (
  year integer PRIMARY KEY CHECK (year BETWEEN 1990 AND 2200),
  -- 'builtin': seeded from the data file; 'import': imported at run time by an administrator.
  source text NOT NULL CHECK (source IN ('builtin', 'import')),
  -- Changes on every edit of the year; computation caches compare it to decide whether to reload.
  generation uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES accounts(id)
);

CREATE TABLE calendar_days (
  date date PRIMARY KEY,
  year integer NOT NULL REFERENCES calendar_years(year),
  is_off_day boolean NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- 'official': from the State Council notice; 'admin': set or changed by an administrator.
  source text NOT NULL CHECK (source IN ('official', 'admin')),
  updated_at timestamptz NOT NULL,
  CHECK (EXTRACT(YEAR FROM date) = year)
);
CREATE INDEX calendar_days_year_idx ON calendar_days (year, date);
