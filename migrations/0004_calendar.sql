-- Working-day calendar: a change counter, bumped in the same transaction as every change to
-- calendar_day, calendar_year or calendar_override, so each app process can tell with one
-- cheap query whether its in-memory copy is stale. The row lock also serialises changes.
create table calendar_state (
  id boolean primary key default true check (id),
  version bigint not null default 0
);
insert into calendar_state (id, version) values (true, 0);
