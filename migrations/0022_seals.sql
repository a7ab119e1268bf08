-- Electronic seals (docs/seals.md, "Seal lifecycle"): requests by a department, approval
-- (制发) by the region administrator, the registry (备案) of issued seals with their
-- GB/T 38540 SES_Seal, and the trail of every status change.
create table seal_request (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisation (id),
  region_code text not null check (region_code ~ '^[0-9]{6}$'),
  kind text not null check (kind in ('official', 'business', 'legal_name')),
  name text not null check (length(name) between 1 and 60),
  -- An uploaded picture replaces the generated one (PNG, checked by content on upload).
  uploaded_png bytea,
  requested_by uuid not null,
  requested_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  decided_by uuid,
  decided_at timestamptz,
  reason text check (length(reason) <= 500),
  check ((status = 'pending') = (decided_at is null))
);
create index seal_request_region on seal_request (region_code, status, requested_at desc);

-- esID = region (6) + year (4) + serial (8, per region and year): 18 ASCII digits.
create table seal_serial (
  region_code text not null,
  year integer not null,
  last_serial integer not null,
  primary key (region_code, year)
);

create table seal (
  id uuid primary key default gen_random_uuid(),
  es_id text not null unique check (es_id ~ '^[0-9]{18}$'),
  request_id uuid not null unique references seal_request (id),
  org_id uuid not null references organisation (id),
  region_code text not null check (region_code ~ '^[0-9]{6}$'),
  kind text not null check (kind in ('official', 'business', 'legal_name')),
  name text not null,
  picture_png bytea not null,
  picture_svg text,
  ses_seal bytea not null,
  signer_key_id uuid not null,
  certificate_serial text not null,
  valid_from timestamptz not null,
  valid_to timestamptz not null,
  status text not null default 'valid' check (status in ('valid', 'suspended', 'revoked')),
  status_reason text check (status_reason in ('挂失', '注销', '损毁', '信息变更', '其他')),
  status_note text check (length(status_note) <= 500),
  status_changed_at timestamptz,
  registered_at timestamptz not null default now(),
  check (valid_to > valid_from),
  check ((status = 'valid') = (status_reason is null))
);
create index seal_region on seal (region_code, registered_at desc);
create index seal_org on seal (org_id);

-- Append-only history: status at any past instant is read from here (a document signed
-- before a seal was reported lost stays valid).
create table seal_event (
  id bigserial primary key,
  seal_id uuid not null references seal (id),
  action text not null check (action in ('issued', 'suspended', 'resumed', 'revoked')),
  status text not null check (status in ('valid', 'suspended', 'revoked')),
  reason text,
  note text,
  actor_id text,
  occurred_at timestamptz not null default now()
);
create index seal_event_seal on seal_event (seal_id, occurred_at);
