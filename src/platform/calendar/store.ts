// The only code that touches the calendar tables (migrations 0001 and 0004).
import { sql, type Generated } from 'kysely';
import type { Queryable } from '../db/database.ts';
import type { CalendarData, DayKind, OfficialDay, Override } from './rules.ts';

declare module '../db/database.ts' {
  interface Database {
    calendar_day: { day: string; kind: DayKind; name: string; source: string };
    calendar_year: { year: number; source: string; loaded_at: Generated<Date> };
    calendar_override: {
      id: Generated<number>;
      day: string;
      kind: DayKind;
      region_code: string;
      reason: string;
      created_by: string;
      created_at: Generated<Date>;
    };
    calendar_state: { id: Generated<boolean>; version: number };
  }
}

export interface LoadedYear {
  year: number;
  source: string;
  loadedAt: string;
}

export async function readVersion(db: Queryable): Promise<number> {
  const row = await db.selectFrom('calendar_state').select('version').executeTakeFirstOrThrow();
  return Number(row.version);
}

/**
 * Takes the calendar's row lock for the rest of the transaction and bumps the version, so
 * concurrent changes queue up and every process sees that its copy is stale.
 */
export async function lockAndBump(tx: Queryable): Promise<number> {
  const row = await tx
    .updateTable('calendar_state')
    .set({ version: sql`version + 1` })
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

const overrideColumns = ['id', 'day', 'kind', 'region_code', 'reason', 'created_by', 'created_at'] as const;

function toOverride(r: { id: number; day: string; kind: DayKind; region_code: string; reason: string; created_by: string; created_at: Date }): Override {
  return { id: Number(r.id), date: r.day, kind: r.kind, regionCode: r.region_code, reason: r.reason, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString() };
}

/** Everything a Calendar snapshot needs: a few hundred small rows per loaded decade. */
export async function readAll(db: Queryable): Promise<CalendarData> {
  const [years, days, overrides] = await Promise.all([
    db.selectFrom('calendar_year').select('year').execute(),
    db.selectFrom('calendar_day').select(['day', 'kind', 'name']).execute(),
    db.selectFrom('calendar_override').select(overrideColumns).execute(),
  ]);
  return {
    years: years.map((y) => Number(y.year)),
    days: days.map((d) => ({ date: d.day, kind: d.kind, name: d.name })),
    overrides: overrides.map(toOverride),
  };
}

export async function listYears(db: Queryable): Promise<LoadedYear[]> {
  const rows = await db.selectFrom('calendar_year').select(['year', 'source', 'loaded_at']).orderBy('year').execute();
  return rows.map((r) => ({ year: Number(r.year), source: r.source, loadedAt: new Date(r.loaded_at).toISOString() }));
}

/**
 * Replaces one year's official days. Only rows of `year` that came from its previous
 * source are removed: a December make-up day loaded with the next year's notice stays.
 */
export async function replaceYear(tx: Queryable, year: number, source: string, days: OfficialDay[]): Promise<void> {
  const previous = await tx.selectFrom('calendar_year').select('source').where('year', '=', year).executeTakeFirst();
  if (previous) {
    await tx
      .deleteFrom('calendar_day')
      .where('day', '>=', `${year}-01-01`)
      .where('day', '<=', `${year}-12-31`)
      .where('source', '=', previous.source)
      .execute();
  }
  if (days.length > 0) {
    await tx
      .insertInto('calendar_day')
      .values(days.map((d) => ({ day: d.date, kind: d.kind, name: d.name, source })))
      .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), name: eb.ref('excluded.name'), source: eb.ref('excluded.source') })))
      .execute();
  }
  await tx
    .insertInto('calendar_year')
    .values({ year, source })
    .onConflict((oc) => oc.column('year').doUpdateSet({ source, loaded_at: new Date() }))
    .execute();
}

export async function listOverrides(db: Queryable, range: { from?: string; to?: string }): Promise<Override[]> {
  let q = db.selectFrom('calendar_override').select(overrideColumns).orderBy('day').orderBy('region_code');
  if (range.from) q = q.where('day', '>=', range.from);
  if (range.to) q = q.where('day', '<=', range.to);
  return (await q.limit(5000).execute()).map(toOverride);
}

export async function findOverride(db: Queryable, id: number): Promise<Override | null> {
  const row = await db.selectFrom('calendar_override').select(overrideColumns).where('id', '=', id).executeTakeFirst();
  return row ? toOverride(row) : null;
}

/** Null when the region already has an override on that day (unique (day, region_code)). */
export async function insertOverride(tx: Queryable, o: { date: string; kind: DayKind; regionCode: string; reason: string; createdBy: string }): Promise<Override | null> {
  const row = await tx
    .insertInto('calendar_override')
    .values({ day: o.date, kind: o.kind, region_code: o.regionCode, reason: o.reason, created_by: o.createdBy })
    .onConflict((oc) => oc.columns(['day', 'region_code']).doNothing())
    .returning(overrideColumns)
    .executeTakeFirst();
  return row ? toOverride(row) : null;
}

export async function deleteOverride(tx: Queryable, id: number): Promise<Override | null> {
  const row = await tx.deleteFrom('calendar_override').where('id', '=', id).returning(overrideColumns).executeTakeFirst();
  return row ? toOverride(row) : null;
}
