// The benchmark's pure helpers (bench/stats.ts), checked without running a load test: no
// timing assertions here, the numbers themselves come from `npm run bench`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  benchSettings,
  checkResponse,
  ENDPOINTS,
  failuresOf,
  latencyPercentiles,
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
    meta: { date: '2026-11-23T00:00:00.000Z', node: 'v24.0.0', cpus: 2, cpuModel: 'x', memoryGiB: 1, loadAverageAtStart: 0, connections: 10, durationSeconds: 1, warmupSeconds: 1 },
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
  assert.deepEqual(benchSettings({}), { connections: 10, durationSeconds: 6, warmupSeconds: 2, backends: null });
  assert.deepEqual(benchSettings({ BENCH_DURATION: '1' }), { connections: 10, durationSeconds: 1, warmupSeconds: 1, backends: null });
  assert.deepEqual(benchSettings({ BENCH_DURATION: '2', BENCH_WARMUP: '0', BENCH_CONNECTIONS: '4', BENCH_BACKENDS: 'postgres' }), {
    connections: 4,
    durationSeconds: 2,
    warmupSeconds: 0,
    backends: ['postgres'],
  });
  assert.throws(() => benchSettings({ BENCH_DURATION: '0' }), /BENCH_DURATION/);
  assert.throws(() => benchSettings({ BENCH_DURATION: 'fast' }), /BENCH_DURATION/);
  assert.throws(() => benchSettings({ BENCH_BACKENDS: 'mysql' }), /BENCH_BACKENDS/);
});
