// Pure helpers of the benchmark: settings, the endpoint list, turning an autocannon result
// into the reported figures, and deciding what counts as a failure. No I/O here, so
// test/bench.test.ts can check them in CI without running a load test.

/** The part of autocannon's result the report uses (latencies in ms, requests per second). */
export interface LoadResult {
  requests: { mean: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}

export interface EndpointStats {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  /** Our req/s ÷ the bare Fastify route's req/s in the same run; null if that is unknown. */
  ratioToBaseline: number | null;
  /** Responses per status code, so a failure shows what the server answered. */
  statusCodes: Record<string, number>;
}

/** An endpoint that was not load-tested because a single request already failed. */
export interface EndpointFailure {
  failure: string;
}

export type EndpointEntry = EndpointStats | EndpointFailure;

/** bench/seed-catalog.ts prints its CatalogSeed as JSON on a stdout line starting with this. */
export const SEED_PREFIX = 'BENCH_SEED ';
/** bench/cases.ts prints its CasesFigures on a stdout line starting with this. */
export const CASES_PREFIX = 'BENCH_CASES ';

/** The CatalogSeed in a seed run's output, or null if it printed none. */
export function parseSeedOutput(output: string): CatalogSeed | null {
  const line = output.split('\n').reverse().find((l) => l.startsWith(SEED_PREFIX));
  return line ? (JSON.parse(line.slice(SEED_PREFIX.length)) as CatalogSeed) : null;
}

/** What bench/seed-catalog.ts put in the database before the app started. */
export interface CatalogSeed {
  /** Published implementations of the demo catalogue (the clone sources). */
  demoImplementations: number;
  /** Synthetic published implementations added on top, with their search documents. */
  syntheticImplementations: number;
  /** Rows in catalog_search_doc afterwards. */
  searchDocuments: number;
  /** Migrations, reference data and the demo catalogue through its own lifecycle. */
  prepareSeconds: number;
  /** The synthetic rows alone (bulk inserts). */
  seedSeconds: number;
  /** A published demo implementation, for the guide endpoints. */
  guideId: string;
}

export interface BackendReport {
  baseline: EndpointStats | null;
  endpoints: Record<string, EndpointEntry>;
  catalog?: CatalogSeed;
  /** bench/cases.ts: submissions vs bare inserts, workbench latency at 100k cases. */
  cases?: CasesFigures | EndpointFailure;
}

/** What bench/cases.ts prints (kept here so the report type has no I/O imports). */
export interface CasesFigures {
  bareInsertsPerSecond: number;
  submissionsPerSecond: number;
  /** Submissions ÷ bare inserts, measured in the same run. */
  ratioToBareInsert: number | null;
  casesInTable: number;
  generateSeconds: number;
  /** Per query: p50/p99 in ms over the repetitions, a primary-key lookup as the reference. */
  workbench: Record<string, { p50Ms: number; p99Ms: number; rows: number; runs: number }>;
}

export interface BenchMeta {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average when the run started: other processes skew the numbers. */
  loadAverageAtStart: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** BENCH_CATALOG_SIZE: synthetic implementations on top of the demo catalogue. */
  catalogSize: number;
}

export interface BenchReport {
  meta: BenchMeta;
  backends: Record<string, BackendReport>;
  /** Backends that were not measured, with the reason. */
  skipped: Record<string, string>;
  failures: string[];
  /** bench/seals.ts: seals signed / verified per second against raw OpenSSL SM2, one core. */
  seals?: import('./seals.ts').SealFigures | EndpointFailure;
  /** bench/licences.ts: licences issued per second; verifications (online, offline QR) against raw SM2 verify, one core. */
  licences?: import('./licences.ts').LicenceFigures | EndpointFailure;
}

export interface Endpoint {
  /** The report's key when the path varies between runs (e.g. holds an id); else the path. */
  name?: string;
  path: string;
  headers: Record<string, string>;
  /** The media type a correct answer carries; a 200 with another type is a failure too. '' = any. */
  contentType: string;
  /** GET unless said; a body goes with POST. */
  method?: 'GET' | 'POST';
  body?: string;
  /** The status a correct answer has when it is not 2xx (a login's 303); others fail. */
  status?: number;
  /** autocannon's per-request hook, e.g. to rotate accounts. */
  setupRequest?: (req: { body?: string; headers?: Record<string, string> }) => { body?: string; headers?: Record<string, string> };
}

export const ENDPOINTS: readonly Endpoint[] = [
  { path: '/healthz', headers: { accept: 'application/json' }, contentType: 'application/json' },
  { path: '/api/v1/regions/320000/children', headers: { accept: 'application/json' }, contentType: 'application/json' },
  { path: '/', headers: { accept: 'text/html' }, contentType: 'text/html' },
];

/**
 * The catalogue's citizen-facing reads: search by official name within a district (region
 * inheritance: district, city and province implementations), by a colloquial phrase (the
 * synonym table), by pinyin, and one published implementation's guide as JSON and as HTML.
 */
export function catalogEndpoints(guideId: string): Endpoint[] {
  const json = { accept: 'application/json' };
  const search = (q: string, region?: string) => `/api/v1/catalog/search?q=${encodeURIComponent(q)}${region ? `&region=${region}` : ''}`;
  return [
    { name: '/api/v1/catalog/search?q=食品经营许可&region=320102', path: search('食品经营许可', '320102'), headers: json, contentType: 'application/json' },
    { name: '/api/v1/catalog/search?q=开饭店', path: search('开饭店'), headers: json, contentType: 'application/json' },
    { name: '/api/v1/catalog/search?q=shipin', path: search('shipin'), headers: json, contentType: 'application/json' },
    { name: '/api/v1/catalog/guides/:id', path: `/api/v1/catalog/guides/${encodeURIComponent(guideId)}`, headers: json, contentType: 'application/json' },
    { name: '/guides/:id', path: `/guides/${encodeURIComponent(guideId)}`, headers: { accept: 'text/html' }, contentType: 'text/html' },
  ];
}

export const BACKENDS = ['pglite', 'postgres'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BenchSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Null: every backend that is available; otherwise exactly these (missing ones fail). */
  backends: BackendName[] | null;
  /** Synthetic published implementations seeded on top of the demo catalogue (0: none). */
  catalogSize: number;
}

function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return Number(raw);
}

/**
 * BENCH_DURATION / BENCH_WARMUP (seconds), BENCH_CONNECTIONS, BENCH_BACKENDS=pglite,postgres,
 * BENCH_CATALOG_SIZE (synthetic implementations, default 100,000; at most 1,000,000).
 */
export function benchSettings(env: Record<string, string | undefined>): BenchSettings {
  const durationSeconds = positiveInt(env, 'BENCH_DURATION', 6, 1);
  // A short warm-up lets V8 optimise the hot paths and fills connection pools before counting.
  const warmupSeconds = positiveInt(env, 'BENCH_WARMUP', Math.min(2, durationSeconds), 0);
  const connections = positiveInt(env, 'BENCH_CONNECTIONS', 10, 1);
  let backends: BackendName[] | null = null;
  if (env.BENCH_BACKENDS) {
    const names = env.BENCH_BACKENDS.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(BACKENDS as readonly string[]).includes(n));
    if (unknown.length > 0 || names.length === 0) throw new Error(`BENCH_BACKENDS must list ${BACKENDS.join(', ')}, got "${env.BENCH_BACKENDS}"`);
    backends = names as BackendName[];
  }
  const catalogSize = positiveInt(env, 'BENCH_CATALOG_SIZE', 100_000, 0);
  if (catalogSize > 1_000_000) throw new Error(`BENCH_CATALOG_SIZE must be at most 1000000, got "${env.BENCH_CATALOG_SIZE}"`);
  return { connections, durationSeconds, warmupSeconds, backends, catalogSize };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Our throughput relative to the bare route; null when the baseline is missing or zero. */
export function ratio(ours: number, baseline: number | null | undefined): number | null {
  if (baseline === null || baseline === undefined || !Number.isFinite(baseline) || baseline <= 0) return null;
  if (!Number.isFinite(ours) || ours < 0) return null;
  return round(ours / baseline, 3);
}

/**
 * Nearest-rank percentile of values sorted ascending; null for no values. autocannon's own
 * latency histogram counts whole milliseconds, which shows every fast endpoint as "0 ms",
 * so the run collects each response's time and computes p50/p99 here instead.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50/p99 of response times in ms, or null when there were none. */
export function latencyPercentiles(times: readonly number[]): { p50: number; p99: number } | null {
  if (times.length === 0) return null;
  const sorted = Float64Array.from(times).sort();
  return { p50: percentile(sorted, 50)!, p99: percentile(sorted, 99)! };
}

export function summarize(result: LoadResult, baselineRps: number | null): EndpointStats {
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count;
  return {
    requestsPerSecond: round(result.requests.mean, 1),
    latencyP50Ms: round(result.latency.p50, 2),
    latencyP99Ms: round(result.latency.p99, 2),
    non2xx: result.non2xx,
    // Timeouts are also counted in errors by autocannon; report the larger to be safe.
    errors: Math.max(result.errors, result.timeouts),
    ratioToBaseline: ratio(result.requests.mean, baselineRps),
    statusCodes,
  };
}

export function isFailure(entry: EndpointEntry | CasesFigures): entry is EndpointFailure {
  return 'failure' in entry;
}

/** Why a single response disqualifies an endpoint, or null if it is a proper answer. */
export function checkResponse(endpoint: Endpoint, status: number, contentType: string | null): string | null {
  if (endpoint.status !== undefined ? status !== endpoint.status : status < 200 || status > 299) return `HTTP ${status}`;
  if (endpoint.contentType && !(contentType ?? '').toLowerCase().startsWith(endpoint.contentType)) {
    return `expected ${endpoint.contentType}, got ${contentType ?? 'no content-type'}`;
  }
  return null;
}

/** Every reason the run must exit non-zero: a benchmark of error pages is worthless. */
export function failuresOf(report: Pick<BenchReport, 'backends'>): string[] {
  const out: string[] = [];
  for (const [backend, { baseline, endpoints, cases }] of Object.entries(report.backends)) {
    if (cases && isFailure(cases)) out.push(`${backend} cases: ${cases.failure}`);
    const all: [string, EndpointEntry | null][] = [['baseline', baseline], ...Object.entries(endpoints)];
    for (const [name, entry] of all) {
      if (entry === null) out.push(`${backend} ${name}: not measured`);
      else if (isFailure(entry)) out.push(`${backend} ${name}: ${entry.failure}`);
      else if (entry.non2xx > 0 || entry.errors > 0) {
        out.push(`${backend} ${name}: ${entry.non2xx} non-2xx and ${entry.errors} errors (${JSON.stringify(entry.statusCodes)})`);
      }
    }
  }
  return out;
}
