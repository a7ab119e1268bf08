// The only code that touches timestamp_authority and seal_signature (migration 0023).
import type { Generated, Selectable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';

declare module '../../platform/db/database.ts' {
  interface Database {
    timestamp_authority: {
      region_code: string;
      key_id: string;
      certificate_serial: string;
      certificate_der: Buffer;
      created_at: Generated<Date>;
    };
    seal_signature: {
      id: Generated<string>;
      seal_es_id: string;
      region_code: string;
      org_id: string;
      signed_by: string;
      document_name: string | null;
      document_sm3: string;
      byte_range_end: string | number;
      signature_sm3: string;
      signed_at: Date;
      batch_id: string | null;
      created_at: Generated<Date>;
    };
  }
}

export type TsaRow = Selectable<import('../../platform/db/database.ts').Database['timestamp_authority']>;

export async function tsaFor(db: Queryable, regionCode: string): Promise<TsaRow | undefined> {
  return db.selectFrom('timestamp_authority').selectAll().where('region_code', '=', regionCode).executeTakeFirst();
}

/** First writer wins; a loser's key stays unused in key_material. */
export async function insertTsa(db: Queryable, row: Omit<TsaRow, 'created_at'>): Promise<void> {
  await db.insertInto('timestamp_authority').values(row).onConflict((oc) => oc.column('region_code').doNothing()).execute();
}

export async function insertSignature(
  db: Queryable,
  row: { esId: string; regionCode: string; orgId: string; signedBy: string; documentName: string | null; documentSm3: string; byteRangeEnd: number; signatureSm3: string; signedAt: Date; batchId: string | null },
): Promise<string> {
  const { id } = await db
    .insertInto('seal_signature')
    .values({
      seal_es_id: row.esId,
      region_code: row.regionCode,
      org_id: row.orgId,
      signed_by: row.signedBy,
      document_name: row.documentName,
      document_sm3: row.documentSm3,
      byte_range_end: row.byteRangeEnd,
      signature_sm3: row.signatureSm3,
      signed_at: row.signedAt,
      batch_id: row.batchId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function signaturesOfSeal(db: Queryable, esId: string, limit = 50) {
  return db.selectFrom('seal_signature').selectAll().where('seal_es_id', '=', esId).orderBy('signed_at', 'desc').limit(limit).execute();
}
