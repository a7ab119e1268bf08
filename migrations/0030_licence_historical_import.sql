-- Historical licences (存量证照, docs/licences.md "Historical import"): a staff member uploads
-- a CSV or Excel file of one licence type for their organisation; every row is checked first,
-- then the valid rows are issued in batches through the outbox, each batch one transaction,
-- so a crash resumes from the last committed batch and no row is issued twice.
create table licence_import_job (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  region_code text not null,
  type_code text not null references licence_type (code),
  file_name text not null,
  file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
  status text not null check (status in ('checked', 'running', 'paused', 'done')),
  total integer not null check (total >= 0),
  valid integer not null check (valid >= 0),
  issued integer not null default 0,
  failed integer not null default 0,
  created_by text not null,
  -- The staff member as at upload: the batches issue as them (audit, licence events).
  actor jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index licence_import_job_region on licence_import_job (region_code, created_at desc);

create table licence_import_row (
  job_id uuid not null references licence_import_job (id),
  row_no integer not null,
  type_code text not null,
  -- The licence's number on paper (原证号): the same historical licence is imported once.
  original_number text not null,
  -- Checked data (personal fields sealed as in the library) and the holder; null when invalid.
  data jsonb,
  holder jsonb,
  valid_from date,
  valid_until date,
  errors jsonb not null default '[]',
  status text not null check (status in ('invalid', 'pending', 'issued', 'failed')),
  licence_id uuid references licence (id),
  message text,
  primary key (job_id, row_no)
);
create unique index licence_import_once on licence_import_row (type_code, original_number) where status in ('pending', 'issued');
create index licence_import_pending on licence_import_row (job_id, row_no) where status = 'pending';
