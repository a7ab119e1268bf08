// The only code that touches certificate_authority, issued_certificate and crl_publication.
import type { Generated, Selectable } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import type { RevocationReason } from '../../../platform/crypto/x509/index.ts';

export type CertificateKind = 'seal' | 'signer' | 'ca';
export type CertificateStatus = 'valid' | 'revoked' | 'suspended';

declare module '../../../platform/db/database.ts' {
  interface Database {
    certificate_authority: {
      id: Generated<string>;
      region_code: string;
      role: 'root' | 'issuing';
      parent_id: string | null;
      key_id: string;
      serial: string;
      subject: string;
      der: Buffer;
      not_before: Date;
      not_after: Date;
      status: Generated<'active' | 'retired'>;
      created_at: Generated<Date>;
    };
    issued_certificate: {
      serial: string;
      ca_id: string;
      region_code: string;
      kind: CertificateKind;
      subject: string;
      public_key: string;
      der: Buffer;
      not_before: Date;
      not_after: Date;
      status: Generated<CertificateStatus>;
      reason: RevocationReason | null;
      revoked_at: Date | null;
      issued_at: Generated<Date>;
    };
    crl_publication: { ca_id: string; crl_number: number; der: Buffer; this_update: Date; next_update: Date };
  }
}

export type CaRow = Selectable<import('../../../platform/db/database.ts').Database['certificate_authority']>;
export type IssuedRow = Selectable<import('../../../platform/db/database.ts').Database['issued_certificate']>;

export function activeCa(db: Queryable, regionCode: string, role: 'root' | 'issuing'): Promise<CaRow | undefined> {
  return db.selectFrom('certificate_authority').selectAll().where('region_code', '=', regionCode).where('role', '=', role).where('status', '=', 'active').executeTakeFirst();
}

export function caById(db: Queryable, id: string): Promise<CaRow | undefined> {
  return db.selectFrom('certificate_authority').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCa(db: Queryable, row: Omit<CaRow, 'id' | 'status' | 'created_at'>): Promise<CaRow> {
  return db.insertInto('certificate_authority').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertIssued(db: Queryable, row: Omit<IssuedRow, 'status' | 'reason' | 'revoked_at' | 'issued_at'>): Promise<void> {
  await db.insertInto('issued_certificate').values(row).execute();
}

export function issuedBySerial(db: Queryable, serial: string, forUpdate = false): Promise<IssuedRow | undefined> {
  let q = db.selectFrom('issued_certificate').selectAll().where('serial', '=', serial);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function setStatus(db: Queryable, serial: string, status: CertificateStatus, reason: RevocationReason | null, at: Date | null): Promise<void> {
  await db.updateTable('issued_certificate').set({ status, reason, revoked_at: at }).where('serial', '=', serial).execute();
}

/** Everything a CRL must list: revoked and suspended certificates, expired ones dropped. */
export function revokedUnder(db: Queryable, caId: string, now: Date): Promise<Pick<IssuedRow, 'serial' | 'reason' | 'revoked_at'>[]> {
  return db
    .selectFrom('issued_certificate')
    .select(['serial', 'reason', 'revoked_at'])
    .where('ca_id', '=', caId)
    .where('status', '<>', 'valid')
    .where('not_after', '>', now)
    .orderBy('serial')
    .execute();
}

export function latestCrl(db: Queryable, caId: string): Promise<Selectable<import('../../../platform/db/database.ts').Database['crl_publication']> | undefined> {
  return db.selectFrom('crl_publication').selectAll().where('ca_id', '=', caId).orderBy('crl_number', 'desc').limit(1).executeTakeFirst();
}

/** False when another node published this number first. */
export async function insertCrl(db: Queryable, row: { ca_id: string; crl_number: number; der: Buffer; this_update: Date; next_update: Date }): Promise<boolean> {
  const r = await db.insertInto('crl_publication').values(row).onConflict((oc) => oc.doNothing()).returning('crl_number').executeTakeFirst();
  return r !== undefined;
}
