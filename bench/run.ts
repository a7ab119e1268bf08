// `npm run bench`: HTTP throughput of a few representative endpoints, on the embedded PGlite
// database and (when PostgreSQL binaries exist) on a throwaway PostgreSQL cluster, each as a
// ratio to a bare Fastify hello-world measured in the same run. The servers run as child
// processes, as in production; autocannon drives them from this process. Prints the report
// as JSON on stdout (progress goes to stderr), writes test-results/bench.json, and exits
// non-zero if any endpoint answered with an error: a benchmark of error pages is worthless.
// Before each app starts, bench/seed-catalog.ts fills its database: the demo catalogue plus
// BENCH_CATALOG_SIZE synthetic published implementations, for the search and guide endpoints.
// Settings: BENCH_DURATION, BENCH_WARMUP (seconds), BENCH_CONNECTIONS, BENCH_BACKENDS,
// BENCH_CATALOG_SIZE.
import autocannon from 'autocannon';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPgBin, freePort, startCluster } from '../scripts/postgres-cluster.ts';
import { identityEndpoints, parseIdentitySeed, type IdentitySeed } from './identity.ts';
import { measureSeals } from './seals.ts';
import { measureLicences } from './licences.ts';
import { installSignalCleanup, releaseAll, startChild, trackDir, trackSync, waitExit, waitReady, type Child } from './processes.ts';
import {
  benchSettings,
  CASES_PREFIX,
  catalogEndpoints,
  checkResponse,
  type CasesFigures,
  ENDPOINTS,
  failuresOf,
  latencyPercentiles,
  parseSeedOutput,
  round,
  summarize,
  type BackendName,
  type BackendReport,
  type BenchReport,
  type CatalogSeed,
  type Endpoint,
  type EndpointStats,
  type LoadResult,
} from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const settings = benchSettings(process.env);
const note = (msg: string) => console.error(`# ${msg}`);
// Start-up migrates, loads the region tree and demo data; on a busy 2-core machine that can
// take a while, so the limit is generous.
const READY_TIMEOUT_MS = 300_000;
// Seeding runs the demo catalogue through its lifecycle (≈ 30 s) and then the bulk inserts.
const SEED_TIMEOUT_MS = 900_000;

async function load(url: string, headers: Record<string, string>, endpoint?: Endpoint): Promise<LoadResult> {
  const { connections, durationSeconds, warmupSeconds } = settings;
  const { method, body, setupRequest, status: expected } = endpoint ?? {};
  const run = autocannon({
    url,
    headers,
    // autocannon refuses `method: undefined`; GET is its default.
    method: method ?? 'GET',
    body,
    ...(setupRequest ? { requests: [{ method, body, headers, setupRequest }] } : {}),
    connections,
    duration: durationSeconds,
    warmup: warmupSeconds > 0 ? { connections, duration: warmupSeconds } : undefined,
  });
  // Only the measured phase emits here (the warm-up has its own emitter); like autocannon,
  // count latencies of 2xx answers only.
  const times: number[] = [];
  run.on('response', (_client, status, _bytes, ms) => {
    if (expected !== undefined ? status === expected : status >= 200 && status < 300) times.push(ms);
  });
  const result = await run;
  // An endpoint whose proper answer is not 2xx (a login's 303): count the other answers instead.
  const non2xx = expected === undefined ? result.non2xx : Object.entries(result.statusCodeStats).reduce((n, [code, { count }]) => (Number(code) === expected ? n : n + count), 0);
  return { ...result, non2xx, latency: latencyPercentiles(times) ?? result.latency };
}

/** One request first: an endpoint that already fails is reported, not load-tested. */
async function preflight(base: string, endpoint: Endpoint): Promise<string | null> {
  try {
    const res = await fetch(base + endpoint.path, { method: endpoint.method, body: endpoint.body, headers: endpoint.headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    await res.body?.cancel();
    return checkResponse(endpoint, res.status, res.headers.get('content-type'));
  } catch (err) {
    return `request failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function line(name: string, s: EndpointStats): string {
  return `${name.padEnd(50)} ${String(s.requestsPerSecond).padStart(9)} req/s  p50 ${s.latencyP50Ms} ms  p99 ${s.latencyP99Ms} ms  non-2xx ${s.non2xx}  errors ${s.errors}  ratio ${s.ratioToBaseline ?? '-'}`;
}

interface RunningApp {
  child: Child;
  base: string;
}

/** The app's environment for one backend: production settings, throwaway secrets. */
function appEnv(dataDir: string, databaseUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // Empty selects PGlite even if the caller's shell has DATABASE_URL set.
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    // Production settings (template cache, no dev conveniences) are what is worth measuring;
    // production insists on https and explicit secrets, so the bench supplies throwaway ones.
    NODE_ENV: 'production',
    // As behind a deployment's TLS-terminating proxy: bench/identity.ts says x-forwarded-proto https.
    TRUST_PROXY: 'loopback',
    PUBLIC_URL: 'https://bench.yiwang.invalid',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(16).toString('hex'),
    BLIND_INDEX_KEY: randomBytes(32).toString('hex'),
    KEY_ENCRYPTION_KEY: randomBytes(16).toString('hex'),
    NODE_ROLE: 'province',
    NODE_REGION_CODE: '320000',
    DEMO_DATA: 'true',
    DEMO_CATALOG: 'true',
    // The maximum config.ts accepts (1,000,000/min ≈ 16,700/s from one address): the
    // limiter stays on, as in production, but must not turn the load into 429s.
    RATE_LIMIT_PER_MINUTE: '1000000',
    WORKER_ENABLED: 'false',
  };
}

/**
 * Prepares the database and seeds the catalogue in a child process that exits before the
 * app starts: PGlite belongs to one process, and the seeding's memory is not the app's.
 */
async function seedCatalog(backend: BackendName, env: NodeJS.ProcessEnv): Promise<{ catalog: CatalogSeed; identity: IdentitySeed }> {
  const child = startChild(`catalogue seed (${backend})`, path.join(root, 'bench', 'seed-catalog.ts'), { ...env, BENCH_CATALOG_SIZE: String(settings.catalogSize) });
  const code = await waitExit(child, SEED_TIMEOUT_MS);
  const seed = parseSeedOutput(child.output());
  const identity = parseIdentitySeed(child.output());
  if (code !== 0 || !seed || !identity) throw new Error(`${child.name} failed (exit ${code}):\n${child.output()}`);
  note(`${backend}: demo catalogue (${seed.demoImplementations} implementations) prepared in ${seed.prepareSeconds} s; ${seed.syntheticImplementations} synthetic implementations seeded in ${seed.seedSeconds} s; ${seed.searchDocuments} search documents`);
  note(`${backend}: ${identity.mobiles.length} citizens (Argon2id) and an SSO client seeded in ${identity.seedSeconds} s`);
  return { catalog: seed, identity };
}

/**
 * bench/cases.ts in a child, on its own database (a fresh PGlite directory, or a new database
 * in the same PostgreSQL cluster) without the demo catalogue: it publishes its own item.
 */
async function casesBench(backend: BackendName, env: NodeJS.ProcessEnv, clusterUrl: string): Promise<CasesFigures | { failure: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-cases-'));
  const removeDataDir = trackDir(dataDir);
  try {
    let databaseUrl = '';
    if (clusterUrl) {
      const admin = new pg.Client({ connectionString: clusterUrl });
      await admin.connect();
      await admin.query('create database yiwang_cases');
      await admin.end();
      databaseUrl = clusterUrl.replace(/\/postgres$/, '/yiwang_cases');
    }
    const child = startChild(`case bench (${backend})`, path.join(root, 'bench', 'cases.ts'), { ...env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, DEMO_CATALOG: 'false', BENCH_DURATION: String(settings.durationSeconds) });
    const code = await waitExit(child, SEED_TIMEOUT_MS);
    const line = child.output().split('\n').reverse().find((l) => l.startsWith(CASES_PREFIX));
    if (code !== 0 || !line) return { failure: `${child.name} failed (exit ${code}): ${child.output().slice(-2000)}` };
    const figures = JSON.parse(line.slice(CASES_PREFIX.length)) as CasesFigures;
    note(`${backend}: case submissions ${figures.submissionsPerSecond}/s vs bare inserts ${figures.bareInsertsPerSecond}/s (ratio ${figures.ratioToBareInsert}); workbench at ${figures.casesInTable} cases: ${Object.entries(figures.workbench).map(([k, v]) => `${k} p99 ${v.p99Ms} ms`).join('; ')}`);
    return figures;
  } catch (err) {
    return { failure: err instanceof Error ? err.message : String(err) };
  } finally {
    await removeDataDir();
  }
}

async function startApp(backend: BackendName, env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const started = Date.now();
  const child = startChild(`app (${backend})`, path.join(root, 'src', 'main.ts'), env);
  const base = `http://127.0.0.1:${env.PORT}`;
  await waitReady(child, `${base}/readyz`, READY_TIMEOUT_MS);
  note(`app on ${backend} ready at ${base} after ${round((Date.now() - started) / 1000, 1)} s`);
  return { child, base };
}

async function measureBackend(backend: BackendName, baselineUrl: string, pgBin: string | null): Promise<BackendReport> {
  let stopCluster: (() => Promise<void>) | null = null;
  let app: RunningApp | null = null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-'));
  const removeDataDir = trackDir(dataDir);
  try {
    let databaseUrl = '';
    if (backend === 'postgres') {
      note(`starting a throwaway PostgreSQL cluster from ${pgBin}`);
      const cluster = await startCluster(pgBin!);
      stopCluster = trackSync('PostgreSQL cluster', () => cluster.stop());
      databaseUrl = cluster.url;
    }
    const env = appEnv(dataDir, databaseUrl, await freePort());
    const { catalog, identity } = await seedCatalog(backend, env);
    app = await startApp(backend, env);
    const report: BackendReport = { baseline: null, endpoints: {}, catalog };

    // The baseline is measured right before this backend's endpoints, so both see about the
    // same background load on a shared machine.
    const bare = await load(baselineUrl, {});
    const baseline = summarize(bare, bare.requests.mean);
    report.baseline = baseline;
    note(`${backend}: ${line('bare Fastify /', baseline)}`);

    // The access token is taken just before its loads: it lives 10 minutes.
    const endpoints = async function* () {
      yield* [...ENDPOINTS, ...catalogEndpoints(catalog.guideId)];
      yield* await identityEndpoints(app!.base, identity);
    };
    for await (const endpoint of endpoints()) {
      const name = endpoint.name ?? endpoint.path;
      const problem = await preflight(app.base, endpoint);
      if (problem) {
        report.endpoints[name] = { failure: problem };
        note(`${backend}: ${name} not measured: ${problem}`);
        continue;
      }
      const stats = summarize(await load(app.base + endpoint.path, endpoint.headers, endpoint), baseline.requestsPerSecond);
      report.endpoints[name] = stats;
      note(`${backend}: ${line(name, stats)}`);
    }
    // The case bench runs in-process against the database, so the app stops first.
    await app.child.stop();
    app = null;
    report.cases = await casesBench(backend, env, databaseUrl);
    return report;
  } finally {
    // Stop this backend's servers before the next one starts, so they do not share the CPU.
    await app?.child.stop();
    await removeDataDir();
    await stopCluster?.();
  }
}

async function main(): Promise<number> {
  installSignalCleanup();
  const report: BenchReport = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      loadAverageAtStart: round(os.loadavg()[0] ?? 0, 2),
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
      catalogSize: settings.catalogSize,
    },
    backends: {},
    skipped: {},
    failures: [],
  };
  const aborted: string[] = [];
  try {
    const port = await freePort();
    const baseline = startChild('baseline', path.join(root, 'bench', 'baseline.ts'), { ...process.env, PORT: String(port), HOST: '127.0.0.1' });
    const baselineUrl = `http://127.0.0.1:${port}/`;
    await waitReady(baseline, baselineUrl, 60_000);

    const pgBin = findPgBin();
    const wanted: BackendName[] = settings.backends ?? (pgBin ? ['pglite', 'postgres'] : ['pglite']);
    if (!settings.backends && !pgBin) report.skipped.postgres = 'no PostgreSQL binaries (initdb) found';
    for (const backend of wanted) {
      if (backend === 'postgres' && !pgBin) {
        aborted.push('postgres: requested by BENCH_BACKENDS but no PostgreSQL binaries (initdb) were found');
        continue;
      }
      note(`measuring ${backend}: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per endpoint`);
      try {
        report.backends[backend] = await measureBackend(backend, baselineUrl, pgBin);
      } catch (err) {
        // One backend failing to start should not hide the other's numbers.
        aborted.push(`${backend}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    report.seals = await measureSeals(note, (failure) => aborted.push(`seals: ${failure}`));
    report.licences = await measureLicences(note, (failure) => aborted.push(`licences: ${failure}`));
  } catch (err) {
    aborted.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await releaseAll();
  }

  report.failures = [...failuresOf(report), ...aborted];
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  const out = path.join(root, 'test-results', 'bench.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, json + '\n');
  note(`wrote ${path.relative(root, out)}`);
  if (report.failures.length > 0) {
    console.error(`# FAILED: ${report.failures.length} problem(s):\n${report.failures.map((f) => `#   ${f}`).join('\n')}`);
    return 1;
  }
  return 0;
}

process.exit(await main());
