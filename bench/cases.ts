// The case benchmarks of `npm run bench`, run in-process against one database (a child
// process per backend, with the app stopped: PGlite belongs to one process).
//
// 1. Submissions per second: CaseService.submit with a valid form and one small PDF material
//    (checked and stored content-addressed first, as an upload is), i.e. validation, the
//    case-number serial, the case, material and event rows, the audit chain and the outbox
//    event in one transaction — against a bare single-row INSERT loop on the same database,
//    measured right before it. The ratio says what the rules and the trail cost.
// 2. Workbench list latency with BENCH_CASES_TOTAL (default 100,000) cases: the cases are
//    generated set-based (INSERT … SELECT generate_series) across the province's counties and
//    states, then the staff workbench's queue and task queries run repeatedly for a Nanjing
//    clerk and approver; p50/p99 are reported against a primary-key lookup on the same table.
//
// Last stdout line: `BENCH_CASES {json}`. By hand:
//   DATA_DIR=/tmp/x BENCH_DURATION=5 node bench/cases.ts
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import { sql, type Db } from '../src/platform/db/database.ts';
import { openPlatformDatabase, preparePlatform } from '../src/server.ts';
import { checkUpload, fileStoreFromConfig } from '../src/platform/files/index.ts';
import type { Actor } from '../src/platform/http/access.ts';
import type { AppContext } from '../src/platform/module.ts';
import { caseServiceFor } from '../src/modules/cases/index.ts';
import { unavailableVerifiers } from '../src/modules/identity/index.ts';
import { foodLicenceImplementation, publishedFoodLicence } from '../test/support/catalog-fixtures.ts';
import { seedCitizen } from '../test/support/people.ts';
import { CASES_PREFIX, percentile, round, type CasesFigures } from './stats.ts';
import { buildApp } from '../src/app.ts';
import { Browser } from '../test/support/platform.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';


const durationMs = Number(process.env.BENCH_DURATION ?? 10) * 1000;
const TOTAL = Number(process.env.BENCH_CASES_TOTAL ?? 100_000);
const RUNS = Number(process.env.BENCH_CASES_RUNS ?? 200);
const note = (msg: string) => console.error(`# cases: ${msg}`);

async function loop(fn: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < durationMs) await fn(n++);
  return n / ((performance.now() - started) / 1000);
}

async function timed(runs: number, fn: () => Promise<number>): Promise<{ p50Ms: number; p99Ms: number; rows: number; runs: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    rows = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(percentile(times, 50)!, 2), p99Ms: round(percentile(times, 99)!, 2), rows, runs };
}

/** Cases across Jiangsu's counties, in every state, due dates spread over ±30 days. */
async function generateCases(db: Db, template: { id: string }, total: number): Promise<void> {
  const batch = 20_000;
  for (let done = 0; done < total; done += batch) {
    const n = Math.min(batch, total - done);
    await sql`
      insert into service_case (case_number, implementation_id, implementation_version, implementation_code, item_name, org_id,
        region_code, channel, applicant_kind, applicant_id, applicant_name_sealed, phone_tail_hash, answers, state, steps,
        promised_days, legal_days, clock_started_on, due_on, legal_due_on, submitted_at, accepted_at)
      select 'B' || lpad((${done}::int + g)::text, 21, '0'), t.implementation_id, t.implementation_version, t.implementation_code,
        t.item_name, case when g % 4 = 0 then t.org_id else o.id end,
        case when g % 4 = 0 then t.region_code else o.region_code end, 1 + g % 3, t.applicant_kind, t.applicant_id,
        t.applicant_name_sealed, t.phone_tail_hash, t.answers,
        (array['submitted','in_review','in_review','in_review','suspended','approved','delivered','refused'])[1 + g % 8],
        t.steps, t.promised_days, t.legal_days, current_date - (g % 20), current_date + (g % 61) - 30,
        current_date + (g % 61) - 20, now() - make_interval(mins => g % 40000), now() - make_interval(mins => g % 30000)
      from generate_series(1, ${n}::int) g
      cross join (select * from service_case where id = ${template.id}) t
      cross join lateral (select id, region_code from organisation where region_code like '32%' and department_type is not null
        order by id offset (g % 50) limit 1) o`.execute(db);
    note(`generated ${Math.min(done + batch, total)} / ${total} cases`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openPlatformDatabase(config, log);
  try {
    await preparePlatform(config, database, log);
    const db = database.db;
    const ctx: AppContext = { config, db, log, render: null as never, external: { identity: unavailableVerifiers() } };
    const { catalog, basicId, njOrg } = await publishedFoodLicence(db);
    const sys = { kind: 'system' as const, id: 'bench' };
    const impl = await catalog.createImplementation(foodLicenceImplementation(basicId, '320100', njOrg), sys);
    await catalog.submit(impl.id, sys);
    await catalog.approve(impl.id, sys);
    const person = await seedCitizen(ctx, { level: 2 });
    const actor: Actor = { kind: 'citizen', accountId: person.id, displayName: '张三', realNameLevel: 2, accountLevel: 2, sessionId: person.sessionId };
    const cases = caseServiceFor(ctx);
    const files = fileStoreFromConfig(config);

    await sql`create table if not exists bench_bare_insert (id bigint generated always as identity primary key, payload jsonb not null, created_at timestamptz not null default now())`.execute(db);
    const bare = await loop(async (i) => {
      await sql`insert into bench_bare_insert (payload) values (${JSON.stringify({ shopName: '知味小馆', i })})`.execute(db);
    });
    note(`bare single-row inserts: ${round(bare, 1)}/s`);
    let first: string | null = null;
    const submissions = await loop(async (i) => {
      const pdf = Buffer.from(`%PDF-1.4\n% bench ${i} ${randomUUID()}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
      const checked = checkUpload(pdf, '申请书.pdf', { maxBytes: config.files.maxUploadBytes });
      if (!checked.ok) throw new Error(checked.message);
      const stored = await files.put(pdf);
      const { view } = await cases.submit(actor, {
        implementationId: impl.id,
        answers: { shopName: `知味小馆${i}` },
        materials: [{ materialId: 'application', source: 'upload', fileHash: stored.sha256, mime: checked.mime, sizeBytes: stored.size, fileName: '申请书.pdf' }],
        channel: 'web',
        idempotencyKey: `bench-${i}-${randomUUID()}`,
      }, {});
      first ??= view.id;
    });
    note(`case submissions: ${round(submissions, 1)}/s`);

    const genStart = performance.now();
    await generateCases(db, { id: first! }, TOTAL);
    await sql`analyze service_case`.execute(db);
    const generateSeconds = round((performance.now() - genStart) / 1000, 1);
    const count = Number((await sql<{ n: string }>`select count(*) as n from service_case`.execute(db)).rows[0]!.n);
    // The workbench as staff see it: the pages (query, case views, rendering) over HTTP
    // inject, for the Nanjing approver; /healthz through the same app is the reference.
    const { app } = await buildApp({ config, db, logger: log, external: ctx.external });
    const staff = new Browser(app);
    await staff.login('nj-approver', DEMO_PASSWORD);
    const page = (url: string) => async () => {
      const res = await app.inject({ url, headers: { cookie: staff.cookieHeader, accept: url.startsWith('/staff') ? 'text/html' : 'application/json' } });
      if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode}`);
      return (res.body.match(/<tr/g) ?? []).length;
    };
    const workbench: CasesFigures['workbench'] = {};
    for (const [name, url] of [
      ['GET /healthz (reference)', '/healthz'],
      ['GET /staff/cases (intake queue)', '/staff/cases'],
      ['GET /staff/cases/tasks (my tasks)', '/staff/cases/tasks'],
      ['GET /staff/cases/tasks?page=20', '/staff/cases/tasks?page=20'],
      ['GET /staff/cases/dashboard', '/staff/cases/dashboard'],
    ] as const) {
      workbench[name] = await timed(RUNS, page(url));
      note(`${name}: p50 ${workbench[name].p50Ms} ms, p99 ${workbench[name].p99Ms} ms (${workbench[name].rows} table rows)`);
    }
    await app.close();
    const report: CasesFigures = {
      bareInsertsPerSecond: round(bare, 1),
      submissionsPerSecond: round(submissions, 1),
      ratioToBareInsert: bare > 0 ? round(submissions / bare, 3) : null,
      casesInTable: count,
      generateSeconds,
      workbench,
    };
    console.log(CASES_PREFIX + JSON.stringify(report));
  } finally {
    await database.close();
  }
}

await main();
