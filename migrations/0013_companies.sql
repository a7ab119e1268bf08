-- Companies (法人) and authorisations: accounts opened by e-business-licence login, the
-- one-time nonces of those logins, the legal representative's grants to agents (经办人授权)
-- and people's grants to a proxy (代办). Personal data is SM4-sealed by the application;
-- *_index columns are keyed SM3 blind indexes.

create table company_account (
  id uuid primary key default gen_random_uuid(),
  credit_code text not null unique,            -- GB 32100, check character validated
  name text not null,
  legal_rep_name_sealed text not null,
  legal_rep_id_index text not null,
  region_code text not null,                   -- GB/T 2260, characters 3–8 of the credit code
  status text not null default 'active' check (status in ('active', 'disabled')),
  licence_serial text not null,
  first_login_at timestamptz not null default now(),
  last_login_at timestamptz not null default now()
);
create index company_account_legal_rep on company_account (legal_rep_id_index);

-- A login attempt's nonce (its SM3 only), usable once within five minutes.
create table company_login_nonce (
  nonce_hash text primary key,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  created_at timestamptz not null default now()
);
create index company_login_nonce_expiry on company_login_nonce (expires_at);

create table company_agent_grant (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references company_account (id),
  agent_account_id uuid not null references citizen_account (id),
  scopes jsonb not null,                       -- {"items": "all" | [codes], "actions": ["apply", "view"]}
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  created_by uuid,                             -- the legal representative's citizen account, when linked
  created_by_name text not null,               -- masked name of the legal representative who granted
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by text,
  region_code text not null,
  check (valid_until > valid_from)
);
create index company_agent_grant_company on company_agent_grant (company_id, created_at desc);
create index company_agent_grant_agent on company_agent_grant (agent_account_id);

create table proxy_grant (
  id uuid primary key default gen_random_uuid(),
  principal_account_id uuid not null references citizen_account (id),
  proxy_account_id uuid not null references citizen_account (id),
  items jsonb not null,                        -- "all" or [item codes]
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by uuid,
  region_code text not null,
  check (valid_until > valid_from),
  check (principal_account_id <> proxy_account_id)
);
create index proxy_grant_principal on proxy_grant (principal_account_id, created_at desc);
create index proxy_grant_proxy on proxy_grant (proxy_account_id);
