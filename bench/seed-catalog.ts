// Fills a benchmark database before the app starts: migrations, reference data and the demo
// catalogue exactly as start-up does (preparePlatform), then BENCH_CATALOG_SIZE synthetic
// published implementations with their search documents, so search and guides are measured
// against a province-sized catalogue (Jiangsu publishes on the order of 100,000).
//
// The synthetic rows are clones of the published demo implementations in other counties and
// towns, each under the matching department, with its own sequence and implementation code.
// They keep their item's name, keywords and sub-items: 三级四同 requires an implementation to
// carry its basic item's name, so a catalogue of real size repeats each name about a thousand
// times. That is what a search for 食品经营许可 has to rank, not a vocabulary of made-up names.
//
// Speed: the lifecycle (validation, versions, audit, one search document per publication)
// takes tens of milliseconds per implementation, hours for 100,000. So the clones are written
// with a few set-based INSERT … SELECTs per batch, copying the source's content (with region,
// department and sequence replaced) and its search document, terms and tsvector included:
// those depend only on name, keywords and sub-items, which a clone shares with its source.
// Audit records and events are skipped: this is load-test data, not a catalogue history.
//
// Run by bench/run.ts as a child process (PGlite belongs to one process, so the database is
// closed before the app opens it), with the app's environment plus BENCH_CATALOG_SIZE; the
// last stdout line is `BENCH_SEED {json}` (a CatalogSeed). Also usable by hand:
//   DATA_DIR=/tmp/x BENCH_CATALOG_SIZE=2000 node bench/seed-catalog.ts
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import { inTransaction, sql, type Db } from '../src/platform/db/database.ts';
import { openPlatformDatabase, preparePlatform } from '../src/server.ts';
import { implementationCode } from '../src/modules/catalog/index.ts';
import { departmentFor, MAX_SOURCES, planProblem, plannedRow, type Department } from './catalog-plan.ts';
import { printIdentitySeed, seedIdentity } from './seed-identity.ts';
import { benchSettings, round, SEED_PREFIX, type CatalogSeed } from './stats.ts';

const BATCH = 5_000;

interface Source {
  id: string;
  basic_code: string;
  department_type: string;
  region_code: string;
  name: string;
}

async function sources(db: Db): Promise<Source[]> {
  const r = await sql<Source>`
    select e.id, v.content->>'basicCode' as basic_code, d.department_type, e.region_code, d.name
    from catalog_entry e
    join catalog_search_doc d on d.entry_id = e.id
    join catalog_version v on v.entry_id = e.id and v.version = e.published_version
    where e.kind = 'implementation' and e.status = 'published'
    order by e.code`.execute(db);
  return r.rows;
}

/** Counties and towns of the province, in code order (the plan indexes into this list). */
async function targetRegions(db: Db, provinceCode: string): Promise<string[]> {
  const r = await sql<{ code: string }>`
    select code from region where code like ${provinceCode.slice(0, 2) + '%'} and level in (3, 4) order by code`.execute(db);
  return r.rows.map((x) => x.code);
}

async function departments(db: Db, provinceCode: string): Promise<Map<string, Department>> {
  const r = await sql<{ id: string; region_code: string; department_type: string; credit_code: string | null }>`
    select id, region_code, department_type, credit_code from organisation
    where department_type is not null and region_code like ${provinceCode.slice(0, 2) + '%'}
    order by region_code, name`.execute(db);
  const out = new Map<string, Department>();
  for (const o of r.rows) {
    const key = `${o.region_code}:${o.department_type}`;
    if (!out.has(key)) out.set(key, { id: o.id, creditCode: o.credit_code });
  }
  return out;
}

interface Row {
  id: string;
  src: string;
  code: string;
  region: string;
  org: string;
  seq: number;
}

/** One batch: entries, their published versions and their search documents, in one transaction. */
async function insertBatch(db: Db, rows: Row[]): Promise<void> {
  // One JSON parameter instead of six arrays: the same on PGlite and node-postgres.
  const batch = sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as b(id uuid, src uuid, code text, region text, org uuid, seq int)`;
  await inTransaction(db, async (tx) => {
    await sql`
      insert into catalog_entry (id, kind, code, region_code, org_id, basic_item_id, status, published_version, working_version)
      select b.id, 'implementation', b.code, b.region, b.org, s.basic_item_id, 'published', 1, 1
      from ${batch} join catalog_entry s on s.id = b.src`.execute(tx);
    await sql`
      insert into catalog_version (entry_id, version, content, state, author_id, decided_by, decided_at, decision_note)
      select b.id, 1, v.content || jsonb_build_object('regionCode', b.region, 'orgId', b.org, 'sequence', b.seq),
             'published', 'bench', 'bench', now(), 'bench/seed-catalog.ts'
      from ${batch} join catalog_entry s on s.id = b.src
      join catalog_version v on v.entry_id = s.id and v.version = s.published_version`.execute(tx);
    await sql`
      insert into catalog_search_doc (entry_id, basic_item_id, region_code, org_id, department_type, item_type, audience, themes,
                                      visits, online, name, keywords, terms, tokens)
      select b.id, d.basic_item_id, b.region, b.org, d.department_type, d.item_type, d.audience, d.themes,
             d.visits, d.online, d.name, d.keywords, d.terms, d.tokens
      from ${batch} join catalog_search_doc d on d.entry_id = b.src`.execute(tx);
  });
}

/** Adds `size` synthetic published implementations; returns the clone sources used. */
export async function seedSynthetic(db: Db, provinceCode: string, size: number, progress: (done: number) => void = () => undefined): Promise<Source[]> {
  const all = await sources(db);
  const used = all.slice(0, MAX_SOURCES);
  const regions = await targetRegions(db, provinceCode);
  const problem = planProblem(size, used.length, regions.length);
  if (problem) throw new Error(`cannot seed ${size} implementations: ${problem}`);
  const depts = await departments(db, provinceCode);
  for (let start = 0; start < size; start += BATCH) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(size, start + BATCH); i++) {
      const p = plannedRow(i, used.length, regions.length);
      const src = used[p.source]!;
      const region = regions[p.region]!;
      const dept = departmentFor(region, src.department_type, depts);
      if (!dept) throw new Error(`no ${src.department_type} department for ${region} or above`);
      const code = implementationCode({ basicCode: src.basic_code, regionCode: region, sequence: p.sequence, creditCode: dept.creditCode ?? '000000000000000000' });
      rows.push({ id: randomUUID(), src: src.id, code, region, org: dept.id, seq: p.sequence });
    }
    await insertBatch(db, rows);
    progress(start + rows.length);
  }
  // Search nodes reload their term dictionary when the generation moves.
  await sql`update catalog_search_meta set generation = generation + 1 where id = 1`.execute(db);
  return all;
}

async function main(): Promise<void> {
  const size = benchSettings(process.env).catalogSize;
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  let started = Date.now();
  const database = await openPlatformDatabase(config, log);
  try {
    await preparePlatform(config, database, log);
    const prepareSeconds = round((Date.now() - started) / 1000, 1);
    started = Date.now();
    const all = await seedSynthetic(database.db, config.nodeRegionCode, size, (done) => {
      if (done % 20_000 === 0 || done === size) console.error(`# seeded ${done}/${size} (${round((Date.now() - started) / 1000, 1)} s)`);
    });
    const seedSeconds = round((Date.now() - started) / 1000, 1);
    const docs = await sql<{ n: number }>`select count(*)::int as n from catalog_search_doc`.execute(database.db);
    // The guide measured: a 南京 玄武区 food licence if the demo has one, else the first item.
    const guide = all.find((s) => s.region_code === '320102' && s.name.includes('食品经营许可')) ?? all[0];
    if (!guide) throw new Error('no published implementation for the guide endpoints');
    const seed: CatalogSeed = {
      demoImplementations: all.length,
      syntheticImplementations: size,
      searchDocuments: Number(docs.rows[0]!.n),
      prepareSeconds,
      seedSeconds,
      guideId: guide.id,
    };
    printIdentitySeed(await seedIdentity(database.db, config));
    console.log(SEED_PREFIX + JSON.stringify(seed));
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
