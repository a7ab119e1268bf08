-- Platform mechanisms: browser sessions, the hash-chained audit trail, the transactional
-- outbox, and the working-day calendar's loaded schedules and local overrides.

create table web_session (
  id text primary key,                       -- SM3 of the cookie token
  account_kind text not null check (account_kind in ('citizen', 'company', 'staff')),
  account_id text not null,
  data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index web_session_account on web_session (account_kind, account_id);
create index web_session_expiry on web_session (expires_at);

create table audit_log (
  id bigserial primary key,
  occurred_at timestamptz not null,
  actor_kind text not null,
  actor_id text,
  action text not null,
  target_type text not null,
  target_id text,
  region_code text,
  change_digest text not null,               -- SM3 of the canonical JSON of what changed
  request_id text,
  prev_hash text not null,
  hash text not null
);
create index audit_log_target on audit_log (target_type, target_id);
create index audit_log_region_time on audit_log (region_code, occurred_at);

-- The newest link of the chain: it serialises appends (row lock) and makes deleting the
-- newest records detectable.
create table audit_head (
  chain text primary key,
  last_id bigint not null,
  last_hash text not null
);
insert into audit_head (chain, last_id, last_hash) values ('main', 0, repeat('0', 64));

-- Append-only: updates and deletes are refused. The hash chain still catches anyone who
-- disables this trigger.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();

create table outbox_event (
  id bigserial primary key,
  topic text not null,
  payload jsonb not null,
  idempotency_key text not null unique,
  region_code text,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index outbox_event_due on outbox_event (next_attempt_at) where status = 'pending';
create index outbox_event_topic on outbox_event (topic, status);

-- One row per handler that has finished an event: a retry skips handlers already done,
-- and a second worker that raced past an expired lease cannot commit the same handler twice.
create table outbox_handled (
  event_id bigint not null references outbox_event (id),
  handler text not null,
  handled_at timestamptz not null default now(),
  primary key (event_id, handler)
);

-- Official holiday schedules, one row per day that differs from the Monday–Friday rule.
create table calendar_day (
  day date primary key,
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null,
  source text not null
);
-- Years whose official schedule is loaded; a deadline reaching past them is flagged.
create table calendar_year (
  year integer primary key,
  source text not null,
  loaded_at timestamptz not null default now()
);
-- Local closures or extra working days set by an administrator, optionally for one region.
create table calendar_override (
  id bigserial primary key,
  day date not null,
  kind text not null check (kind in ('holiday', 'workday')),
  region_code text not null default '',      -- '' = the whole node
  reason text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  unique (day, region_code)
);
