// The only code that touches the region and organisation tables.
import type { Generated } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import type { RegionLevel } from '../../platform/region-code.ts';

declare module '../../platform/db/database.ts' {
  interface Database {
    region: { code: string; name: string; level: RegionLevel; parent_code: string | null; functional_zone: boolean; vintage: string };
    region_dataset: { id: string; vintage: string; source: string; regions: number; loaded_at: Generated<Date> };
    organisation: {
      id: Generated<string>;
      region_code: string;
      name: string;
      short_name: string | null;
      credit_code: string | null;
      kind: 'government' | 'department' | 'hall' | 'service_point';
      parent_id: string | null;
      department_type: string | null;
      created_at: Generated<Date>;
    };
  }
}

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  functionalZone: boolean;
}

export interface OrganisationRow {
  id: string;
  regionCode: string;
  name: string;
  shortName: string | null;
  creditCode: string | null;
  kind: 'government' | 'department' | 'hall' | 'service_point';
  parentId: string | null;
  /** 公安, 市场监管 … as a catalogue department-type code; null for halls and governments. */
  departmentType: string | null;
}

const regionColumns = ['code', 'name', 'level', 'parent_code', 'functional_zone'] as const;

function toRegion(r: { code: string; name: string; level: RegionLevel; parent_code: string | null; functional_zone: boolean }): RegionRow {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, functionalZone: r.functional_zone };
}

export async function findRegion(db: Queryable, code: string): Promise<RegionRow | null> {
  const row = await db.selectFrom('region').select(regionColumns).where('code', '=', code).executeTakeFirst();
  return row ? toRegion(row) : null;
}

/** Children of a region, or the provinces when `code` is null. */
export async function listChildren(db: Queryable, code: string | null): Promise<RegionRow[]> {
  let q = db.selectFrom('region').select(regionColumns).orderBy('code');
  q = code === null ? q.where('parent_code', 'is', null) : q.where('parent_code', '=', code);
  return (await q.execute()).map(toRegion);
}

/** The region and its ancestors, province first. */
export async function listAncestry(db: Queryable, codes: string[]): Promise<RegionRow[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('region').select(regionColumns).where('code', 'in', codes).execute();
  return rows.map(toRegion).sort((a, b) => a.level - b.level);
}

export async function currentDataset(db: Queryable): Promise<{ id: string; vintage: string; source: string; regions: number } | null> {
  return (await db.selectFrom('region_dataset').select(['id', 'vintage', 'source', 'regions']).orderBy('loaded_at', 'desc').executeTakeFirst()) ?? null;
}

export interface NewRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  functional_zone: boolean;
  vintage: string;
}

/** Upserts regions in batches (parents must precede children in `rows`). */
export async function upsertRegions(db: Queryable, rows: NewRegion[], batch = 2000): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    await db
      .insertInto('region')
      .values(rows.slice(i, i + batch))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          level: eb.ref('excluded.level'),
          parent_code: eb.ref('excluded.parent_code'),
          functional_zone: eb.ref('excluded.functional_zone'),
          vintage: eb.ref('excluded.vintage'),
        })),
      )
      .execute();
  }
}

export async function recordDataset(db: Queryable, d: { id: string; vintage: string; source: string; regions: number }): Promise<void> {
  await db
    .insertInto('region_dataset')
    .values(d)
    .onConflict((oc) => oc.column('id').doUpdateSet({ vintage: d.vintage, source: d.source, regions: d.regions, loaded_at: new Date() }))
    .execute();
}

const orgColumns = ['id', 'region_code', 'name', 'short_name', 'credit_code', 'kind', 'parent_id', 'department_type'] as const;

function toOrg(r: { id: string; region_code: string; name: string; short_name: string | null; credit_code: string | null; kind: OrganisationRow['kind']; parent_id: string | null; department_type: string | null }): OrganisationRow {
  return { id: r.id, regionCode: r.region_code, name: r.name, shortName: r.short_name, creditCode: r.credit_code, kind: r.kind, parentId: r.parent_id, departmentType: r.department_type };
}

export async function listOrganisations(db: Queryable, regionCode: string): Promise<OrganisationRow[]> {
  return (await db.selectFrom('organisation').select(orgColumns).where('region_code', '=', regionCode).orderBy('name').execute()).map(toOrg);
}

export async function findOrganisation(db: Queryable, id: string): Promise<OrganisationRow | null> {
  const row = await db.selectFrom('organisation').select(orgColumns).where('id', '=', id).executeTakeFirst();
  return row ? toOrg(row) : null;
}

export async function insertOrganisation(db: Queryable, org: Omit<OrganisationRow, 'id'>): Promise<OrganisationRow> {
  const row = await db
    .insertInto('organisation')
    .values({ region_code: org.regionCode, name: org.name, short_name: org.shortName, credit_code: org.creditCode, kind: org.kind, parent_id: org.parentId, department_type: org.departmentType })
    .returning(orgColumns)
    .executeTakeFirstOrThrow();
  return toOrg(row);
}

export async function countOrganisations(db: Db): Promise<number> {
  const r = await db.selectFrom('organisation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
