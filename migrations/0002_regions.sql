-- Regions (GB/T 2260 down to county, statistical codes for towns and villages) and the
-- organisations (departments, halls, service points) that belong to them.

create table region (
  code text primary key,
  name text not null,
  level smallint not null check (level between 1 and 5),
  parent_code text references region (code),
  functional_zone boolean not null default false,  -- statistical-only 功能区, not a GB/T 2260 division
  vintage text not null
);
create index region_parent on region (parent_code, code);

-- Which data set filled the table, so an upgrade can tell what it is replacing.
create table region_dataset (
  id text primary key,
  vintage text not null,
  source text not null,
  regions integer not null,
  loaded_at timestamptz not null default now()
);

create table organisation (
  id uuid primary key default gen_random_uuid(),
  region_code text not null references region (code),
  name text not null,
  short_name text,
  credit_code text unique,                         -- GB 32100 unified social credit code
  kind text not null check (kind in ('government', 'department', 'hall', 'service_point')),
  parent_id uuid references organisation (id),
  created_at timestamptz not null default now()
);
create index organisation_region on organisation (region_code);
