-- Single sign-on (统一身份认证 OIDC): the client systems that may sign people in, the
-- protocol state of oidc-provider (codes, tokens, sessions, grants, interactions) in one
-- generic table, the shared signing keys, remembered consent, and the link from a provider
-- session to the platform session it came from (for back-channel logout).

create table sso_client (
  client_id text primary key,
  name text not null,
  redirect_uris text[] not null,
  post_logout_redirect_uris text[] not null default '{}',
  backchannel_logout_uri text,
  secret_sealed text,                          -- SM4-sealed; null for a public client (PKCE only)
  min_level smallint not null default 1 check (min_level between 1 and 5),
  sector text not null,                        -- pairwise sub sector: clients sharing one see one sub
  region_code text not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index sso_client_region_idx on sso_client (region_code);

create table oidc_payload (
  id text not null,
  kind text not null,
  payload jsonb not null,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (kind, id)
);
create index oidc_payload_grant_idx on oidc_payload (grant_id) where grant_id is not null;
create index oidc_payload_uid_idx on oidc_payload (uid) where uid is not null;
create index oidc_payload_user_code_idx on oidc_payload (user_code) where user_code is not null;
create index oidc_payload_expires_idx on oidc_payload (expires_at);

-- One row: the JWKS (private keys) sealed with the data key, so every node signs alike.
create table sso_signing_keys (
  id smallint primary key check (id = 1),
  jwks_sealed text not null,
  created_at timestamptz not null default now()
);

-- Consent a person gave a client, remembered across sessions until withdrawn or expired.
create table sso_consent (
  account_id uuid not null,
  client_id text not null references sso_client (client_id),
  grant_id text not null,
  granted_at timestamptz not null default now(),
  primary key (account_id, client_id)
);

create table sso_session_link (
  oidc_session_uid text primary key,
  platform_session_id text not null,
  account_id uuid not null,
  updated_at timestamptz not null default now()
);
create index sso_session_link_platform_idx on sso_session_link (platform_session_id);
