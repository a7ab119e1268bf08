// Read queries of the staff workbench (queue, my tasks, the deadline dashboard). Every list
// is bounded by a region range and, for staff bound to one, an organisation, so the
// (region_code, org_id, state, due_on) index of service_case carries them at 100k cases.
import { sql } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import { regionPrefix } from '../../../platform/region-code.ts';
import type { CaseState } from '../state-machine.ts';
import type { CaseRow, CaseEventRow, CaseMaterialRow } from '../store.ts';

export interface Scope {
  /** The staff member's region: cases of it and every region inside it. */
  regionCode: string;
  /** Staff bound to one organisation see only its cases; null: every organisation of the region. */
  orgId: string | null;
}

export interface ListFilter extends Scope {
  states: CaseState[];
  /** Implementation code (exact or prefix) or words of the item's name. */
  item?: string;
  channel?: number;
  /** My tasks: only cases whose current back-office step is for one of these roles. */
  stepRoles?: string[];
  order: 'oldest' | 'due';
  limit: number;
  offset: number;
}

/**
 * Region codes are digit strings, so "inside region P" is the range [P, P+1) — a plain
 * btree range any collation orders the same way, where LIKE 'P%' needs a C-collated index.
 */
export function regionRange(regionCode: string): { from: string; to: string } | null {
  const p = regionPrefix(regionCode);
  if (!p) return null;
  const next = (BigInt(p) + 1n).toString().padStart(p.length, '0');
  return { from: p, to: next };
}

function scoped(db: Queryable, s: Scope) {
  let q = db.selectFrom('service_case');
  const range = regionRange(s.regionCode);
  if (range) q = q.where('region_code', '>=', range.from).where('region_code', '<', range.to);
  if (s.orgId) q = q.where('org_id', '=', s.orgId);
  return q;
}

function filtered(db: Queryable, f: ListFilter) {
  let q = scoped(db, f).where('state', 'in', f.states);
  if (f.channel) q = q.where('channel', '=', f.channel);
  const item = f.item?.trim();
  if (item) {
    q = /^[0-9A-Z-]{4,}$/i.test(item)
      ? q.where('implementation_code', 'like', `${item.replace(/[%_\\]/g, '')}%`)
      : q.where('item_name', 'like', `%${item.replace(/[%_\\]/g, '')}%`);
  }
  // The current step is steps[step]; its role says who works on it.
  if (f.stepRoles) q = q.where(sql<string>`steps -> step ->> 'role'`, 'in', f.stepRoles.length ? f.stepRoles : ['-']);
  return q;
}

export async function listCases(db: Queryable, f: ListFilter): Promise<{ rows: CaseRow[]; total: number }> {
  const base = filtered(db, f);
  const ordered =
    f.order === 'oldest'
      ? base.selectAll().orderBy('submitted_at').orderBy('id')
      : base.selectAll().orderBy(sql`due_on nulls last`).orderBy('submitted_at').orderBy('id');
  const [rows, count] = await Promise.all([
    ordered.limit(f.limit).offset(f.offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/**
 * Cases under review counted per organisation, region and due date. The light of a case
 * depends only on its region's calendar and its due date, so the caller colours each group
 * once: a few hundred groups instead of one calendar lookup per case.
 */
export async function dueGroups(db: Queryable, s: Scope): Promise<{ orgId: string; regionCode: string; dueOn: string | null; n: number }[]> {
  const rows = await scoped(db, s)
    .where('state', '=', 'in_review')
    .select(['org_id', 'region_code', 'due_on', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['org_id', 'region_code', 'due_on'])
    .execute();
  return rows.map((r) => ({ orgId: r.org_id, regionCode: r.region_code, dueOn: r.due_on === null ? null : dateText(r.due_on), n: Number(r.n) }));
}

/** Suspended cases (clock stopped) per organisation, shown beside the lights. */
export async function suspendedCounts(db: Queryable, s: Scope): Promise<Map<string, number>> {
  const rows = await scoped(db, s)
    .where('state', '=', 'suspended')
    .select(['org_id', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('org_id')
    .execute();
  return new Map(rows.map((r) => [r.org_id, Number(r.n)]));
}

/** Cases under review past their promised date, most overdue first. */
export async function overdue(db: Queryable, s: Scope, today: string, limit: number): Promise<CaseRow[]> {
  return scoped(db, s).where('state', '=', 'in_review').where('due_on', '<', today).selectAll().orderBy('due_on').orderBy('id').limit(limit).execute();
}

export async function findMaterial(db: Queryable, caseId: string, materialRowId: string): Promise<CaseMaterialRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(materialRowId)) return null;
  return (await db.selectFrom('case_material').selectAll().where('id', '=', materialRowId).where('case_id', '=', caseId).executeTakeFirst()) ?? null;
}

export async function findEvent(db: Queryable, caseId: string, eventId: string): Promise<CaseEventRow | null> {
  if (!/^\d{1,18}$/.test(eventId)) return null;
  return (await db.selectFrom('case_event').selectAll().where('id', '=', eventId).where('case_id', '=', caseId).executeTakeFirst()) ?? null;
}

/** The driver may hand a date column back as a Date (pg) or text; the workbench speaks YYYY-MM-DD. */
export function dateText(v: unknown): string {
  if (v instanceof Date) return new Date(v.getTime() - v.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
