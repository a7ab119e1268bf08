// The only code that touches trust_anchor and trust_list_version.
import type { Generated, Selectable } from 'kysely';
import type { Database, Queryable } from '../../../platform/db/database.ts';

export type AnchorStatus = 'pending' | 'active' | 'removed';

declare module '../../../platform/db/database.ts' {
  interface Database {
    trust_anchor: {
      id: Generated<string>;
      peer_name: string;
      region_code: string;
      subject: string;
      sm3_fingerprint: string;
      der: Buffer;
      not_before: Date;
      not_after: Date;
      source: string;
      status: Generated<AnchorStatus>;
      added_by: string;
      added_at: Generated<Date>;
      confirmed_by: string | null;
      confirmed_at: Date | null;
      removed_by: string | null;
      removed_at: Date | null;
      removed_reason: string | null;
    };
    trust_list_version: {
      version: number;
      anchors_digest: string;
      content: Buffer;
      signature: Buffer;
      signer_der: Buffer;
      root_der: Buffer;
      issued_at: Date;
      next_update: Date;
    };
  }
}

export type AnchorRow = Selectable<Database['trust_anchor']>;
export type VersionRow = Selectable<Database['trust_list_version']>;

export async function insertAnchor(
  db: Queryable,
  row: Pick<AnchorRow, 'peer_name' | 'region_code' | 'subject' | 'sm3_fingerprint' | 'der' | 'not_before' | 'not_after' | 'source' | 'added_by'>,
): Promise<AnchorRow> {
  return db.insertInto('trust_anchor').values({ ...row, confirmed_by: null, confirmed_at: null, removed_by: null, removed_at: null, removed_reason: null }).returningAll().executeTakeFirstOrThrow();
}

export function anchorById(db: Queryable, id: string, forUpdate = false): Promise<AnchorRow | undefined> {
  let q = db.selectFrom('trust_anchor').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Pending and active entries (the live list), newest first. */
export function liveAnchors(db: Queryable): Promise<AnchorRow[]> {
  return db.selectFrom('trust_anchor').selectAll().where('status', '<>', 'removed').orderBy('added_at', 'desc').execute();
}

export function activeAnchors(db: Queryable): Promise<AnchorRow[]> {
  return db.selectFrom('trust_anchor').selectAll().where('status', '=', 'active').orderBy('added_at').execute();
}

export function removedAnchors(db: Queryable, limit = 50): Promise<AnchorRow[]> {
  return db.selectFrom('trust_anchor').selectAll().where('status', '=', 'removed').orderBy('removed_at', 'desc').limit(limit).execute();
}

export async function activate(db: Queryable, id: string, by: string, at: Date): Promise<void> {
  await db.updateTable('trust_anchor').set({ status: 'active', confirmed_by: by, confirmed_at: at }).where('id', '=', id).execute();
}

export async function remove(db: Queryable, id: string, by: string, at: Date, reason: string): Promise<void> {
  await db.updateTable('trust_anchor').set({ status: 'removed', removed_by: by, removed_at: at, removed_reason: reason }).where('id', '=', id).execute();
}

export function latestVersion(db: Queryable): Promise<VersionRow | undefined> {
  return db.selectFrom('trust_list_version').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** False when another publisher took the number first. */
export async function insertVersion(db: Queryable, row: VersionRow): Promise<boolean> {
  const done = await db.insertInto('trust_list_version').values(row).onConflict((oc) => oc.column('version').doNothing()).returning('version').executeTakeFirst();
  return done !== undefined;
}
