-- Background imports of implementations (large files and uploads). The job row and the
-- outbox event that starts it are written in one transaction; the handler checks the rows
-- in chunks (each chunk its own transaction, advancing rows_processed) and then writes all
-- rows in one transaction. The parsed file and the checked plans are kept only until the
-- job ends.

create table catalog_import_job (
  id uuid primary key,
  region_code text not null,
  created_by text not null,                   -- staff account id
  actor jsonb not null,                       -- the staff member as at upload: checks and audit run as them
  file_name text,
  format text not null check (format in ('csv', 'xlsx', 'pasted')),
  status text not null default 'queued' check (status in ('queued', 'validating', 'committing', 'done', 'failed')),
  total_rows integer not null check (total_rows >= 0),
  rows_processed integer not null default 0 check (rows_processed >= 0),
  rows jsonb,                                 -- parsed rows [{line, row}], cleared when the job ends
  plans jsonb not null default '[]',          -- what each good row will do, cleared when the job ends
  report jsonb not null default '[]',         -- bad rows: [{row, field, message}]
  result jsonb,                               -- {committed, rows, created, updated, unchanged}
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index catalog_import_job_region on catalog_import_job (region_code, created_at desc);
