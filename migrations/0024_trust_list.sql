-- Trust across regions (docs/seals.md, "Trust list"): the root CA certificates of peer nodes
-- this node trusts for seals, signatures and time stamps (and, later, e-licence QR codes),
-- added in two steps (proposed, then confirmed after the SM3 fingerprint was compared out of
-- band), and the signed versions of the list this node publishes at /ca/trust-list.
create table trust_anchor (
  id uuid primary key default gen_random_uuid(),
  peer_name text not null check (length(peer_name) between 1 and 100),
  region_code text not null check (region_code ~ '^[0-9]{6}$'),
  subject text not null,
  sm3_fingerprint text not null check (sm3_fingerprint ~ '^[0-9a-f]{64}$'),
  der bytea not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  -- 'upload' or the URL the certificate was fetched from.
  source text not null check (length(source) between 1 and 500),
  status text not null default 'pending' check (status in ('pending', 'active', 'removed')),
  added_by text not null,
  added_at timestamptz not null default now(),
  confirmed_by text,
  confirmed_at timestamptz,
  removed_by text,
  removed_at timestamptz,
  removed_reason text check (length(removed_reason) between 1 and 500),
  check ((status = 'removed') = (removed_at is not null and removed_by is not null and removed_reason is not null)),
  check (status <> 'active' or (confirmed_at is not null and confirmed_by is not null))
);
-- A certificate is listed at most once at a time; a removed one may be proposed again.
create unique index trust_anchor_live on trust_anchor (sm3_fingerprint) where status <> 'removed';
create index trust_anchor_status on trust_anchor (status, added_at desc);

create table trust_list_version (
  version bigint primary key check (version > 0),
  -- SM3 over the listed fingerprints (sorted): a list whose anchors changed is republished.
  anchors_digest text not null check (anchors_digest ~ '^[0-9a-f]{64}$'),
  -- The UTF-8 JSON text exactly as signed.
  content bytea not null,
  signature bytea not null,
  signer_der bytea not null,
  root_der bytea not null,
  issued_at timestamptz not null,
  next_update timestamptz not null
);
