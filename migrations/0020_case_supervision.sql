-- Case workflow rules and supervision: 告知承诺制 with its later verification, special
-- procedures, transfer, delivery by post, and 督办 (escalation of overdue cases).

-- The special procedure running while a case is suspended (expert review, public notice, …).
alter table service_case add column special_procedure text
  check (special_procedure in ('expert_review', 'public_notice', 'hearing', 'onsite_inspection', 'other'));
-- The courier's tracking number once the result is posted (SF + 12 digits).
alter table service_case add column tracking_number text;
-- The working day of the decision (Asia/Shanghai) and the working days it took from acceptance,
-- suspensions excluded: written when the case is decided, so supervision figures are plain SQL.
alter table service_case add column decided_on date;
alter table service_case add column working_days_used integer;
create index service_case_supervision on service_case (region_code, org_id, submitted_at);

-- 告知承诺制: approved on the applicant's written commitment; the promise is checked later.
create table case_verification (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null unique references service_case (id),
  region_code text not null,
  org_id uuid not null,
  commitment_text text not null,
  due_on date not null,                        -- verify within this many working days of approval
  result text check (result in ('fulfilled', 'breached')),
  verified_by uuid,
  verified_at timestamptz,
  note text,
  created_at timestamptz not null default now()
);
create index case_verification_due on case_verification (region_code, due_on) where result is null;

-- 督办: level 1 on the first day past the promised date, level 2 once past the legal limit.
-- One row per case and level, so a rerun of the job escalates nothing twice.
create table case_escalation (
  id bigint generated always as identity primary key,
  case_id uuid not null references service_case (id),
  level smallint not null check (level in (1, 2)),
  region_code text not null,
  org_id uuid not null,
  due_on date not null,                        -- the date that was missed
  escalated_on date not null,
  created_at timestamptz not null default now(),
  unique (case_id, level)
);
create index case_escalation_region on case_escalation (region_code, escalated_on);
