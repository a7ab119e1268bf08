-- Federation (跨区域单点登录 and pushes between nodes): the trust list of peer nodes, links
-- from a peer's pairwise subject to a local account, pending federated sign-ins, this node's
-- SM2 key for node-to-node messages, and registrations received from other nodes.

create table federation_peer (
  peer_id text primary key,                    -- the node id the peer signs its messages with
  name text not null,
  kind text not null check (kind in ('national', 'province', 'city')),
  region_code text not null,
  issuer text not null,                        -- the peer's OIDC issuer (discovery is read from it)
  client_id text not null,                     -- this node's client registration at the peer
  client_secret_sealed text,                   -- SM4-sealed; null for a public (PKCE-only) client
  public_key text not null,                    -- SM2 public key (hex, uncompressed) for signed messages
  enabled boolean not null default true,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A peer's pairwise subject for this node, linked to a local account once the person confirmed.
create table federation_link (
  peer_id text not null references federation_peer (peer_id),
  peer_sub text not null,
  account_id uuid not null,
  created_at timestamptz not null default now(),
  last_login_at timestamptz not null default now(),
  primary key (peer_id, peer_sub)
);
create index federation_link_account_idx on federation_link (account_id);

-- A sign-in in progress, found by the SM3 hash of the handle kept in the browser's cookie.
-- After the callback it holds the peer's verified claims (SM4-sealed) until confirmation.
create table federation_login (
  handle_hash text primary key,
  peer_id text not null references federation_peer (peer_id),
  state text not null,
  nonce text not null,
  code_verifier_sealed text not null,
  next text not null default '/account',
  result_sealed text,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index federation_login_expires_idx on federation_login (expires_at);

-- This node's SM2 key pair for signed node-to-node messages (generated on first use).
create table federation_node_key (
  id smallint primary key check (id = 1),
  private_key_sealed text not null,
  public_key text not null,
  created_at timestamptz not null default now()
);

-- Registrations pushed by other nodes (the national node keeps these): one row per account.
create table federation_registration (
  source_node text not null,
  account_ref text not null,                   -- the account id at the source node (node-scoped)
  region_code text not null,
  level smallint not null check (level between 1 and 5),
  registered_at timestamptz not null,
  received_at timestamptz not null default now(),
  primary key (source_node, account_ref)
);

-- Client systems that are federation partners (other nodes) receive the full ID number claim.
alter table sso_client add column federation boolean not null default false;
