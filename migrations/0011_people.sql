-- People (个人用户): accounts, real-name levels with their evidence, one-time codes, second
-- factors, login history and login throttling. Personal data (mobile, name, ID number) is
-- SM4-encrypted by the application; *_index columns are keyed SM3 blind indexes for lookup.

create table citizen_account (
  id uuid primary key default gen_random_uuid(),
  mobile_sealed text not null,
  mobile_index text not null unique,
  password_hash text,                          -- Argon2id; null until set (e.g. migrated accounts)
  legacy_hash text,                            -- a migrated account's old hash, replaced at first login
  legacy_hash_kind text check (legacy_hash_kind in ('md5', 'sha1', 'bcrypt')),
  name_sealed text,
  id_number_sealed text,
  id_number_index text unique,
  real_name_level smallint not null default 1 check (real_name_level between 1 and 5),
  region_code text not null,                   -- GB/T 2260: from the ID number once known, else the node's
  status text not null default 'active' check (status in ('active', 'disabled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  password_changed_at timestamptz
);

-- How each level was reached: what was checked, by whom, when (never the raw elements).
create table real_name_evidence (
  id bigint generated always as identity primary key,
  account_id uuid not null references citizen_account (id),
  level smallint not null check (level between 1 and 5),
  method text not null,                        -- sms, public_security, carrier, bank_card, face, window, ctid, federation
  reference text not null,                     -- the verifying service's transaction id
  details jsonb not null default '{}',         -- masked facts only
  region_code text not null,
  verified_at timestamptz not null default now()
);
create index real_name_evidence_account on real_name_evidence (account_id, verified_at);

-- One-time SMS codes. Only the code's keyed hash is kept; attempts are counted per code.
create table verification_code (
  id uuid primary key default gen_random_uuid(),
  purpose text not null check (purpose in ('register', 'login', 'step_up', 'reset')),
  mobile_index text not null,
  code_hash text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  created_at timestamptz not null default now()
);
create index verification_code_lookup on verification_code (mobile_index, purpose, created_at desc);

-- Second factors a person enrolled: TOTP secrets (SM4-sealed) and WebAuthn passkeys.
create table citizen_factor (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references citizen_account (id),
  kind text not null check (kind in ('totp', 'passkey')),
  label text not null,
  secret_sealed text,                          -- TOTP
  credential_id text unique,                   -- WebAuthn, base64url
  public_key text,                             -- WebAuthn COSE key, base64url
  sign_count bigint not null default 0,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index citizen_factor_account on citizen_factor (account_id);

-- Every authentication event, for the person's own login history (the audit log has them too).
create table login_event (
  id bigint generated always as identity primary key,
  account_kind text not null check (account_kind in ('citizen', 'company', 'staff')),
  account_id uuid,
  method text not null,
  outcome text not null check (outcome in ('success', 'failure', 'locked')),
  level smallint,
  ip text,
  user_agent text,
  region_code text not null,
  created_at timestamptz not null default now()
);
create index login_event_account on login_event (account_kind, account_id, created_at desc);

-- Failed-attempt counters with exponential backoff, keyed by account or by client address.
create table login_throttle (
  key text primary key,                        -- 'acct:<blind index>' or 'ip:<address>'
  failures integer not null default 0,
  blocked_until timestamptz,
  updated_at timestamptz not null default now()
);
