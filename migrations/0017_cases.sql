-- Cases (办件): an application for a published implementation, through intake, back-office
-- steps, decision and delivery. Every transition is a case_event row and an audit record.

-- Daily serials per region and channel for case numbers (6-digit region, date, channel, serial).
create table case_serial (
  region6 text not null,
  day text not null,                           -- YYYYMMDD, Asia/Shanghai
  channel smallint not null check (channel between 1 and 5),
  last_serial integer not null,
  primary key (region6, day, channel)
);

create table service_case (
  id uuid primary key default gen_random_uuid(),
  case_number text not null unique,
  implementation_id uuid not null,             -- catalogue entry (published version at submission)
  implementation_version integer not null,
  implementation_code text not null,
  item_name text not null,
  org_id uuid not null references organisation (id),
  region_code text not null,                   -- the implementing region (GB/T 2260)
  channel smallint not null check (channel between 1 and 5),
  applicant_kind text not null check (applicant_kind in ('citizen', 'company')),
  applicant_id uuid not null,                  -- citizen_account or company_account
  applicant_name_sealed text not null,         -- SM4; shown masked in lists
  phone_tail_hash text not null,               -- keyed hash of case number + last 4 mobile digits (public progress lookup)
  submitted_by uuid,                           -- the person who acted (agent, proxy, window clerk)
  answers jsonb not null,
  state text not null,
  version integer not null default 1,          -- optimistic lock: every transition bumps it
  step integer not null default 0,             -- back-office step index once accepted
  steps jsonb not null,                        -- [{ name, role }] fixed at acceptance from the implementation
  promised_days integer not null,
  legal_days integer not null,
  clock_started_on date,                       -- the working day counting starts after (acceptance)
  due_on date,                                 -- promised deadline, moved by suspensions
  legal_due_on date,
  suspended_since date,
  suspended_working_days integer not null default 0,
  commitment_due_on date,                      -- 容缺受理: materials promised by this date
  decision text check (decision in ('approved', 'rejected')),
  delivery_method text check (delivery_method in ('electronic', 'pickup', 'post')),
  pickup_code_hash text,
  idempotency_key text,
  created_at timestamptz not null default now(),
  submitted_at timestamptz,
  accepted_at timestamptz,
  decided_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (applicant_id, idempotency_key)
);
create index service_case_applicant on service_case (applicant_kind, applicant_id, created_at desc);
create index service_case_queue on service_case (region_code, org_id, state, due_on);

-- The timeline: what happened, when, by whom; the applicant sees the rows marked public.
create table case_event (
  id bigint generated always as identity primary key,
  case_id uuid not null references service_case (id),
  action text not null,
  from_state text,
  to_state text not null,
  actor_kind text not null,
  actor_id text,
  note text,
  data jsonb not null default '{}',
  public boolean not null default true,
  region_code text not null,
  created_at timestamptz not null default now()
);
create index case_event_case on case_event (case_id, id);

-- Materials of a case: an uploaded file (content-addressed), a reused licence or shared data,
-- or promised later (容缺).
create table case_material (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references service_case (id),
  material_id text not null,                   -- the implementation's material id
  name text not null,
  source text not null check (source in ('upload', 'licence', 'data', 'promised')),
  file_hash text,
  file_name text,
  mime text,
  size_bytes integer,
  reference text,                              -- licence identifier or data-sharing receipt
  created_at timestamptz not null default now()
);
create index case_material_case on case_material (case_id);
create index case_material_file on case_material (file_hash);
