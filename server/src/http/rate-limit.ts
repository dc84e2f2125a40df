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
