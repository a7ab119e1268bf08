-- Electronic licences (docs/licences.md): the licence catalogue (证照目录), the province
-- licence library (one row per licence, one per version of its identifier), its lifecycle
-- trail, and failed issues of completed cases.
create table licence_type (
  code text primary key check (code ~ '^[0-9A-Z]{18}[0-9]{3}$'),
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{1,40}$'),
  name text not null,
  definition jsonb not null,
  content_sm3 text not null,
  updated_at timestamptz not null default now()
);

create table licence_serial (
  type_code text not null,
  issuer_uscc text not null,
  year integer not null,
  last_serial integer not null,
  primary key (type_code, issuer_uscc, year)
);

create table licence (
  id uuid primary key default gen_random_uuid(),
  identifier text not null unique,
  type_code text not null references licence_type (code),
  issuer_org_id uuid not null,
  issuer_uscc text not null,
  region_code text not null check (region_code ~ '^[0-9]{6,12}$'),
  serial text not null,
  version integer not null default 1 check (version between 1 and 999),
  holder_kind text not null check (holder_kind in ('person', 'company')),
  holder_account_id uuid,
  holder_index text not null,
  data jsonb not null,
  valid_from date not null,
  valid_until date,
  status text not null default 'valid' check (status in ('valid', 'suspended', 'revoked')),
  revoke_kind text check (revoke_kind in ('cancelled', 'withdrawn')),
  status_reason text,
  case_id uuid unique,
  pdf_sha256 text not null check (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  seal_es_id text not null,
  paper_requested_at timestamptz,
  issued_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (type_code, issuer_uscc, serial)
);
create index licence_holder on licence (holder_index, type_code);
create index licence_region on licence (region_code, issued_at desc);

-- Every identifier a licence has had: 变更 and 延续 make a new version (…​.002.…), and the
-- old identifier still answers, as superseded.
create table licence_version (
  identifier text primary key,
  licence_id uuid not null references licence (id),
  version integer not null,
  data jsonb not null,
  valid_from date not null,
  valid_until date,
  pdf_sha256 text not null,
  created_at timestamptz not null default now(),
  unique (licence_id, version)
);

create table licence_event (
  id bigserial primary key,
  licence_id uuid not null references licence (id),
  action text not null check (action in ('issue', 'change', 'renew', 'suspend', 'resume', 'revoke', 'paper_copy')),
  reason text,
  actor_kind text not null,
  actor_id text not null,
  region_code text not null,
  data jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index licence_event_licence on licence_event (licence_id, id);

create table licence_issue_failure (
  case_id uuid primary key,
  case_number text not null,
  issuer_org_id uuid,
  region_code text not null,
  -- The case.completed payload, so a retry after the cause is fixed needs nothing else.
  payload jsonb not null,
  reason_code text not null,
  message text not null,
  retryable boolean not null,
  attempts integer not null default 1,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index licence_issue_failure_open on licence_issue_failure (issuer_org_id) where resolved_at is null and retryable;
