import type { Context } from "hono";
import type { Env } from "./env.ts";
import { problemResponse } from "./problem.ts";

/** Fixed-window counters in memory: enough for one process; bounded in size. */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #max: number;

  constructor(max = 100_000) {
    this.#max = max;
  }

  /** Counts a hit; returns the seconds to wait when `limit` is exceeded, else 0. */
  hit(key: string, limit: number, windowMs: number, now = Date.now()): number {
    if (limit <= 0) return 0;
    let w = this.#windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (this.#windows.size >= this.#max) this.#prune(now, windowMs);
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    }
    w.count++;
    return w.count > limit ? Math.ceil((w.start + windowMs - now) / 1000) : 0;
  }

  /** Seconds to wait when `key` has already used up `limit` in its window, else 0; counts nothing. */
  check(key: string, limit: number, windowMs: number, now = Date.now()): number {
    const w = this.#windows.get(key);
    if (limit <= 0 || !w || now - w.start >= windowMs || w.count < limit) return 0;
    return Math.ceil((w.start + windowMs - now) / 1000);
  }

  #prune(now: number, windowMs: number): void {
    for (const [k, w] of this.#windows) if (now - w.start >= windowMs) this.#windows.delete(k);
    // Still full (an attack from many addresses): forget the oldest half rather than grow.
    if (this.#windows.size >= this.#max) {
      let n = 0;
      for (const k of this.#windows.keys()) {
        if (n++ > this.#max / 2) break;
        this.#windows.delete(k);
      }
    }
  }
}

/** The 429 problem (with Retry-After) for a budget used up `wait` seconds before it resets. */
export function tooManyAttempts(c: Context<Env>, wait: number): Response {
  const res = problemResponse(
    429,
    `too many attempts: try again in ${Math.ceil(wait / 60)} minute(s)`,
    undefined,
    c.req.path,
  );
  res.headers.set("retry-after", String(wait));
  return res;
}

/** Counts a hit on `key`: a 429 answer once it has used up `max` per `windowMs`, else null. */
export function limit(
  c: Context<Env>,
  key: string,
  max: number,
  windowMs: number,
): Response | null {
  const wait = c.get("services").limiter.hit(key, max, windowMs);
  return wait === 0 ? null : tooManyAttempts(c, wait);
}
