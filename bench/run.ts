// `npm run bench`: HTTP throughput of a few representative endpoints, on the embedded PGlite
// database and (when PostgreSQL binaries exist) on a throwaway PostgreSQL cluster, each as a
// ratio to a bare Fastify hello-world measured in the same run. The servers run as child
// processes, as in production; autocannon drives them from this process. Prints the report
// as JSON on stdout (progress goes to stderr), writes test-results/bench.json, and exits
// non-zero if any endpoint answered with an error: a benchmark of error pages is worthless.
// Settings: BENCH_DURATION, BENCH_WARMUP (seconds), BENCH_CONNECTIONS, BENCH_BACKENDS.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPgBin, freePort, startCluster } from '../scripts/postgres-cluster.ts';
import { installSignalCleanup, releaseAll, startChild, trackDir, trackSync, waitReady, type Child } from './processes.ts';
import {
  benchSettings,
  checkResponse,
  ENDPOINTS,
  failuresOf,
  latencyPercentiles,
  round,
  summarize,
  type BackendName,
  type BackendReport,
  type BenchReport,
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

async function load(url: string, headers: Record<string, string>): Promise<LoadResult> {
  const { connections, durationSeconds, warmupSeconds } = settings;
  const run = autocannon({
    url,
    headers,
    connections,
    duration: durationSeconds,
    warmup: warmupSeconds > 0 ? { connections, duration: warmupSeconds } : undefined,
  });
  // Only the measured phase emits here (the warm-up has its own emitter); like autocannon,
  // count latencies of 2xx answers only.
  const times: number[] = [];
  run.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) times.push(ms);
  });
  const result = await run;
  return { ...result, latency: latencyPercentiles(times) ?? result.latency };
}

/** One request first: an endpoint that already fails is reported, not load-tested. */
async function preflight(base: string, endpoint: Endpoint): Promise<string | null> {
  try {
    const res = await fetch(base + endpoint.path, { headers: endpoint.headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    await res.body?.cancel();
    return checkResponse(endpoint, res.status, res.headers.get('content-type'));
  } catch (err) {
    return `request failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function line(name: string, s: EndpointStats): string {
  return `${name.padEnd(34)} ${String(s.requestsPerSecond).padStart(9)} req/s  p50 ${s.latencyP50Ms} ms  p99 ${s.latencyP99Ms} ms  non-2xx ${s.non2xx}  errors ${s.errors}  ratio ${s.ratioToBaseline ?? '-'}`;
}

interface RunningApp {
  child: Child;
  base: string;
  removeDataDir(): Promise<void>;
}

async function startApp(backend: BackendName, databaseUrl: string): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-'));
  const removeDataDir = trackDir(dataDir);
  const env: NodeJS.ProcessEnv = {
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
    PUBLIC_URL: 'https://bench.yiwang.invalid',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(16).toString('hex'),
    BLIND_INDEX_KEY: randomBytes(32).toString('hex'),
    NODE_ROLE: 'province',
    NODE_REGION_CODE: '320000',
    DEMO_DATA: 'true',
    // The maximum config.ts accepts (1,000,000/min ≈ 16,700/s from one address): the
    // limiter stays on, as in production, but must not turn the load into 429s.
    RATE_LIMIT_PER_MINUTE: '1000000',
    WORKER_ENABLED: 'false',
  };
  const started = Date.now();
  const child = startChild(`app (${backend})`, path.join(root, 'src', 'main.ts'), env);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(child, `${base}/readyz`, READY_TIMEOUT_MS);
  note(`app on ${backend} ready at ${base} after ${round((Date.now() - started) / 1000, 1)} s`);
  return { child, base, removeDataDir };
}

async function measureBackend(backend: BackendName, baselineUrl: string, pgBin: string | null): Promise<BackendReport> {
  let stopCluster: (() => Promise<void>) | null = null;
  let app: RunningApp | null = null;
  try {
    let databaseUrl = '';
    if (backend === 'postgres') {
      note(`starting a throwaway PostgreSQL cluster from ${pgBin}`);
      const cluster = await startCluster(pgBin!);
      stopCluster = trackSync('PostgreSQL cluster', () => cluster.stop());
      databaseUrl = cluster.url;
    }
    app = await startApp(backend, databaseUrl);
    const report: BackendReport = { baseline: null, endpoints: {} };

    // The baseline is measured right before this backend's endpoints, so both see about the
    // same background load on a shared machine.
    const bare = await load(baselineUrl, {});
    const baseline = summarize(bare, bare.requests.mean);
    report.baseline = baseline;
    note(`${backend}: ${line('bare Fastify /', baseline)}`);

    for (const endpoint of ENDPOINTS) {
      const problem = await preflight(app.base, endpoint);
      if (problem) {
        report.endpoints[endpoint.path] = { failure: problem };
        note(`${backend}: ${endpoint.path} not measured: ${problem}`);
        continue;
      }
      const stats = summarize(await load(app.base + endpoint.path, endpoint.headers), baseline.requestsPerSecond);
      report.endpoints[endpoint.path] = stats;
      note(`${backend}: ${line(endpoint.path, stats)}`);
    }
    return report;
  } finally {
    // Stop this backend's servers before the next one starts, so they do not share the CPU.
    await app?.child.stop();
    await app?.removeDataDir();
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
