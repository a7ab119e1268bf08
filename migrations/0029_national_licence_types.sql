-- The national licence catalogue (docs/licences-national.md): the latest definition of each
-- licence type every node pushed here (one row per node and type code, replaced by a newer
-- definition), and the licence trust bundles this node downloads from its peers for
-- cross-region recognition (the last good envelope is kept when a refresh fails).

create table national_licence_type (
  node text not null check (length(node) between 1 and 64),
  code text not null check (code ~ '^[0-9A-Z]{18}[0-9]{3}$'),
  key text not null check (key ~ '^[a-z][a-z0-9_]{1,40}$'),
  name text not null check (length(name) between 1 and 100),
  definition jsonb not null,
  -- SM3 over the canonical JSON of the definition (keys sorted), as the sender computed it.
  content_sm3 text not null check (content_sm3 ~ '^[0-9a-f]{64}$'),
  -- When the sending node recorded the change: an older push never replaces a newer one.
  changed_at timestamptz not null,
  received_at timestamptz not null default now(),
  primary key (node, code)
);
create index national_licence_type_code on national_licence_type (code);

create table licence_peer_bundle (
  peer_id text primary key check (length(peer_id) between 1 and 64),
  region_code text not null,
  url text not null check (length(url) between 1 and 500),
  -- The peer's signed envelope, stored as received; its signature is checked at verification.
  envelope jsonb,
  fetched_at timestamptz,
  -- The bundle's own nextUpdate when it states one.
  next_update timestamptz,
  last_attempt_at timestamptz not null,
  last_error text check (length(last_error) <= 500),
  check ((envelope is null) = (fetched_at is null))
);
