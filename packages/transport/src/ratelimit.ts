export interface RateLimitOptions {
  /** Sustained requests per second per caller hotkey. */
  perSecond: number;
  /** Bucket size: how many may arrive at once. */
  burst: number;
  /** Callers tracked at most (idle ones are dropped first). */
  maxKeys?: number;
}

/** Token bucket per key. `take` returns false when the caller is over its budget. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #maxKeys: number;
  constructor(private readonly options: RateLimitOptions) {
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  take(key: string, nowMs: number = performance.now()): boolean {
    const { perSecond, burst } = this.options;
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict(nowMs);
      b = { tokens: burst, at: nowMs };
      this.#buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * perSecond);
      b.at = nowMs;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  #evict(nowMs: number): void {
    const { perSecond, burst } = this.options;
    for (const [k, b] of this.#buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * perSecond >= burst) this.#buckets.delete(k);
    }
    // Still full of active callers: forget the oldest half rather than grow without bound.
    if (this.#buckets.size >= this.#maxKeys) {
      let n = this.#buckets.size / 2;
      for (const k of this.#buckets.keys()) {
        if (n-- <= 0) break;
        this.#buckets.delete(k);
      }
    }
  }
}
