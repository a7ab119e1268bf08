// The only code that touches the licence tables (migrations/0026_licences.sql).
import { sql, type Generated, type Selectable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { LicenceData } from './data.ts';

declare module '../../platform/db/database.ts' {
  interface Database {
    licence_type: { code: string; key: string; name: string; definition: unknown; content_sm3: string; updated_at: Generated<Date> };
    licence_serial: { type_code: string; issuer_uscc: string; year: number; last_serial: number };
    licence: {
      id: Generated<string>;
      identifier: string;
      type_code: string;
      issuer_org_id: string;
      issuer_uscc: string;
      region_code: string;
      serial: string;
      version: number;
      holder_kind: 'person' | 'company';
      holder_account_id: string | null;
      holder_index: string;
      data: unknown;
      valid_from: string;
      valid_until: string | null;
      status: Generated<LicenceStatus>;
      revoke_kind: Generated<'cancelled' | 'withdrawn' | null>;
      status_reason: Generated<string | null>;
      case_id: string | null;
      pdf_sha256: string;
      seal_es_id: string;
      paper_requested_at: Generated<Date | null>;
      issued_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
    licence_version: { identifier: string; licence_id: string; version: number; data: unknown; valid_from: string; valid_until: string | null; pdf_sha256: string; created_at: Generated<Date> };
    licence_event: { id: Generated<number>; licence_id: string; action: LicenceAction; reason: string | null; actor_kind: string; actor_id: string; region_code: string; data: unknown; created_at: Generated<Date> };
    licence_issue_failure: {
      case_id: string;
      case_number: string;
      issuer_org_id: string | null;
      region_code: string;
      payload: unknown;
      reason_code: string;
      message: string;
      retryable: boolean;
      attempts: Generated<number>;
      resolved_at: Date | null;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
  }
}

export type LicenceStatus = 'valid' | 'suspended' | 'revoked';
export type LicenceAction = 'issue' | 'change' | 'renew' | 'suspend' | 'resume' | 'revoke' | 'paper_copy';
export type LicenceRow = Selectable<import('../../platform/db/database.ts').Database['licence']>;
export type FailureRow = Selectable<import('../../platform/db/database.ts').Database['licence_issue_failure']>;

export async function typeRows(db: Queryable): Promise<{ code: string; definition: unknown; content_sm3: string }[]> {
  return db.selectFrom('licence_type').select(['code', 'definition', 'content_sm3']).orderBy('code').execute();
}

export async function upsertType(db: Queryable, t: { code: string; key: string; name: string; definition: unknown; contentSm3: string }): Promise<void> {
  await db
    .insertInto('licence_type')
    .values({ code: t.code, key: t.key, name: t.name, definition: JSON.stringify(t.definition), content_sm3: t.contentSm3 })
    .onConflict((oc) => oc.column('code').doUpdateSet({ key: t.key, name: t.name, definition: JSON.stringify(t.definition), content_sm3: t.contentSm3, updated_at: sql<Date>`now()` }))
    .execute();
}

/** Next serial for (type, issuer, year), under the row lock of the upsert. */
export async function nextSerial(db: Queryable, typeCode: string, issuerUscc: string, year: number): Promise<number> {
  const row = await db
    .insertInto('licence_serial')
    .values({ type_code: typeCode, issuer_uscc: issuerUscc, year, last_serial: 1 })
    .onConflict((oc) => oc.columns(['type_code', 'issuer_uscc', 'year']).doUpdateSet({ last_serial: sql<number>`licence_serial.last_serial + 1` }))
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return Number(row.last_serial);
}

export async function insertLicence(db: Queryable, row: Omit<LicenceRow, 'id' | 'status' | 'revoke_kind' | 'status_reason' | 'paper_requested_at' | 'issued_at' | 'updated_at'> & { data: LicenceData }): Promise<LicenceRow> {
  const inserted = await db.insertInto('licence').values({ ...row, data: JSON.stringify(row.data) }).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('licence_version').values({ identifier: row.identifier, licence_id: inserted.id, version: row.version, data: JSON.stringify(row.data), valid_from: row.valid_from, valid_until: row.valid_until, pdf_sha256: row.pdf_sha256 }).execute();
  return inserted;
}

/** A new version: the licence row moves to it, the version table keeps every one. */
export async function newVersion(db: Queryable, id: string, v: { identifier: string; version: number; data: LicenceData; validFrom: string; validUntil: string | null; pdfSha256: string; sealEsId: string }): Promise<void> {
  await db.updateTable('licence').set({ identifier: v.identifier, version: v.version, data: JSON.stringify(v.data), valid_from: v.validFrom, valid_until: v.validUntil, pdf_sha256: v.pdfSha256, seal_es_id: v.sealEsId, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
  await db.insertInto('licence_version').values({ identifier: v.identifier, licence_id: id, version: v.version, data: JSON.stringify(v.data), valid_from: v.validFrom, valid_until: v.validUntil, pdf_sha256: v.pdfSha256 }).execute();
}

export async function setStatus(db: Queryable, id: string, status: LicenceStatus, reason: string | null, revokeKind: 'cancelled' | 'withdrawn' | null = null): Promise<void> {
  await db.updateTable('licence').set({ status, status_reason: reason, revoke_kind: revokeKind, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

export async function markPaperRequested(db: Queryable, id: string): Promise<void> {
  await db.updateTable('licence').set({ paper_requested_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** The licence an identifier (current or earlier version) names, and which version it names. */
export async function findByIdentifier(db: Queryable, identifier: string, lock = false): Promise<{ licence: LicenceRow; version: number } | null> {
  const v = await db.selectFrom('licence_version').select(['licence_id', 'version']).where('identifier', '=', identifier).executeTakeFirst();
  if (!v) return null;
  let q = db.selectFrom('licence').selectAll().where('id', '=', v.licence_id);
  if (lock) q = q.forUpdate();
  const licence = await q.executeTakeFirstOrThrow();
  return { licence, version: v.version };
}

export async function findByCase(db: Queryable, caseId: string): Promise<LicenceRow | null> {
  return (await db.selectFrom('licence').selectAll().where('case_id', '=', caseId).executeTakeFirst()) ?? null;
}

export async function insertEvent(db: Queryable, e: { licenceId: string; action: LicenceAction; reason: string | null; actorKind: string; actorId: string; regionCode: string; data: unknown }): Promise<void> {
  await db.insertInto('licence_event').values({ licence_id: e.licenceId, action: e.action, reason: e.reason, actor_kind: e.actorKind, actor_id: e.actorId, region_code: e.regionCode, data: JSON.stringify(e.data ?? {}) }).execute();
}

export async function listEvents(db: Queryable, licenceId: string) {
  return db.selectFrom('licence_event').select(['action', 'reason', 'actor_kind', 'created_at']).where('licence_id', '=', licenceId).orderBy('id').execute();
}

export async function recordFailure(db: Queryable, f: { payload: unknown; caseId: string; caseNumber: string; issuerOrgId: string | null; regionCode: string; reasonCode: string; message: string; retryable: boolean }): Promise<void> {
  await db
    .insertInto('licence_issue_failure')
    .values({ payload: JSON.stringify(f.payload), case_id: f.caseId, case_number: f.caseNumber, issuer_org_id: f.issuerOrgId, region_code: f.regionCode, reason_code: f.reasonCode, message: f.message.slice(0, 1000), retryable: f.retryable, resolved_at: null })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ reason_code: f.reasonCode, message: f.message.slice(0, 1000), retryable: f.retryable, issuer_org_id: f.issuerOrgId, attempts: sql<number>`licence_issue_failure.attempts + 1`, resolved_at: null, updated_at: sql<Date>`now()` }))
    .execute();
}

export async function resolveFailure(db: Queryable, caseId: string): Promise<void> {
  await db.updateTable('licence_issue_failure').set({ resolved_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('case_id', '=', caseId).where('resolved_at', 'is', null).execute();
}

export async function findFailure(db: Queryable, caseId: string): Promise<FailureRow | null> {
  return (await db.selectFrom('licence_issue_failure').selectAll().where('case_id', '=', caseId).executeTakeFirst()) ?? null;
}

/** Open retryable failures in a region (a seal there may be what they wait for). */
export async function retryableFailures(db: Queryable, regionPrefix: string): Promise<FailureRow[]> {
  return db.selectFrom('licence_issue_failure').selectAll().where('region_code', 'like', `${regionPrefix}%`).where('retryable', '=', true).where('resolved_at', 'is', null).execute();
}
