-- Signing PDFs with seals (docs/seals.md, "Signing PDFs"): the node's local time-stamp
-- authority (its key lives in key_material, its certificate is issued by the node's CA), and
-- one record per signed document for the audit trail (the document itself is not kept).
create table timestamp_authority (
  region_code text primary key check (region_code ~ '^[0-9]{6}$'),
  key_id uuid not null references key_material (id),
  certificate_serial text not null,
  certificate_der bytea not null,
  created_at timestamptz not null default now()
);

create table seal_signature (
  id uuid primary key default gen_random_uuid(),
  seal_es_id text not null check (seal_es_id ~ '^[0-9]{18}$'),
  region_code text not null check (region_code ~ '^[0-9]{6}$'),
  org_id uuid not null,
  signed_by text not null,
  document_name text check (length(document_name) <= 255),
  -- SM3 of the stamped bytes: the dataHash of the SES_Signature, ByteRange [0, byte_range_end).
  document_sm3 text not null check (document_sm3 ~ '^[0-9a-f]{64}$'),
  byte_range_end bigint not null check (byte_range_end > 0),
  signature_sm3 text not null check (signature_sm3 ~ '^[0-9a-f]{64}$'),
  signed_at timestamptz not null,
  batch_id uuid,
  created_at timestamptz not null default now()
);
create index seal_signature_seal on seal_signature (seal_es_id, signed_at desc);
create index seal_signature_region on seal_signature (region_code, signed_at desc);
create index seal_signature_document on seal_signature (document_sm3);
