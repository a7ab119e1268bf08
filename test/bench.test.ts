// The benchmark's pure helpers (bench/stats.ts), checked without running a load test: no
// timing assertions here, the numbers themselves come from `npm run bench`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { departmentFor, FIRST_SEQUENCE, planProblem, plannedRow } from '../bench/catalog-plan.ts';
import {
  benchSettings,
  catalogEndpoints,
  checkResponse,
  ENDPOINTS,
  failuresOf,
  latencyPercentiles,
  parseSeedOutput,
  percentile,
  ratio,
  summarize,
  type BenchReport,
  type LoadResult,
} from '../bench/stats.ts';

const result = (over: Partial<LoadResult> = {}): LoadResult => ({
  requests: { mean: 5000 },
  latency: { p50: 1.234, p99: 9.876 },
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statusCodeStats: { '200': { count: 30000 } },
  ...over,
});

test('ratio is ours ÷ baseline, rounded, and null without a usable baseline', () => {
  assert.equal(ratio(5000, 20000), 0.25);
  assert.equal(ratio(1, 3), 0.333);
  assert.equal(ratio(20000, 20000), 1);
  assert.equal(ratio(5000, 0), null);
  assert.equal(ratio(5000, null), null);
  assert.equal(ratio(5000, Number.NaN), null);
  assert.equal(ratio(Number.NaN, 100), null);
});

test('percentile is nearest-rank over sorted values', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), null);
  assert.throws(() => percentile(values, 0), RangeError);
  // Unsorted input is sorted numerically (not as strings) before ranking.
  assert.deepEqual(latencyPercentiles([10, 9, 0.5, 100, 2]), { p50: 9, p99: 100 });
  assert.equal(latencyPercentiles([]), null);
});

test('summarize reports the figures with their ratio to the baseline', () => {
  const stats = summarize(result(), 20000);
  assert.deepEqual(stats, {
    requestsPerSecond: 5000,
    latencyP50Ms: 1.23,
    latencyP99Ms: 9.88,
    non2xx: 0,
    errors: 0,
    ratioToBaseline: 0.25,
    statusCodes: { '200': 30000 },
  });
  assert.equal(summarize(result({ errors: 0, timeouts: 3 }), null).errors, 3);
  assert.equal(summarize(result(), null).ratioToBaseline, null);
});

test('a 404 or a wrong media type disqualifies an endpoint', () => {
  const home = ENDPOINTS.find((e) => e.path === '/')!;
  assert.equal(home.headers.accept, 'text/html');
  assert.equal(checkResponse(home, 200, 'text/html; charset=utf-8'), null);
  assert.equal(checkResponse(home, 404, 'application/problem+json'), 'HTTP 404');
  assert.equal(checkResponse(home, 302, null), 'HTTP 302');
  assert.match(checkResponse(home, 200, 'application/json')!, /expected text\/html/);
  assert.deepEqual(
    ENDPOINTS.map((e) => e.path),
    ['/healthz', '/api/v1/regions/320000/children', '/'],
  );
});

test('failuresOf lists every error page, error and unmeasured entry', () => {
  const ok = summarize(result(), 20000);
  const report: Pick<BenchReport, 'backends'> = {
    backends: {
      pglite: { baseline: summarize(result(), 5000), endpoints: { '/healthz': ok, '/': { failure: 'HTTP 404' } } },
      postgres: {
        baseline: null,
        endpoints: { '/healthz': summarize(result({ non2xx: 12, statusCodeStats: { '200': { count: 10 }, '429': { count: 12 } } }), 20000) },
      },
    },
  };
  const failures = failuresOf(report);
  assert.equal(failures.length, 3);
  assert.equal(failures[0], 'pglite /: HTTP 404');
  assert.equal(failures[1], 'postgres baseline: not measured');
  assert.match(failures[2]!, /^postgres \/healthz: 12 non-2xx and 0 errors .*"429":12/);
  assert.deepEqual(failuresOf({ backends: { pglite: { baseline: ok, endpoints: { '/healthz': ok } } } }), []);
});

test('the report is plain JSON with the documented shape', () => {
  const report: BenchReport = {
    meta: { date: '2026-11-23T00:00:00.000Z', node: 'v24.0.0', cpus: 2, cpuModel: 'x', memoryGiB: 1, loadAverageAtStart: 0, connections: 10, durationSeconds: 1, warmupSeconds: 1, catalogSize: 2000 },
    backends: { pglite: { baseline: summarize(result(), 5000), endpoints: { '/healthz': summarize(result(), 5000) } } },
    skipped: { postgres: 'no PostgreSQL binaries (initdb) found' },
    failures: [],
  };
  const parsed = JSON.parse(JSON.stringify(report)) as BenchReport;
  assert.deepEqual(parsed, report);
  const entry = parsed.backends.pglite!.endpoints['/healthz']!;
  assert.deepEqual(Object.keys(entry).sort(), ['errors', 'latencyP50Ms', 'latencyP99Ms', 'non2xx', 'ratioToBaseline', 'requestsPerSecond', 'statusCodes']);
});

test('settings come from BENCH_* variables with sensible defaults', () => {
  assert.deepEqual(benchSettings({}), { connections: 10, durationSeconds: 6, warmupSeconds: 2, backends: null, catalogSize: 100_000 });
  assert.deepEqual(benchSettings({ BENCH_DURATION: '1' }), { connections: 10, durationSeconds: 1, warmupSeconds: 1, backends: null, catalogSize: 100_000 });
  assert.deepEqual(benchSettings({ BENCH_DURATION: '2', BENCH_WARMUP: '0', BENCH_CONNECTIONS: '4', BENCH_BACKENDS: 'postgres', BENCH_CATALOG_SIZE: '2000' }), {
    connections: 4,
    durationSeconds: 2,
    warmupSeconds: 0,
    backends: ['postgres'],
    catalogSize: 2000,
  });
  assert.equal(benchSettings({ BENCH_CATALOG_SIZE: '0' }).catalogSize, 0);
  assert.throws(() => benchSettings({ BENCH_CATALOG_SIZE: '-5' }), /BENCH_CATALOG_SIZE/);
  assert.throws(() => benchSettings({ BENCH_CATALOG_SIZE: '2000000' }), /BENCH_CATALOG_SIZE/);
  assert.throws(() => benchSettings({ BENCH_DURATION: '0' }), /BENCH_DURATION/);
  assert.throws(() => benchSettings({ BENCH_DURATION: 'fast' }), /BENCH_DURATION/);
  assert.throws(() => benchSettings({ BENCH_BACKENDS: 'mysql' }), /BENCH_BACKENDS/);
});

test('the catalogue endpoints are URL-encoded, keyed by a stable name, and typed', () => {
  const id = '0b6d3d52-7a4c-4e4f-9a55-5d8f2c1e0a11';
  const endpoints = catalogEndpoints(id);
  assert.deepEqual(
    endpoints.map((e) => e.name),
    ['/api/v1/catalog/search?q=食品经营许可&region=320102', '/api/v1/catalog/search?q=开饭店', '/api/v1/catalog/search?q=shipin', '/api/v1/catalog/guides/:id', '/guides/:id'],
  );
  // autocannon sends the path as is: non-ASCII must already be percent-encoded.
  for (const e of endpoints) assert.match(e.path, /^[\x21-\x7e]+$/);
  assert.equal(endpoints[0]!.path, `/api/v1/catalog/search?q=${encodeURIComponent('食品经营许可')}&region=320102`);
  assert.equal(endpoints[3]!.path, `/api/v1/catalog/guides/${id}`);
  assert.equal(endpoints[4]!.contentType, 'text/html');
  assert.equal(checkResponse(endpoints[4]!, 200, 'application/json'), 'expected text/html, got application/json');
});

test('the seed plan gives every synthetic implementation a distinct code', () => {
  const sources = 621;
  const regions = 1400;
  const size = 100_000;
  assert.equal(planProblem(size, sources, regions), null);
  const seen = new Set<string>();
  const perSource = new Map<number, number>();
  for (let i = 0; i < size; i++) {
    const p = plannedRow(i, sources, regions);
    assert.ok(p.sequence >= FIRST_SEQUENCE && p.sequence <= 999);
    // The code is basic code + region + sequence (+ department, fixed by region and item):
    // (source, region) distinct is enough, since each source keeps one sequence.
    const key = `${p.source}:${p.region}`;
    assert.ok(!seen.has(key), `row ${i} repeats ${key}`);
    seen.add(key);
    perSource.set(p.source, (perSource.get(p.source) ?? 0) + 1);
  }
  // Every item gets its share (161 or 162 of 100,000 over 621).
  assert.deepEqual([Math.min(...perSource.values()), Math.max(...perSource.values())], [161, 162]);
  assert.match(planProblem(100_000, 621, 100)!, /need 162 regions per item, only 100/);
  assert.match(planProblem(10, 0, 100)!, /no published demo implementation/);
  assert.match(planProblem(10, 901, 100)!, /at most 900/);
  assert.equal(planProblem(0, 0, 0), null);
});

test('a synthetic implementation goes to the nearest department of its item\'s type', () => {
  const depts = new Map([
    ['320000:public_security', { id: 'province', creditCode: null }],
    ['320100:public_security', { id: 'nanjing', creditCode: 'X' }],
    ['320102:public_security', { id: 'xuanwu', creditCode: 'Y' }],
  ]);
  assert.equal(departmentFor('320102001', 'public_security', depts)?.id, 'xuanwu');
  assert.equal(departmentFor('320104', 'public_security', depts)?.id, 'nanjing');
  assert.equal(departmentFor('320505', 'public_security', depts)?.id, 'province');
  assert.equal(departmentFor('320102', 'taxation', depts), null);
});

test('the seed report is read from the last BENCH_SEED line of the output', () => {
  const seed = { demoImplementations: 621, syntheticImplementations: 2000, searchDocuments: 2621, prepareSeconds: 25.8, seedSeconds: 0.7, guideId: 'g' };
  assert.deepEqual(parseSeedOutput(`{"level":40}\n# seeded 2000/2000\nBENCH_SEED ${JSON.stringify(seed)}\n`), seed);
  assert.equal(parseSeedOutput('start-up failed'), null);
});
