// The only code that touches service_case, case_event, case_material and case_serial.
import { sql, type Generated, type Selectable, type Updateable } from 'kysely';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { CaseState, SpecialProcedure } from './state-machine.ts';

export interface CaseStep {
  name: string;
  role: string;
}

declare module '../../platform/db/database.ts' {
  interface Database {
    case_serial: { region6: string; day: string; channel: number; last_serial: number };
    service_case: {
      id: Generated<string>;
      case_number: string;
      implementation_id: string;
      implementation_version: number;
      implementation_code: string;
      item_name: string;
      org_id: string;
      region_code: string;
      channel: number;
      applicant_kind: 'citizen' | 'company';
      applicant_id: string;
      applicant_name_sealed: string;
      phone_tail_hash: string;
      submitted_by: string | null;
      answers: unknown;
      state: CaseState;
      version: Generated<number>;
      step: Generated<number>;
      steps: unknown;
      promised_days: number;
      legal_days: number;
      clock_started_on: string | null;
      due_on: string | null;
      legal_due_on: string | null;
      suspended_since: string | null;
      suspended_working_days: Generated<number>;
      commitment_due_on: string | null;
      decision: 'approved' | 'rejected' | null;
      delivery_method: 'electronic' | 'pickup' | 'post' | null;
      pickup_code_hash: string | null;
      idempotency_key: string | null;
      created_at: Generated<Date>;
      submitted_at: Date | null;
      accepted_at: Date | null;
      decided_at: Date | null;
      closed_at: Date | null;
      updated_at: Generated<Date>;
      // Added by 0020; nullable with no value at submission, hence optional on insert.
      special_procedure: Generated<SpecialProcedure | null>;
      tracking_number: Generated<string | null>;
      decided_on: Generated<string | null>;
      working_days_used: Generated<number | null>;
      // Added by 0025: the 一件事 application the case belongs to.
      bundle_id: string | null;
    };
    case_event: {
      id: Generated<string>;
      case_id: string;
      action: string;
      from_state: string | null;
      to_state: string;
      actor_kind: string;
      actor_id: string | null;
      note: string | null;
      data: unknown;
      public: boolean;
      region_code: string;
      created_at: Generated<Date>;
    };
    case_material: {
      id: Generated<string>;
      case_id: string;
      material_id: string;
      name: string;
      source: 'upload' | 'licence' | 'data' | 'promised';
      file_hash: string | null;
      file_name: string | null;
      mime: string | null;
      size_bytes: number | null;
      reference: string | null;
      created_at: Generated<Date>;
    };
  }
}

export type CaseRow = Selectable<Database['service_case']>;
export type CaseEventRow = Selectable<Database['case_event']>;
export type CaseMaterialRow = Selectable<Database['case_material']>;

/** The next daily serial for a region and channel; the row lock serialises concurrent submissions. */
export async function nextSerial(db: Queryable, region6: string, day: string, channel: number): Promise<number> {
  const row = await db
    .insertInto('case_serial')
    .values({ region6, day, channel, last_serial: 1 })
    .onConflict((oc) => oc.columns(['region6', 'day', 'channel']).doUpdateSet({ last_serial: sql<number>`case_serial.last_serial + 1` }))
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return Number(row.last_serial);
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function findCase(db: Queryable, id: string, forUpdate = false): Promise<CaseRow | null> {
  if (!isUuid(id)) return null;
  let q = db.selectFrom('service_case').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function findCaseByNumber(db: Queryable, caseNumber: string): Promise<CaseRow | null> {
  return (await db.selectFrom('service_case').selectAll().where('case_number', '=', caseNumber).executeTakeFirst()) ?? null;
}

export async function findByIdempotencyKey(db: Queryable, applicantId: string, key: string): Promise<CaseRow | null> {
  return (await db.selectFrom('service_case').selectAll().where('applicant_id', '=', applicantId).where('idempotency_key', '=', key).executeTakeFirst()) ?? null;
}

export type NewCase = Omit<Database['service_case'], 'id' | 'version' | 'step' | 'suspended_working_days' | 'created_at' | 'updated_at' | 'special_procedure' | 'tracking_number' | 'decided_on' | 'working_days_used'>;

export async function insertCase(db: Queryable, row: NewCase): Promise<CaseRow> {
  return db
    .insertInto('service_case')
    .values({ ...row, answers: JSON.stringify(row.answers), steps: JSON.stringify(row.steps) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Applies a transition if the case is still at `version`; false when someone else moved it first. */
export type CaseChanges = Omit<Updateable<Database['service_case']>, 'id' | 'version'>;

export async function updateCase(db: Queryable, id: string, version: number, changes: CaseChanges): Promise<boolean> {
  const set: Record<string, unknown> = { ...changes, updated_at: new Date() };
  if ('answers' in changes) set.answers = JSON.stringify(changes.answers);
  if ('steps' in changes) set.steps = JSON.stringify(changes.steps);
  const res = await db
    .updateTable('service_case')
    .set({ ...(set as object), version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertEvent(
  db: Queryable,
  e: { caseId: string; action: string; fromState: string | null; toState: string; actorKind: string; actorId: string | null; note?: string | null; data?: unknown; public?: boolean; regionCode: string },
): Promise<void> {
  await db
    .insertInto('case_event')
    .values({
      case_id: e.caseId,
      action: e.action,
      from_state: e.fromState,
      to_state: e.toState,
      actor_kind: e.actorKind,
      actor_id: e.actorId,
      note: e.note ?? null,
      data: JSON.stringify(e.data ?? {}),
      public: e.public ?? true,
      region_code: e.regionCode,
    })
    .execute();
}

export async function listEvents(db: Queryable, caseId: string, publicOnly: boolean): Promise<CaseEventRow[]> {
  let q = db.selectFrom('case_event').selectAll().where('case_id', '=', caseId);
  if (publicOnly) q = q.where('public', '=', true);
  return q.orderBy('id').execute();
}

export async function insertMaterials(db: Queryable, caseId: string, materials: Omit<Database['case_material'], 'id' | 'case_id' | 'created_at'>[]): Promise<void> {
  if (!materials.length) return;
  await db.insertInto('case_material').values(materials.map((m) => ({ ...m, case_id: caseId }))).execute();
}

export async function listMaterials(db: Queryable, caseId: string): Promise<CaseMaterialRow[]> {
  return db.selectFrom('case_material').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
}

export async function listApplicantCases(db: Queryable, kind: 'citizen' | 'company', applicantId: string, limit: number): Promise<CaseRow[]> {
  return db.selectFrom('service_case').selectAll().where('applicant_kind', '=', kind).where('applicant_id', '=', applicantId).orderBy('created_at', 'desc').limit(limit).execute();
}

/** Staff queue: cases of a region (and below) in the given states, most urgent first. */
export async function listQueue(db: Queryable, filter: { regionPrefix: string; states: CaseState[]; orgId?: string | null; limit: number; offset: number }): Promise<CaseRow[]> {
  let q = db
    .selectFrom('service_case')
    .selectAll()
    .where('region_code', 'like', `${filter.regionPrefix}%`)
    .where('state', 'in', filter.states);
  if (filter.orgId) q = q.where('org_id', '=', filter.orgId);
  return q.orderBy(sql`due_on nulls last`).orderBy('submitted_at').limit(filter.limit).offset(filter.offset).execute();
}

/** Whether any case material refers to an uploaded file (the orphan sweep's question). */
export async function fileReferenced(db: Queryable, sha256: string): Promise<boolean> {
  return !!(await db.selectFrom('case_material').select('id').where('file_hash', '=', sha256).limit(1).executeTakeFirst());
}

/** Replaces the named materials of a case (补正, 容缺 supplied): the old rows go, the new ones are inserted. */
export async function replaceMaterials(db: Queryable, caseId: string, materials: Omit<Database['case_material'], 'id' | 'case_id' | 'created_at'>[]): Promise<void> {
  if (!materials.length) return;
  await db.deleteFrom('case_material').where('case_id', '=', caseId).where('material_id', 'in', materials.map((m) => m.material_id)).execute();
  await db.insertInto('case_material').values(materials.map((m) => ({ ...m, case_id: caseId }))).execute();
}

export async function hasPromisedMaterials(db: Queryable, caseId: string): Promise<boolean> {
  return !!(await db.selectFrom('case_material').select('id').where('case_id', '=', caseId).where('source', '=', 'promised').limit(1).executeTakeFirst());
}

/** Open cases whose 容缺 promise is past its date. */
export async function overdueCommitments(db: Queryable, today: string, limit: number): Promise<{ id: string }[]> {
  return db.selectFrom('service_case').select('id').where('commitment_due_on', '<', today).where('state', 'in', ['in_review', 'suspended']).orderBy('commitment_due_on').limit(limit).execute();
}

/** Whether the case already has an event of `action` whose data contains `data` (jsonb containment). */
export async function hasEvent(db: Queryable, caseId: string, action: string, data: Record<string, unknown>): Promise<boolean> {
  const r = await db.selectFrom('case_event').select('id').where('case_id', '=', caseId).where('action', '=', action).where(sql<boolean>`data @> ${JSON.stringify(data)}::jsonb`).limit(1).executeTakeFirst();
  return !!r;
}
