/** The part of autocannon's programmatic API the benchmark uses (the package ships no types). */
declare module "autocannon" {
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    sent?: number;
    p0_001?: number;
    p0_01?: number;
    p0_1?: number;
    p1: number;
    p2_5: number;
    p10: number;
    p25: number;
    p50: number;
    p75: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
    p99_99: number;
    p99_999: number;
  }

  export interface Result {
    title?: string;
    url: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    duration: number;
    start: Date;
    finish: Date;
    connections: number;
    pipelining: number;
    "1xx": number;
    "2xx": number;
    "3xx": number;
    "4xx": number;
    "5xx": number;
    statusCodeStats: Record<string, { count: number }>;
    /** Results of the warm-up phase, when `warmup` was given. */
    warmup?: Result;
  }

  export interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (req: RequestSpec) => RequestSpec;
  }

  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    pipelining?: number;
    method?: string;
    headers?: Record<string, string>;
    title?: string;
    workers?: number;
    bailout?: number;
    /** Requests sent in turn on each connection; `setupRequest` may rewrite each one. */
    requests?: RequestSpec[];
    /** A run before the measured one, with its own duration and connections. */
    warmup?: { duration?: number; connections?: number };
  }

  export interface Instance extends PromiseLike<Result> {
    stop(): void;
    on(event: "done", listener: (result: Result) => void): this;
    on(event: "tick", listener: (counts: { counter: number; bytes: number }) => void): this;
  }

  function autocannon(opts: Options): Instance;
  export default autocannon;
}
