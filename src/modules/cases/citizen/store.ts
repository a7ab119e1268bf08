// The only code that touches case_draft, plus the one write to case_material the applicant's
// correction needs (replacing named materials), kept here until store.ts offers it.
import { sql, type Generated, type Selectable } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';

/** One material of a draft: an upload, or a candidate a material source offered. */
export interface DraftMaterial {
  source: 'upload' | 'licence' | 'data';
  fileHash?: string;
  fileName?: string;
  mime?: string;
  sizeBytes?: number;
  reference?: string;
  /** What the applicant sees, e.g. the candidate's title. */
  title?: string;
}

declare module '../../../platform/db/database.ts' {
  interface Database {
    case_draft: {
      id: Generated<string>;
      applicant_kind: 'citizen' | 'company';
      applicant_id: string;
      implementation_id: string;
      item_name: string;
      answers: unknown;
      materials: unknown;
      step: Generated<number>;
      origin_case_id: string | null;
      case_id: string | null;
      region_code: string;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
  }
}

export interface Applicant {
  kind: 'citizen' | 'company';
  id: string;
}

type Row = Selectable<import('../../../platform/db/database.ts').Database['case_draft']>;
export interface DraftRow extends Omit<Row, 'answers' | 'materials'> {
  answers: Record<string, unknown>;
  materials: Record<string, DraftMaterial>;
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const asObject = (v: unknown): Record<string, never> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, never>) : {});
const toDraft = (r: Row): DraftRow => ({ ...r, answers: asObject(r.answers), materials: asObject(r.materials) });

/** The applicant's drafts of one implementation. */
function draftsOf(db: Queryable, who: Applicant, implementationId: string) {
  return db.selectFrom('case_draft').selectAll().where('applicant_kind', '=', who.kind).where('applicant_id', '=', who.id).where('implementation_id', '=', implementationId);
}

export async function findOpenDraft(db: Queryable, who: Applicant, implementationId: string): Promise<DraftRow | null> {
  if (!isUuid(implementationId)) return null;
  const r = await draftsOf(db, who, implementationId).where('case_id', 'is', null).executeTakeFirst();
  return r ? toDraft(r) : null;
}

/** The newest closed draft, to answer a repeated 提交 with the case the first one made. */
export async function findSubmittedDraft(db: Queryable, who: Applicant, implementationId: string): Promise<DraftRow | null> {
  if (!isUuid(implementationId)) return null;
  const r = await draftsOf(db, who, implementationId).where('case_id', 'is not', null).orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
  return r ? toDraft(r) : null;
}

export async function findDraft(db: Queryable, id: string): Promise<DraftRow | null> {
  if (!isUuid(id)) return null;
  const r = await db.selectFrom('case_draft').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDraft(r) : null;
}

/** The open draft, created when there is none; a concurrent creation is answered with the winner's. */
export async function openDraft(
  db: Queryable,
  who: Applicant,
  init: { implementationId: string; itemName: string; regionCode: string; answers?: Record<string, unknown>; originCaseId?: string | null },
): Promise<{ draft: DraftRow; created: boolean }> {
  const inserted = await db
    .insertInto('case_draft')
    .values({
      applicant_kind: who.kind,
      applicant_id: who.id,
      implementation_id: init.implementationId,
      item_name: init.itemName,
      region_code: init.regionCode,
      answers: JSON.stringify(init.answers ?? {}),
      materials: JSON.stringify({}),
      origin_case_id: init.originCaseId ?? null,
      case_id: null,
    })
    .onConflict((oc) => oc.columns(['applicant_kind', 'applicant_id', 'implementation_id']).where('case_id', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { draft: toDraft(inserted), created: true };
  return { draft: (await findOpenDraft(db, who, init.implementationId))!, created: false };
}

export async function updateDraft(
  db: Queryable,
  id: string,
  changes: { answers?: Record<string, unknown>; materials?: Record<string, DraftMaterial>; step?: number; originCaseId?: string | null },
): Promise<void> {
  const set: Record<string, unknown> = { updated_at: new Date() };
  if (changes.answers) set.answers = JSON.stringify(changes.answers);
  if (changes.materials) set.materials = JSON.stringify(changes.materials);
  if (changes.step !== undefined) set.step = changes.step;
  if (changes.originCaseId !== undefined) set.origin_case_id = changes.originCaseId;
  await db.updateTable('case_draft').set(set).where('id', '=', id).where('case_id', 'is', null).execute();
}

export async function closeDraft(db: Queryable, id: string, caseId: string): Promise<void> {
  await db.updateTable('case_draft').set({ case_id: caseId, updated_at: new Date() }).where('id', '=', id).where('case_id', 'is', null).execute();
}

export async function deleteDraft(db: Queryable, id: string): Promise<boolean> {
  const res = await db.deleteFrom('case_draft').where('id', '=', id).where('case_id', 'is', null).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

export async function listOpenDrafts(db: Queryable, who: Applicant, limit = 50): Promise<DraftRow[]> {
  const rows = await db
    .selectFrom('case_draft')
    .selectAll()
    .where('applicant_kind', '=', who.kind)
    .where('applicant_id', '=', who.id)
    .where('case_id', 'is', null)
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toDraft);
}

/** For the orphan sweep (docs/files.md): a file only a draft refers to is still in use. */
export async function draftReferencesFile(db: Queryable, sha256: string): Promise<boolean> {
  const r = await sql<{ found: boolean }>`
    select exists (
      select 1 from case_draft d, jsonb_each(d.materials) m
      where d.case_id is null and m.value ->> 'fileHash' = ${sha256}
    ) as found`.execute(db);
  return r.rows[0]?.found === true;
}
