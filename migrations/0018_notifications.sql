-- In-site messages (站内消息) to citizens, companies and staff, and the state of the SMS that
-- may accompany one. The SMS itself goes out through the outbox (topic notification.sms);
-- sms_status is what its handler checks under a row lock so a redelivered event never sends twice.
create table notification (
  id uuid primary key default gen_random_uuid(),
  recipient_kind text not null check (recipient_kind in ('citizen', 'company', 'staff')),
  recipient_id uuid not null,
  region_code text not null,
  topic text not null check (topic ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) <= 4000),
  -- A same-site path only: a message never sends anyone off the platform.
  link text check (link is null or (link ~ '^/[^/\\]' or link = '/')),
  created_at timestamptz not null default now(),
  read_at timestamptz,
  sms_status text not null default 'none' check (sms_status in ('none', 'queued', 'sent', 'failed')),
  sms_reference text,
  sms_sent_at timestamptz
);
create index notification_recipient on notification (recipient_kind, recipient_id, created_at desc);
create index notification_unread on notification (recipient_kind, recipient_id, created_at desc) where read_at is null;
