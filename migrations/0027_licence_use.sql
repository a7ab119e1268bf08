-- Uses of e-licences (docs/licences.md, "Use and consent"): every time a licence is read,
-- shared, verified or exported is one row of licence_use, which its holder sees in the wallet;
-- licence_consent is the holder's authorisation for an organisation to use a licence for one
-- purpose (a case) within a scope and until an expiry.
create table licence_consent (
  id uuid primary key default gen_random_uuid(),
  licence_id uuid not null references licence (id),
  holder_index text not null,
  -- Who may use it: an organisation (the case's department) and, when the purpose is a case,
  -- that case. Another organisation or another case finds no consent.
  grantee_org_id uuid not null,
  purpose_kind text not null check (purpose_kind in ('case', 'api')),
  purpose_ref text not null,
  purpose_text text not null,
  -- The fields the grantee may see ('*' = all fields of the licence).
  scope jsonb not null default '["*"]',
  expires_at timestamptz not null,
  -- A consent handed to a business system as a token is exchanged once: the SM3 hash of the
  -- token is kept, and `used_at` makes a replay fail.
  token_sm3 text unique check (token_sm3 is null or token_sm3 ~ '^[0-9a-f]{64}$'),
  used_at timestamptz,
  revoked_at timestamptz,
  created_by_kind text not null,
  created_by_id text not null,
  created_at timestamptz not null default now()
);
create index licence_consent_licence on licence_consent (licence_id, created_at desc);
create index licence_consent_purpose on licence_consent (purpose_kind, purpose_ref);

create table licence_use (
  id bigserial primary key,
  licence_id uuid not null references licence (id),
  -- The identifier (version) that was used.
  identifier text not null,
  kind text not null check (kind in ('holder_view', 'download', 'shared_view', 'legal_basis_view', 'material', 'verify_online', 'verify_pdf', 'verify_qr', 'import')),
  -- Who: a staff or system account, a business system, the holder, or 'public' for anonymous
  -- verification (no IP or device is kept for those).
  actor_kind text not null,
  actor_id text not null,
  actor_label text not null,
  org_id uuid,
  consent_id uuid references licence_consent (id),
  -- The case number, or the legal basis the staff member recorded.
  purpose text,
  outcome text not null default 'ok',
  region_code text not null,
  created_at timestamptz not null default now()
);
create index licence_use_licence on licence_use (licence_id, id desc);
