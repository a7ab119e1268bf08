// autocannon ships no type declarations; this covers only the programmatic API the
// benchmark uses (the promise form: without a callback, autocannon() returns a thenable
// EventEmitter).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    headers?: Record<string, string>;
    method?: string;
    body?: string;
    /** Per-request setup (the bench rotates login accounts with it). */
    requests?: { method?: string; body?: string; headers?: Record<string, string>; setupRequest?: (req: { body?: string; headers?: Record<string, string> }) => object }[];
    /** Requests sent first and not counted. */
    warmup?: { connections?: number; duration?: number };
  }
  interface Histogram {
    mean: number;
    average: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
  }
  interface Result {
    requests: Histogram;
    /** Milliseconds, 2xx responses only. */
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }
  /** The run: a promise of the result that also emits per-response events while it runs. */
  interface Instance extends PromiseLike<Result> {
    /** responseTime is in milliseconds, with sub-millisecond precision. */
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
  }
  function autocannon(options: Options): Instance;
  export default autocannon;
}
