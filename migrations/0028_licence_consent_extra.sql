-- Consents handed to a business system (docs/licences-wallet.md): a system client has no
-- organisation, so a consent names either an organisation or a client; and a case consent
-- is written once per licence, organisation and case, so a redelivered case.submitted adds
-- nothing.
alter table licence_consent alter column grantee_org_id drop not null;
alter table licence_consent add column grantee_client_id uuid;
alter table licence_consent add constraint licence_consent_grantee check (grantee_org_id is not null or grantee_client_id is not null);
create unique index licence_consent_case_once on licence_consent (licence_id, grantee_org_id, purpose_ref) where purpose_kind = 'case';
