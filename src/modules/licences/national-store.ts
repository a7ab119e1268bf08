// The only code that touches national_licence_type (definitions other nodes pushed here) and
// licence_peer_bundle (peers' licence trust bundles), migrations/0029_national_licence_types.sql.
import type { Generated, Selectable } from 'kysely';
import type { Database, Queryable } from '../../platform/db/database.ts';

declare module '../../platform/db/database.ts' {
  interface Database {
    national_licence_type: {
      node: string;
      code: string;
      key: string;
      name: string;
      definition: unknown;
      content_sm3: string;
      changed_at: Date;
      received_at: Generated<Date>;
    };
    licence_peer_bundle: {
      peer_id: string;
      region_code: string;
      url: string;
      envelope: unknown;
      fetched_at: Date | null;
      next_update: Date | null;
      last_attempt_at: Date;
      last_error: string | null;
    };
  }
}

export type NationalTypeRow = Selectable<Database['national_licence_type']>;
export type PeerBundleRow = Selectable<Database['licence_peer_bundle']>;

export function findNationalType(db: Queryable, node: string, code: string, forUpdate = false): Promise<NationalTypeRow | undefined> {
  let q = db.selectFrom('national_licence_type').selectAll().where('node', '=', node).where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertNationalType(db: Queryable, row: Omit<NationalTypeRow, 'received_at'>): Promise<void> {
  await db.insertInto('national_licence_type').values({ ...row, definition: JSON.stringify(row.definition) }).execute();
}

export async function replaceNationalType(db: Queryable, row: Omit<NationalTypeRow, 'received_at'>): Promise<void> {
  await db
    .updateTable('national_licence_type')
    .set({ key: row.key, name: row.name, definition: JSON.stringify(row.definition), content_sm3: row.content_sm3, changed_at: row.changed_at, received_at: new Date() })
    .where('node', '=', row.node)
    .where('code', '=', row.code)
    .execute();
}

export function listNationalTypes(db: Queryable): Promise<NationalTypeRow[]> {
  return db.selectFrom('national_licence_type').selectAll().orderBy('code').orderBy('node').limit(20_000).execute();
}

export function peerBundleRows(db: Queryable): Promise<PeerBundleRow[]> {
  return db.selectFrom('licence_peer_bundle').selectAll().orderBy('peer_id').execute();
}

export async function storedPeerEnvelope(db: Queryable, peerId: string): Promise<unknown> {
  return (await db.selectFrom('licence_peer_bundle').select('envelope').where('peer_id', '=', peerId).executeTakeFirst())?.envelope ?? null;
}

/** A good fetch: the new envelope replaces the old one and the error is cleared. */
export async function storePeerBundle(db: Queryable, r: { peerId: string; regionCode: string; url: string; envelope: unknown; fetchedAt: Date; nextUpdate: Date | null }): Promise<void> {
  const values = { region_code: r.regionCode, url: r.url, envelope: JSON.stringify(r.envelope), fetched_at: r.fetchedAt, next_update: r.nextUpdate, last_attempt_at: r.fetchedAt, last_error: null };
  await db
    .insertInto('licence_peer_bundle')
    .values({ peer_id: r.peerId, ...values })
    .onConflict((oc) => oc.column('peer_id').doUpdateSet(values))
    .execute();
}

/** A failed fetch: only the attempt and the error change, so the last good envelope stays. */
export async function recordPeerBundleError(db: Queryable, r: { peerId: string; regionCode: string; url: string; at: Date; error: string }): Promise<void> {
  const error = r.error.slice(0, 500);
  await db
    .insertInto('licence_peer_bundle')
    .values({ peer_id: r.peerId, region_code: r.regionCode, url: r.url, envelope: null, fetched_at: null, next_update: null, last_attempt_at: r.at, last_error: error })
    .onConflict((oc) => oc.column('peer_id').doUpdateSet({ region_code: r.regionCode, url: r.url, last_attempt_at: r.at, last_error: error }))
    .execute();
}
