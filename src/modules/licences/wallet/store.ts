// The only code that touches licence_consent (migrations 0027 and 0028), and the wallet's own
// reads of the licence library: a holder's licences and a licence's versions.
import { sql, type Generated, type Selectable } from 'kysely';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { LicenceRow } from '../store.ts';

declare module '../../../platform/db/database.ts' {
  interface Database {
    licence_consent: {
      id: Generated<string>;
      licence_id: string;
      holder_index: string;
      grantee_org_id: string | null;
      grantee_client_id: string | null;
      purpose_kind: 'case' | 'api';
      purpose_ref: string;
      purpose_text: string;
      scope: unknown;
      expires_at: Date;
      token_sm3: string | null;
      used_at: Date | null;
      revoked_at: Date | null;
      created_by_kind: string;
      created_by_id: string;
      created_at: Generated<Date>;
    };
  }
}

export type ConsentRow = Selectable<Database['licence_consent']>;
export type NewConsent = Omit<ConsentRow, 'id' | 'created_at' | 'used_at' | 'revoked_at' | 'scope'> & { scope: string[] };

export function scopeOf(row: ConsentRow): string[] {
  const s = typeof row.scope === 'string' ? (JSON.parse(row.scope) as unknown) : row.scope;
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : [];
}

export async function insertConsent(db: Queryable, c: NewConsent): Promise<ConsentRow> {
  return db.insertInto('licence_consent').values({ ...c, scope: JSON.stringify(c.scope) }).returningAll().executeTakeFirstOrThrow();
}

/** A case consent once per licence, organisation and case: null when it was already there. */
export async function insertCaseConsentOnce(db: Queryable, c: NewConsent): Promise<ConsentRow | null> {
  const row = await db
    .insertInto('licence_consent')
    .values({ ...c, scope: JSON.stringify(c.scope) })
    .onConflict((oc) => oc.columns(['licence_id', 'grantee_org_id', 'purpose_ref']).where('purpose_kind', '=', 'case').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function findConsent(db: Queryable, id: string): Promise<ConsentRow | null> {
  return (await db.selectFrom('licence_consent').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findByTokenSm3(db: Queryable, hash: string, lock = false): Promise<ConsentRow | null> {
  let q = db.selectFrom('licence_consent').selectAll().where('token_sm3', '=', hash);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

/** The newest consent for this licence, organisation and case, whatever its state. */
export async function findCaseConsent(db: Queryable, licenceId: string, orgId: string, caseId: string): Promise<ConsentRow | null> {
  return (
    (await db
      .selectFrom('licence_consent')
      .selectAll()
      .where('licence_id', '=', licenceId)
      .where('grantee_org_id', '=', orgId)
      .where('purpose_kind', '=', 'case')
      .where('purpose_ref', '=', caseId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()) ?? null
  );
}

export async function listConsents(db: Queryable, licenceId: string): Promise<ConsentRow[]> {
  return db.selectFrom('licence_consent').selectAll().where('licence_id', '=', licenceId).orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function revokeConsent(db: Queryable, id: string): Promise<boolean> {
  const r = await db.updateTable('licence_consent').set({ revoked_at: sql<Date>`now()` }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Spends a token consent: true for the one exchange that got it, false for every other. */
export async function markUsed(db: Queryable, id: string): Promise<boolean> {
  const r = await db.updateTable('licence_consent').set({ used_at: sql<Date>`now()` }).where('id', '=', id).where('used_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The holder's licences (by blind index of their ID number or USCC, or the account they were issued to), newest first. */
export async function holderLicences(db: Queryable, holderIndex: string | null, accountId: string | null): Promise<LicenceRow[]> {
  if (!holderIndex && !accountId) return [];
  return db
    .selectFrom('licence')
    .selectAll()
    .where((eb) => eb.or([...(holderIndex ? [eb('holder_index', '=', holderIndex)] : []), ...(accountId ? [eb('holder_account_id', '=', accountId)] : [])]))
    .orderBy('issued_at', 'desc')
    .limit(200)
    .execute();
}

export async function listVersions(db: Queryable, licenceId: string) {
  return db.selectFrom('licence_version').select(['identifier', 'version', 'valid_from', 'valid_until', 'created_at']).where('licence_id', '=', licenceId).orderBy('version', 'desc').execute();
}

export async function listEventsFull(db: Queryable, licenceId: string) {
  return db.selectFrom('licence_event').select(['id', 'action', 'reason', 'actor_kind', 'actor_id', 'created_at']).where('licence_id', '=', licenceId).orderBy('id', 'desc').execute();
}

export async function licenceById(db: Queryable, id: string): Promise<LicenceRow | null> {
  return (await db.selectFrom('licence').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}
