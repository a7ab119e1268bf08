-- 一件事 (scenarios): several basic items a person or company applies for together, defined
-- once for the province. The bundle (which implementation each member resolves to in a
-- region, the merged form and materials) is computed when read, from published content,
-- so it never goes stale when an implementation changes.

create table catalog_scenario (
  id uuid primary key default gen_random_uuid(),
  code text not null unique,                   -- e.g. birth, open_restaurant
  region_code text not null,                   -- the province that defines it
  name text not null,
  audience text not null check (audience in ('person', 'company')),
  theme text not null,
  description text not null,
  status text not null check (status in ('draft', 'published')),
  lock_version integer not null default 1,     -- optimistic concurrency for edits
  created_by text not null,
  updated_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index catalog_scenario_status on catalog_scenario (status, audience);

-- Ordered members: basic items by id, each with a note for the applicant.
create table catalog_scenario_member (
  scenario_id uuid not null references catalog_scenario (id) on delete cascade,
  position integer not null,
  basic_item_id uuid not null references catalog_entry (id),
  note text not null default '',
  primary key (scenario_id, position),
  unique (scenario_id, basic_item_id)
);
create index catalog_scenario_member_item on catalog_scenario_member (basic_item_id);
