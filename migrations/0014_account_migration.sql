-- Accounts imported from legacy systems (原系统账户迁移). One row per source record: which
-- platform account it became or joined, and a keyed digest of its normalised content so a
-- re-run of the same file changes nothing. The source's identity claims (name, ID number,
-- real-name level) are kept here, SM4-sealed with a blind index, and NOT on citizen_account:
-- they are unverified, so they must neither appear as a verified identity nor reserve an
-- ID number against the person's own real-name check.

create table legacy_account_import (
  source_system text not null,
  source_account_id text not null,
  account_id uuid not null references citizen_account (id),
  outcome text not null check (outcome in ('created', 'linked')),
  content_digest text not null,                 -- keyed SM3 of the normalised record
  mobile_index text not null,
  id_number_index text,
  id_number_sealed text,
  name_sealed text,
  name_index text,
  claimed_level smallint check (claimed_level between 1 and 5),
  imported_at timestamptz not null default now(),
  primary key (source_system, source_account_id)
);
create index legacy_account_import_account on legacy_account_import (account_id);
create index legacy_account_import_id_number on legacy_account_import (id_number_index) where id_number_index is not null;
