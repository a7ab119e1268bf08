// The only code that touches the catalogue's entry, version and notification tables.
import { sql, type Generated, type Selectable } from 'kysely';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { DiffEntry } from './diff.ts';

export type EntryKind = 'basic_item' | 'implementation';
export type EntryStatus = 'draft' | 'in_review' | 'published' | 'withdrawn';
export type VersionState = 'draft' | 'in_review' | 'published' | 'superseded' | 'withdrawn' | 'rejected';

declare module '../../platform/db/database.ts' {
  interface Database {
    catalog_entry: {
      id: Generated<string>;
      kind: EntryKind;
      code: string;
      region_code: string;
      org_id: string | null;
      basic_item_id: string | null;
      status: EntryStatus;
      published_version: number | null;
      working_version: number;
      lock_version: Generated<number>;
      needs_review: Generated<boolean>;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
    catalog_version: {
      entry_id: string;
      version: number;
      content: unknown;
      state: VersionState;
      diff: unknown;
      author_id: string;
      created_at: Generated<Date>;
      decided_by: string | null;
      decided_at: Date | null;
      decision_note: string | null;
    };
    catalog_notification: {
      id: Generated<number>;
      org_id: string;
      entry_id: string;
      message: string;
      created_at: Generated<Date>;
      read_at: Date | null;
    };
  }
}

export type EntryRow = Selectable<Database['catalog_entry']>;
export type VersionRow = Omit<Selectable<Database['catalog_version']>, 'diff'> & { diff: DiffEntry[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not a UUID finds nothing, instead of reaching PostgreSQL's uuid parser as an error. */
export async function findEntry(db: Queryable, id: string, forUpdate = false): Promise<EntryRow | null> {
  if (!UUID.test(id)) return null;
  let q = db.selectFrom('catalog_entry').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function findEntryByCode(db: Queryable, kind: EntryKind, code: string): Promise<EntryRow | null> {
  return (await db.selectFrom('catalog_entry').selectAll().where('kind', '=', kind).where('code', '=', code).executeTakeFirst()) ?? null;
}

export async function insertEntry(
  db: Queryable,
  e: { kind: EntryKind; code: string; regionCode: string; orgId: string | null; basicItemId: string | null },
): Promise<EntryRow> {
  return db
    .insertInto('catalog_entry')
    .values({ kind: e.kind, code: e.code, region_code: e.regionCode, org_id: e.orgId, basic_item_id: e.basicItemId, status: 'draft', published_version: null, working_version: 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateEntry(
  db: Queryable,
  id: string,
  set: Partial<Pick<EntryRow, 'status' | 'published_version' | 'working_version' | 'needs_review' | 'code' | 'org_id' | 'region_code'>> & { bumpLock?: boolean },
): Promise<void> {
  const { bumpLock, ...fields } = set;
  await db
    .updateTable('catalog_entry')
    .set((eb) => ({ ...fields, updated_at: new Date(), ...(bumpLock ? { lock_version: eb('lock_version', '+', 1) } : {}) }))
    .where('id', '=', id)
    .execute();
}

export async function insertVersion(db: Queryable, v: { entryId: string; version: number; content: unknown; state: VersionState; diff: DiffEntry[]; authorId: string }): Promise<void> {
  await db
    .insertInto('catalog_version')
    .values({ entry_id: v.entryId, version: v.version, content: JSON.stringify(v.content), state: v.state, diff: JSON.stringify(v.diff), author_id: v.authorId, decided_by: null, decided_at: null, decision_note: null })
    .execute();
}

export async function findVersion(db: Queryable, entryId: string, version: number): Promise<VersionRow | null> {
  const row = await db.selectFrom('catalog_version').selectAll().where('entry_id', '=', entryId).where('version', '=', version).executeTakeFirst();
  return row ? (row as VersionRow) : null;
}

export async function listVersions(db: Queryable, entryId: string): Promise<VersionRow[]> {
  return (await db.selectFrom('catalog_version').selectAll().where('entry_id', '=', entryId).orderBy('version', 'desc').execute()) as VersionRow[];
}

export async function setVersionState(db: Queryable, entryId: string, version: number, state: VersionState, decision?: { by: string; note: string | null }): Promise<void> {
  await db
    .updateTable('catalog_version')
    .set({ state, ...(decision ? { decided_by: decision.by, decided_at: new Date(), decision_note: decision.note } : {}) })
    .where('entry_id', '=', entryId)
    .where('version', '=', version)
    .execute();
}

export interface EntryFilter {
  kind: EntryKind;
  regionPrefix?: string;
  regionCodes?: string[];
  orgId?: string;
  basicItemId?: string;
  status?: EntryStatus;
  publishedOnly?: boolean;
}

/** Entries with the content of their newest (working) or published version. */
export async function listEntriesWithContent(db: Queryable, f: EntryFilter, which: 'working' | 'published', limit = 1000, offset = 0): Promise<(EntryRow & { content: unknown; version_state: VersionState })[]> {
  let q = db
    .selectFrom('catalog_entry as e')
    .innerJoin('catalog_version as v', (j) =>
      j.onRef('v.entry_id', '=', 'e.id').on((eb) => eb('v.version', '=', eb.ref(which === 'working' ? 'e.working_version' : 'e.published_version'))),
    )
    .selectAll('e')
    .select(['v.content as content', 'v.state as version_state'])
    .where('e.kind', '=', f.kind);
  if (f.regionPrefix) q = q.where('e.region_code', 'like', `${f.regionPrefix}%`);
  if (f.regionCodes) q = q.where('e.region_code', 'in', f.regionCodes.length ? f.regionCodes : ['-']);
  if (f.orgId) q = q.where('e.org_id', '=', f.orgId);
  if (f.basicItemId) q = q.where('e.basic_item_id', '=', f.basicItemId);
  if (f.status) q = q.where('e.status', '=', f.status);
  return (await q.orderBy('e.code').limit(limit).offset(offset).execute()) as (EntryRow & { content: unknown; version_state: VersionState })[];
}

export async function implementationsOf(db: Queryable, basicItemId: string): Promise<EntryRow[]> {
  return db.selectFrom('catalog_entry').selectAll().where('basic_item_id', '=', basicItemId).where('kind', '=', 'implementation').execute();
}

export async function markNeedsReview(db: Queryable, basicItemId: string): Promise<void> {
  await db.updateTable('catalog_entry').set({ needs_review: true, updated_at: new Date() }).where('basic_item_id', '=', basicItemId).where('status', '!=', 'withdrawn').execute();
}

export async function insertNotification(db: Queryable, n: { orgId: string; entryId: string; message: string }): Promise<void> {
  await db.insertInto('catalog_notification').values({ org_id: n.orgId, entry_id: n.entryId, message: n.message, read_at: null }).execute();
}

export async function listNotifications(db: Queryable, orgId: string): Promise<Selectable<Database['catalog_notification']>[]> {
  return db.selectFrom('catalog_notification').selectAll().where('org_id', '=', orgId).orderBy('id', 'desc').limit(100).execute();
}

/** The next free 3-digit sequence of an item in a region (实施编码 segment). */
export async function nextSequence(db: Queryable, basicItemId: string, regionCode: string): Promise<number> {
  const r = await db
    .selectFrom('catalog_entry')
    .select(sql<number>`count(*)`.as('n'))
    .where('basic_item_id', '=', basicItemId)
    .where('region_code', '=', regionCode)
    .executeTakeFirstOrThrow();
  return Number(r.n) + 1;
}
