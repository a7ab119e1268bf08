-- Second factors: the last TOTP time-step accepted per factor (a code is good once), and the
-- WebAuthn challenges of ceremonies under way (kept server-side, used once, short-lived).
alter table citizen_factor add column last_step bigint;

create table webauthn_challenge (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references citizen_account (id),
  purpose text not null check (purpose in ('register', 'authenticate')),
  challenge text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index webauthn_challenge_account on webauthn_challenge (account_id, purpose);
