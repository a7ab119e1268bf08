// The only code that touches the search tables (migrations/0008_catalog_search.sql).
import { sql, type Generated, type RawBuilder } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';

declare module '../../../platform/db/database.ts' {
  interface Database {
    catalog_search_doc: {
      entry_id: string;
      basic_item_id: string;
      region_code: string;
      org_id: string | null;
      department_type: string;
      item_type: string;
      audience: string[];
      themes: string[];
      visits: number;
      online: boolean;
      name: string;
      keywords: string[];
      terms: string;
      tokens: string;
      indexed_at: Generated<Date>;
    };
    catalog_search_popularity: { entry_id: string; hits: number };
    catalog_search_synonym: { id: Generated<number>; phrase: string; terms: string[]; created_by: string; created_at: Generated<Date> };
    catalog_search_log: { id: Generated<number>; query: string; normalised: string; region_code: string | null; result_count: number; created_at: Generated<Date> };
    catalog_search_meta: { id: number; generation: number };
  }
}

export interface SearchDoc {
  entryId: string;
  basicItemId: string;
  regionCode: string;
  orgId: string | null;
  departmentType: string;
  itemType: string;
  audience: string[];
  themes: string[];
  visits: number;
  online: boolean;
  name: string;
  keywords: string[];
  terms: string[];
}

export async function upsertDoc(db: Queryable, d: SearchDoc): Promise<void> {
  const terms = d.terms.join(' ');
  const row = {
    basic_item_id: d.basicItemId,
    region_code: d.regionCode,
    org_id: d.orgId,
    department_type: d.departmentType,
    item_type: d.itemType,
    audience: d.audience,
    themes: d.themes,
    visits: d.visits,
    online: d.online,
    name: d.name,
    keywords: d.keywords,
    terms,
    tokens: sql<string>`to_tsvector('simple', ${terms})`,
    indexed_at: new Date(),
  };
  await db
    .insertInto('catalog_search_doc')
    .values({ entry_id: d.entryId, ...row })
    .onConflict((oc) => oc.column('entry_id').doUpdateSet(row))
    .execute();
}

export async function deleteDoc(db: Queryable, entryId: string): Promise<void> {
  await db.deleteFrom('catalog_search_doc').where('entry_id', '=', entryId).execute();
}

export async function deleteAllDocs(db: Queryable): Promise<void> {
  await db.deleteFrom('catalog_search_doc').execute();
}

export async function bumpGeneration(db: Queryable): Promise<void> {
  await db.updateTable('catalog_search_meta').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
}

export async function generation(db: Queryable): Promise<number> {
  const r = await db.selectFrom('catalog_search_meta').select('generation').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(r.generation);
}

/** Every indexed lexeme with its document count (a full pass; only on a generation change). */
export async function termStats(db: Queryable): Promise<[string, number][]> {
  const r = await sql<{ word: string; ndoc: number }>`select word, ndoc from ts_stat('select tokens from catalog_search_doc')`.execute(db);
  return r.rows.map((x) => [x.word, Number(x.ndoc)]);
}

export async function listSynonyms(db: Queryable): Promise<{ id: number; phrase: string; terms: string[]; createdBy: string; createdAt: Date }[]> {
  const rows = await db.selectFrom('catalog_search_synonym').selectAll().orderBy('phrase').execute();
  return rows.map((r) => ({ id: Number(r.id), phrase: r.phrase, terms: r.terms, createdBy: r.created_by, createdAt: r.created_at }));
}

export async function findSynonym(db: Queryable, by: { id?: number; phrase?: string }) {
  let q = db.selectFrom('catalog_search_synonym').selectAll();
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.phrase !== undefined) q = q.where('phrase', '=', by.phrase);
  return (await q.executeTakeFirst()) ?? null;
}

export async function insertSynonym(db: Queryable, s: { phrase: string; terms: string[]; createdBy: string }): Promise<number> {
  const r = await db.insertInto('catalog_search_synonym').values({ phrase: s.phrase, terms: s.terms, created_by: s.createdBy }).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function deleteSynonym(db: Queryable, id: number): Promise<void> {
  await db.deleteFrom('catalog_search_synonym').where('id', '=', id).execute();
}

export interface DocFilter {
  regionCodes?: string[];
  departmentType?: string;
  audience?: string;
  theme?: string;
  noVisit?: boolean;
}

export interface Hit {
  entry_id: string;
  name: string;
  region_code: string;
  org_id: string | null;
  visits: number;
  online: boolean;
  item_type: string;
  department_type: string;
  keywords: string[];
  rank: number;
  hits: number;
  total: number;
}

/**
 * One page of matches, best first: ts_rank, then popularity, then name. The `@@` condition
 * is what the GIN index serves; the filters narrow its bitmap.
 */
function searchSql(tsquery: string | null, f: DocFilter, limit: number, offset: number): RawBuilder<Hit> {
  const where: RawBuilder<unknown>[] = [];
  if (tsquery !== null) where.push(sql`d.tokens @@ q.q`);
  if (f.regionCodes) where.push(sql`d.region_code in (${sql.join(f.regionCodes)})`);
  if (f.departmentType) where.push(sql`d.department_type = ${f.departmentType}`);
  if (f.audience) where.push(sql`${f.audience} = any(d.audience)`);
  if (f.theme) where.push(sql`${f.theme} = any(d.themes)`);
  if (f.noVisit) where.push(sql`d.visits = 0`);
  const query = tsquery === null ? sql`(select null::tsquery as q)` : sql`(select to_tsquery('simple', ${tsquery}) as q)`;
  return sql<Hit>`
    select d.entry_id, d.name, d.region_code, d.org_id, d.visits, d.online, d.item_type, d.department_type, d.keywords,
           ${tsquery === null ? sql`0::real` : sql`ts_rank(d.tokens, q.q)`} as rank,
           coalesce(p.hits, 0) as hits, count(*) over () as total
    from catalog_search_doc d
    cross join ${query} q
    left join catalog_search_popularity p on p.entry_id = d.entry_id
    ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
    order by rank desc, hits desc, d.name, d.region_code
    limit ${limit} offset ${offset}`;
}

export async function searchDocs(db: Queryable, tsquery: string | null, f: DocFilter, limit: number, offset: number): Promise<Hit[]> {
  const r = await searchSql(tsquery, f, limit, offset).execute(db);
  return r.rows.map((h) => ({ ...h, rank: Number(h.rank), hits: Number(h.hits), total: Number(h.total) }));
}

/** The plan of the search query itself, for tests that prove the GIN index serves it. */
export async function explainSearch(db: Queryable, tsquery: string, f: DocFilter = {}): Promise<string> {
  const r = await sql<{ 'QUERY PLAN': string }>`explain ${searchSql(tsquery, f, 10, 0)}`.execute(db);
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}

export async function addHit(db: Queryable, entryId: string): Promise<void> {
  await sql`insert into catalog_search_popularity (entry_id, hits) values (${entryId}, 1)
            on conflict (entry_id) do update set hits = catalog_search_popularity.hits + 1`.execute(db);
}

export async function insertLog(db: Queryable, l: { query: string; normalised: string; regionCode: string | null; resultCount: number }): Promise<void> {
  await db.insertInto('catalog_search_log').values({ query: l.query, normalised: l.normalised, region_code: l.regionCode, result_count: l.resultCount }).execute();
}

export async function topQueries(db: Queryable, days: number, zeroOnly: boolean, limit: number): Promise<{ query: string; count: number; zero: number }[]> {
  const r = await sql<{ query: string; count: number; zero: number }>`
    select normalised as query, count(*) as count, sum(case when result_count = 0 then 1 else 0 end) as zero
    from catalog_search_log
    where created_at > now() - make_interval(days => ${days}) and normalised <> ''
      ${zeroOnly ? sql`and result_count = 0` : sql``}
    group by normalised order by count desc, normalised limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ query: x.query, count: Number(x.count), zero: Number(x.zero) }));
}

/** Searches and zero-result searches per day (China time: UTC+8 all year, no DST). */
export async function dailyCounts(db: Queryable, days: number): Promise<{ day: string; searches: number; zero: number }[]> {
  const r = await sql<{ day: string; searches: number; zero: number }>`
    select to_char((created_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD') as day, count(*) as searches,
           sum(case when result_count = 0 then 1 else 0 end) as zero
    from catalog_search_log
    where created_at > now() - make_interval(days => ${days})
    group by 1 order by 1`.execute(db);
  return r.rows.map((x) => ({ day: x.day, searches: Number(x.searches), zero: Number(x.zero) }));
}
