// The only code that touches the 一件事 tables (catalog_scenario, catalog_scenario_member).
import type { Generated, Selectable } from 'kysely';
import type { Database, Queryable } from '../../../platform/db/database.ts';

export type ScenarioStatus = 'draft' | 'published';
export type Audience = 'person' | 'company';

declare module '../../../platform/db/database.ts' {
  interface Database {
    catalog_scenario: {
      id: Generated<string>;
      code: string;
      region_code: string;
      name: string;
      audience: Audience;
      theme: string;
      description: string;
      status: ScenarioStatus;
      lock_version: Generated<number>;
      created_by: string;
      updated_by: string;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
    catalog_scenario_member: {
      scenario_id: string;
      position: number;
      basic_item_id: string;
      note: Generated<string>;
    };
  }
}

export type ScenarioRow = Selectable<Database['catalog_scenario']>;
export interface MemberRow {
  position: number;
  basicItemId: string;
  note: string;
}

export interface ScenarioFields {
  code: string;
  regionCode: string;
  name: string;
  audience: Audience;
  theme: string;
  description: string;
  status: ScenarioStatus;
}

export async function findByCode(db: Queryable, code: string, forUpdate = false): Promise<ScenarioRow | null> {
  let q = db.selectFrom('catalog_scenario').selectAll().where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function list(db: Queryable, filter: { status?: ScenarioStatus; audience?: Audience }): Promise<ScenarioRow[]> {
  let q = db.selectFrom('catalog_scenario').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.audience) q = q.where('audience', '=', filter.audience);
  return q.orderBy('audience', 'desc').orderBy('code').limit(500).execute();
}

export async function members(db: Queryable, scenarioIds: string[]): Promise<Map<string, MemberRow[]>> {
  const out = new Map<string, MemberRow[]>(scenarioIds.map((id) => [id, []]));
  if (!scenarioIds.length) return out;
  const rows = await db.selectFrom('catalog_scenario_member').selectAll().where('scenario_id', 'in', scenarioIds).orderBy('position').execute();
  for (const r of rows) out.get(r.scenario_id)?.push({ position: r.position, basicItemId: r.basic_item_id, note: r.note });
  return out;
}

export async function insert(db: Queryable, f: ScenarioFields, author: string): Promise<ScenarioRow> {
  return db
    .insertInto('catalog_scenario')
    .values({ code: f.code, region_code: f.regionCode, name: f.name, audience: f.audience, theme: f.theme, description: f.description, status: f.status, created_by: author, updated_by: author })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function update(db: Queryable, id: string, f: Omit<ScenarioFields, 'code' | 'regionCode'>, author: string): Promise<ScenarioRow> {
  return db
    .updateTable('catalog_scenario')
    .set((eb) => ({ name: f.name, audience: f.audience, theme: f.theme, description: f.description, status: f.status, updated_by: author, updated_at: new Date(), lock_version: eb('lock_version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the member list (inside the caller's transaction). */
export async function replaceMembers(db: Queryable, scenarioId: string, list: { basicItemId: string; note: string }[]): Promise<void> {
  await db.deleteFrom('catalog_scenario_member').where('scenario_id', '=', scenarioId).execute();
  if (!list.length) return;
  await db
    .insertInto('catalog_scenario_member')
    .values(list.map((m, i) => ({ scenario_id: scenarioId, position: i + 1, basic_item_id: m.basicItemId, note: m.note })))
    .execute();
}
