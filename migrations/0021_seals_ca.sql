-- The certificate authority (docs/seals.md, "Certificate authority"): SM2 key material sealed
-- under the key-encryption key, a root and an issuing CA per node region, the certificates
-- they issue with their revocation state, and the CRLs they publish.
create table key_material (
  id uuid primary key default gen_random_uuid(),
  label text not null check (length(label) between 1 and 200),
  algorithm text not null default 'sm2' check (algorithm = 'sm2'),
  public_key text not null check (public_key ~ '^04[0-9a-f]{128}$'),
  -- SM4-CTR + HMAC-SM3 box (src/platform/crypto/sm4.ts) bound to the row id; never returned by any API.
  sealed_private_key bytea not null,
  region_code text not null check (region_code ~ '^[0-9]{6}$'),
  created_at timestamptz not null default now()
);

create table certificate_authority (
  id uuid primary key default gen_random_uuid(),
  region_code text not null check (region_code ~ '^[0-9]{6}$'),
  role text not null check (role in ('root', 'issuing')),
  parent_id uuid references certificate_authority (id),
  key_id uuid not null references key_material (id),
  serial text not null,
  subject text not null,
  der bytea not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  status text not null default 'active' check (status in ('active', 'retired')),
  created_at timestamptz not null default now(),
  check ((role = 'root') = (parent_id is null))
);
create unique index certificate_authority_active on certificate_authority (region_code, role) where status = 'active';

create table issued_certificate (
  serial text primary key check (serial ~ '^[0-9a-f]{2,40}$'),
  ca_id uuid not null references certificate_authority (id),
  region_code text not null check (region_code ~ '^[0-9]{6}$'),
  kind text not null check (kind in ('seal', 'signer', 'ca')),
  subject text not null,
  public_key text not null check (public_key ~ '^04[0-9a-f]{128}$'),
  der bytea not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  status text not null default 'valid' check (status in ('valid', 'revoked', 'suspended')),
  reason text check (reason in ('unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'privilegeWithdrawn', 'aACompromise')),
  revoked_at timestamptz,
  issued_at timestamptz not null default now(),
  check ((status = 'valid') = (revoked_at is null) and (status = 'valid') = (reason is null)),
  check ((status = 'suspended') = (reason is not distinct from 'certificateHold'))
);
create index issued_certificate_revoked on issued_certificate (ca_id) where status <> 'valid';
create index issued_certificate_region on issued_certificate (region_code, issued_at desc);

create table crl_publication (
  ca_id uuid not null references certificate_authority (id),
  crl_number bigint not null check (crl_number > 0),
  der bytea not null,
  this_update timestamptz not null,
  next_update timestamptz not null,
  primary key (ca_id, crl_number)
);
