-- TRUNCATE bypasses row triggers, and the chain head could be rewound to hide the newest
-- records: refuse both. (An owner can still disable triggers; the chain then shows it,
-- and docs/operations.md recommends keeping the printed head hash outside the database.)

create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

create function audit_head_forward_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'audit_head cannot be deleted';
  end if;
  if new.chain <> old.chain or new.last_id <= old.last_id then
    raise exception 'audit_head only moves forward';
  end if;
  return new;
end $$;
create trigger audit_head_forward before update or delete on audit_head
  for each row execute function audit_head_forward_only();
create trigger audit_head_no_truncate before truncate on audit_head
  for each statement execute function audit_log_append_only();
