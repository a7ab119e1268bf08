-- Application drafts (申请草稿): what an applicant has filled in and attached for one
-- implementation before submitting. One open draft per applicant and implementation; on
-- submission the draft is closed by recording the case it became (case_id), so a second
-- click on 提交 finds the case instead of a draft.
create table case_draft (
  id uuid primary key default gen_random_uuid(),
  applicant_kind text not null check (applicant_kind in ('citizen', 'company')),
  applicant_id uuid not null,                  -- citizen_account or company_account (the principal)
  implementation_id uuid not null,             -- catalogue entry
  item_name text not null,
  answers jsonb not null default '{}',
  -- { materialId: { source, fileHash?, fileName?, mime?, sizeBytes?, reference?, title? } }
  materials jsonb not null default '{}',
  step smallint not null default 1 check (step between 1 and 3),
  origin_case_id uuid references service_case (id),   -- 再来一单: the case it was started from
  case_id uuid references service_case (id),          -- set on submission: the draft is closed
  region_code text not null,                   -- the implementing region (GB/T 2260)
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index case_draft_open on case_draft (applicant_kind, applicant_id, implementation_id) where case_id is null;
create index case_draft_applicant on case_draft (applicant_kind, applicant_id, updated_at desc);
