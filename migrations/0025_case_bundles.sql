-- 一件事 applications: one application with one merged form and de-duplicated materials,
-- split into one case per member item (and so per department), linked by the bundle.

create table case_bundle (
  id uuid primary key default gen_random_uuid(),
  scenario_code text not null,
  scenario_name text not null,
  region_code text not null,                   -- where the applicant applied (GB/T 2260)
  applicant_kind text not null check (applicant_kind in ('citizen', 'company')),
  applicant_id uuid not null,
  answers jsonb not null,                      -- the merged form as answered
  state text not null default 'open' check (state in ('open', 'completed')),
  idempotency_key text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  unique (applicant_id, idempotency_key)
);
create index case_bundle_applicant on case_bundle (applicant_kind, applicant_id, created_at desc);

alter table service_case add column bundle_id uuid references case_bundle (id);
create index service_case_bundle on service_case (bundle_id) where bundle_id is not null;
