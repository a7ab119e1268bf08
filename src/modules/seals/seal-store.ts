// The only code that touches seal_request, seal_serial, seal and seal_event.
import type { Generated, Selectable } from 'kysely';
import { sql, type Queryable } from '../../platform/db/database.ts';
import type { SealKind } from './images.ts';

export type SealStatus = 'valid' | 'suspended' | 'revoked';
export type SealStatusReason = '挂失' | '注销' | '损毁' | '信息变更' | '其他';

declare module '../../platform/db/database.ts' {
  interface Database {
    seal_request: {
      id: Generated<string>;
      org_id: string;
      region_code: string;
      kind: SealKind;
      name: string;
      uploaded_png: Buffer | null;
      requested_by: string;
      requested_at: Generated<Date>;
      status: Generated<'pending' | 'approved' | 'rejected'>;
      decided_by: string | null;
      decided_at: Date | null;
      reason: string | null;
    };
    seal_serial: { region_code: string; year: number; last_serial: number };
    seal: {
      id: Generated<string>;
      es_id: string;
      request_id: string;
      org_id: string;
      region_code: string;
      kind: SealKind;
      name: string;
      picture_png: Buffer;
      picture_svg: string | null;
      ses_seal: Buffer;
      signer_key_id: string;
      certificate_serial: string;
      valid_from: Date;
      valid_to: Date;
      status: Generated<SealStatus>;
      status_reason: SealStatusReason | null;
      status_note: string | null;
      status_changed_at: Date | null;
      registered_at: Generated<Date>;
    };
    seal_event: {
      id: Generated<number>;
      seal_id: string;
      action: 'issued' | 'suspended' | 'resumed' | 'revoked';
      status: SealStatus;
      reason: string | null;
      note: string | null;
      actor_id: string | null;
      occurred_at: Generated<Date>;
    };
  }
}

export type SealRequestRow = Omit<Selectable<import('../../platform/db/database.ts').Database['seal_request']>, 'uploaded_png'> & { has_upload: boolean };
export type SealRow = Omit<Selectable<import('../../platform/db/database.ts').Database['seal']>, 'picture_png' | 'picture_svg' | 'ses_seal'>;

const requestColumns = ['id', 'org_id', 'region_code', 'kind', 'name', 'requested_by', 'requested_at', 'status', 'decided_by', 'decided_at', 'reason'] as const;
const sealColumns = ['id', 'es_id', 'request_id', 'org_id', 'region_code', 'kind', 'name', 'signer_key_id', 'certificate_serial', 'valid_from', 'valid_to', 'status', 'status_reason', 'status_note', 'status_changed_at', 'registered_at'] as const;

export async function insertRequest(db: Queryable, row: { orgId: string; regionCode: string; kind: SealKind; name: string; uploadedPng: Buffer | null; requestedBy: string }): Promise<string> {
  const r = await db
    .insertInto('seal_request')
    .values({ org_id: row.orgId, region_code: row.regionCode, kind: row.kind, name: row.name, uploaded_png: row.uploadedPng, requested_by: row.requestedBy, decided_by: null, decided_at: null, reason: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Locks the request row (FOR UPDATE) so two approvers cannot both issue a seal for it. */
export async function requestForUpdate(db: Queryable, id: string): Promise<(SealRequestRow & { uploaded_png: Buffer | null }) | undefined> {
  const row = await db.selectFrom('seal_request').select([...requestColumns, 'uploaded_png']).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? { ...row, has_upload: row.uploaded_png !== null } : undefined;
}

export async function decideRequest(db: Queryable, id: string, status: 'approved' | 'rejected', by: string, reason: string | null): Promise<void> {
  await db.updateTable('seal_request').set({ status, decided_by: by, decided_at: new Date(), reason }).where('id', '=', id).where('status', '=', 'pending').execute();
}

export async function listRequests(db: Queryable, regionPrefix: string, status?: 'pending' | 'approved' | 'rejected'): Promise<SealRequestRow[]> {
  let q = db
    .selectFrom('seal_request')
    .select([...requestColumns, sql<boolean>`uploaded_png is not null`.as('has_upload')])
    .where('region_code', 'like', `${regionPrefix}%`);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('requested_at', 'desc').limit(500).execute();
}

/** The next esID serial for a region and year, allocated inside the caller's transaction. */
export async function nextSerial(db: Queryable, regionCode: string, year: number): Promise<number> {
  const row = await db
    .insertInto('seal_serial')
    .values({ region_code: regionCode, year, last_serial: 1 })
    .onConflict((oc) => oc.columns(['region_code', 'year']).doUpdateSet({ last_serial: sql`seal_serial.last_serial + 1` }))
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return row.last_serial;
}

export async function insertSeal(db: Queryable, row: Omit<Selectable<import('../../platform/db/database.ts').Database['seal']>, 'id' | 'status' | 'status_reason' | 'status_note' | 'status_changed_at' | 'registered_at'>): Promise<string> {
  const r = await db.insertInto('seal').values({ ...row, status_reason: null, status_note: null, status_changed_at: null }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function sealByEsId(db: Queryable, esId: string, lock = false): Promise<SealRow | undefined> {
  let q = db.selectFrom('seal').select(sealColumns).where('es_id', '=', esId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function sealBlobs(db: Queryable, esId: string): Promise<{ picture_png: Buffer; picture_svg: string | null; ses_seal: Buffer } | undefined> {
  return db.selectFrom('seal').select(['picture_png', 'picture_svg', 'ses_seal']).where('es_id', '=', esId).executeTakeFirst();
}

export async function listSeals(db: Queryable, regionPrefix: string): Promise<SealRow[]> {
  return db.selectFrom('seal').select(sealColumns).where('region_code', 'like', `${regionPrefix}%`).orderBy('registered_at', 'desc').limit(500).execute();
}

export async function setStatus(db: Queryable, id: string, status: SealStatus, reason: SealStatusReason | null, note: string | null, at: Date): Promise<void> {
  await db.updateTable('seal').set({ status, status_reason: reason, status_note: note, status_changed_at: at }).where('id', '=', id).execute();
}

export async function insertEvent(db: Queryable, e: { sealId: string; action: 'issued' | 'suspended' | 'resumed' | 'revoked'; status: SealStatus; reason: string | null; note: string | null; actorId: string | null; at: Date }): Promise<void> {
  await db.insertInto('seal_event').values({ seal_id: e.sealId, action: e.action, status: e.status, reason: e.reason, note: e.note, actor_id: e.actorId, occurred_at: e.at }).execute();
}

export async function events(db: Queryable, sealId: string) {
  return db.selectFrom('seal_event').select(['action', 'status', 'reason', 'note', 'actor_id', 'occurred_at']).where('seal_id', '=', sealId).orderBy('occurred_at').orderBy('id').execute();
}
