-- Staff accounts and system clients: the part of identity the platform itself needs
-- (bootstrap administrator, operator tokens). Citizens and companies follow in later migrations.

create table staff_account (
  id uuid primary key default gen_random_uuid(),
  login_name text not null unique,
  display_name text not null,
  password_hash text not null,                 -- Argon2id
  must_change_password boolean not null default true,
  org_id uuid references organisation (id),
  region_code text not null,                   -- GB/T 2260; 100000 on the national node
  roles text[] not null,
  disabled boolean not null default false,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  password_changed_at timestamptz
);

create table system_client (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  token_hash text not null unique,             -- SM3 of the bearer token
  scopes text[] not null,
  region_code text not null,                   -- GB/T 2260; 100000 on the national node
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
