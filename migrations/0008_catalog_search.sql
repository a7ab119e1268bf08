-- Catalogue search: one document per published implementation, kept current in the
-- transaction that publishes or withdraws it. pg_trgm cannot index two-character Chinese
-- words, so the terms are jieba words plus their pinyin and initials, space-joined and
-- stored as a 'simple' tsvector under a GIN index (same on PGlite and PostgreSQL 15).

create table catalog_search_doc (
  entry_id uuid primary key references catalog_entry (id),
  basic_item_id uuid not null references catalog_entry (id),
  region_code text not null,
  org_id uuid,
  department_type text not null,
  item_type text not null,
  audience text[] not null,                   -- person / company
  themes text[] not null,
  visits integer not null,                    -- 0 = 不见面
  online boolean not null,                    -- 全程网办 (online depth 4)
  name text not null,
  keywords text[] not null,
  terms text not null,                        -- what tokens was built from, for inspection
  tokens tsvector not null,
  indexed_at timestamptz not null default now()
);
create index catalog_search_doc_tokens on catalog_search_doc using gin (tokens);
create index catalog_search_doc_region on catalog_search_doc (region_code);

-- How often an implementation was opened from search or the guide: the tie-breaker.
create table catalog_search_popularity (
  entry_id uuid primary key references catalog_entry (id),
  hits bigint not null default 0
);

-- Colloquial phrase → canonical terms (开饭店 → 食品经营许可), edited by administrators.
create table catalog_search_synonym (
  id bigserial primary key,
  phrase text not null unique,
  terms text[] not null,
  created_by text not null,
  created_at timestamptz not null default now()
);

-- Every search, without personal data: what was asked, where, and whether anything was found.
create table catalog_search_log (
  id bigserial primary key,
  query text not null,
  normalised text not null,
  region_code text,
  result_count integer not null,
  created_at timestamptz not null default now()
);
create index catalog_search_log_time on catalog_search_log (created_at);

-- Bumped by every index or synonym change, so each node knows when its in-process term
-- dictionary and synonym list are stale.
create table catalog_search_meta (
  id integer primary key check (id = 1),
  generation bigint not null
);
insert into catalog_search_meta (id, generation) values (1, 0);

insert into catalog_search_synonym (phrase, terms, created_by) values
  ('开饭店', '{食品经营许可}', 'migration'),
  ('开餐馆', '{食品经营许可}', 'migration'),
  ('开小吃店', '{食品经营许可}', 'migration'),
  ('生孩子', '{出生医学证明,生育登记}', 'migration'),
  ('生娃', '{出生医学证明,生育登记}', 'migration'),
  ('换驾照', '{机动车驾驶证换证}', 'migration'),
  ('驾照到期', '{机动车驾驶证换证}', 'migration'),
  ('办社保卡', '{社会保障卡申领}', 'migration'),
  ('提公积金', '{住房公积金提取}', 'migration'),
  ('取公积金', '{住房公积金提取}', 'migration'),
  ('领结婚证', '{结婚登记}', 'migration'),
  ('办护照', '{普通护照签发}', 'migration'),
  ('开公司', '{企业设立登记}', 'migration'),
  ('买房过户', '{不动产登记}', 'migration');
