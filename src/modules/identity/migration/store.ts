// The only code that touches legacy_account_import. Values arrive sealed or as blind indexes.
import type { Generated } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';

declare module '../../../platform/db/database.ts' {
  interface Database {
    legacy_account_import: {
      source_system: string;
      source_account_id: string;
      account_id: string;
      outcome: 'created' | 'linked';
      content_digest: string;
      mobile_index: string;
      id_number_index: string | null;
      id_number_sealed: string | null;
      name_sealed: string | null;
      name_index: string | null;
      claimed_level: number | null;
      imported_at: Generated<Date>;
    };
  }
}

export interface ImportLink {
  sourceSystem: string;
  sourceAccountId: string;
  accountId: string;
  outcome: 'created' | 'linked';
  contentDigest: string;
  mobileIndex: string;
  idNumberIndex: string | null;
  idNumberSealed: string | null;
  nameSealed: string | null;
  nameIndex: string | null;
  claimedLevel: number | null;
}

export async function findImport(db: Queryable, sourceSystem: string, sourceAccountId: string): Promise<{ accountId: string; contentDigest: string } | null> {
  const r = await db
    .selectFrom('legacy_account_import')
    .select(['account_id', 'content_digest'])
    .where('source_system', '=', sourceSystem)
    .where('source_account_id', '=', sourceAccountId)
    .executeTakeFirst();
  return r ? { accountId: r.account_id, contentDigest: r.content_digest } : null;
}

/** Imported records (any source) that claimed this ID number: the accounts they went to. */
export async function accountsClaimingIdNumber(db: Queryable, idNumberIndex: string): Promise<string[]> {
  const rows = await db.selectFrom('legacy_account_import').select('account_id').distinct().where('id_number_index', '=', idNumberIndex).execute();
  return rows.map((r) => r.account_id);
}

/** The distinct ID-number and name indexes imported records claimed for one account. */
export async function claimsForAccount(db: Queryable, accountId: string): Promise<{ idNumberIndexes: string[]; nameIndexes: string[] }> {
  const rows = await db.selectFrom('legacy_account_import').select(['id_number_index', 'name_index']).where('account_id', '=', accountId).execute();
  const distinct = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
  return { idNumberIndexes: distinct(rows.map((r) => r.id_number_index)), nameIndexes: distinct(rows.map((r) => r.name_index)) };
}

export async function insertImport(db: Queryable, link: ImportLink): Promise<void> {
  await db
    .insertInto('legacy_account_import')
    .values({
      source_system: link.sourceSystem,
      source_account_id: link.sourceAccountId,
      account_id: link.accountId,
      outcome: link.outcome,
      content_digest: link.contentDigest,
      mobile_index: link.mobileIndex,
      id_number_index: link.idNumberIndex,
      id_number_sealed: link.idNumberSealed,
      name_sealed: link.nameSealed,
      name_index: link.nameIndex,
      claimed_level: link.claimedLevel,
    })
    .execute();
}
