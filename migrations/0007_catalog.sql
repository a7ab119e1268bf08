-- Service catalogue (事项管理库): basic items and implementations share one versioned
-- lifecycle. An entry's content lives in its versions; published versions are never
-- changed, each save adds a version with its diff against the one before.

create table catalog_entry (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('basic_item', 'implementation')),
  code text not null,                          -- basic code, or the implementation code
  region_code text not null,
  org_id uuid references organisation (id),    -- implementations only
  basic_item_id uuid references catalog_entry (id),
  status text not null check (status in ('draft', 'in_review', 'published', 'withdrawn')),
  published_version integer,
  working_version integer not null,            -- newest version
  lock_version integer not null default 1,     -- optimistic concurrency for edits
  needs_review boolean not null default false, -- set by a catalogue revision of the basic item
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (kind, code)
);
create index catalog_entry_region on catalog_entry (kind, region_code);
create index catalog_entry_basic on catalog_entry (basic_item_id);
create index catalog_entry_org on catalog_entry (org_id);

create table catalog_version (
  entry_id uuid not null references catalog_entry (id),
  version integer not null,
  content jsonb not null,
  state text not null check (state in ('draft', 'in_review', 'published', 'superseded', 'withdrawn', 'rejected')),
  diff jsonb not null default '[]',
  author_id text not null,
  created_at timestamptz not null default now(),
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  primary key (entry_id, version)
);

-- Messages to organisations, e.g. "the basic item you implement was revised: review it".
create table catalog_notification (
  id bigserial primary key,
  org_id uuid not null references organisation (id),
  entry_id uuid not null references catalog_entry (id),
  message text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index catalog_notification_org on catalog_notification (org_id, read_at);
