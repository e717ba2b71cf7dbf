/** The SDK's `ALLOWED_DELTA`: how old (in ns) a nonce may be, on top of the request timeout. */
export const ALLOWED_DELTA_NS = 4_000_000_000n;
export const NS_PER_SECOND = 1_000_000_000n;

/**
 * Wall-clock time in nanoseconds: milliseconds from Date.now, sub-millisecond digits from the
 * hrtime clock. Accurate to about 1 ms and not monotonic: use NonceClock for nonces.
 */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}

/**
 * Nonces for outgoing requests: nanosecond wall-clock time, but strictly increasing even when
 * two calls land in the same nanosecond (or the clock steps back): `max(now, last + 1)`.
 */
export class NonceClock {
  #last = 0n;
  constructor(private readonly clock: () => bigint = nowNs) {}
  next(): bigint {
    const now = this.clock();
    this.#last = now > this.#last ? now : this.#last + 1n;
    return this.#last;
  }
}

export type NonceRejection =
  | 'NONCE_TOO_OLD'
  | 'NONCE_IN_FUTURE'
  | 'NONCE_REPLAYED'
  | 'NONCE_STORE_FULL';

export interface NonceStoreOptions {
  /** Extra age allowed beyond the request timeout (SDK: 4 s). */
  allowedDeltaNs?: bigint;
  /** How far ahead of our clock a nonce may be (the SDK has no bound; we use 4 s). */
  maxFutureNs?: bigint;
  /** Upper bound on the timeout (s) a caller may claim to widen its own window. */
  maxTimeoutS?: number;
  /** Entries kept at most; expired ones are swept first, then new callers are refused. */
  maxEntries?: number;
}

/**
 * Replay protection per (hotkey, uuid): a nonce must be inside the clock window
 * `(now - delta - timeout, now + maxFuture]` on every request (the SDK checks the window only on
 * first contact) and strictly greater than the last accepted one. Because every nonce must be
 * fresh, entries older than the widest window can be forgotten without opening a replay hole,
 * which keeps the store bounded.
 */
export class NonceStore {
  readonly #last = new Map<string, bigint>();
  readonly #allowedDelta: bigint;
  readonly #maxFuture: bigint;
  readonly #maxTimeoutNs: bigint;
  readonly #maxEntries: number;

  constructor(options: NonceStoreOptions = {}) {
    this.#allowedDelta = options.allowedDeltaNs ?? ALLOWED_DELTA_NS;
    this.#maxFuture = options.maxFutureNs ?? ALLOWED_DELTA_NS;
    this.#maxTimeoutNs = BigInt(Math.round((options.maxTimeoutS ?? 60) * 1e9));
    this.#maxEntries = options.maxEntries ?? 200_000;
  }

  get size(): number {
    return this.#last.size;
  }

  #windowNs(timeoutS: number): bigint {
    const t = BigInt(Math.round(Math.max(0, timeoutS) * 1e9));
    return this.#allowedDelta + (t < this.#maxTimeoutNs ? t : this.#maxTimeoutNs);
  }

  /** Checks without recording (cheap, before the signature is verified). */
  check(
    key: string,
    nonce: bigint,
    timeoutS: number,
    now: bigint = nowNs(),
  ): NonceRejection | null {
    if (nonce <= now - this.#windowNs(timeoutS)) return 'NONCE_TOO_OLD';
    if (nonce > now + this.#maxFuture) return 'NONCE_IN_FUTURE';
    const last = this.#last.get(key);
    if (last !== undefined && nonce <= last) return 'NONCE_REPLAYED';
    return null;
  }

  /** Re-checks and records an accepted nonce (after the signature and body hash held). */
  commit(
    key: string,
    nonce: bigint,
    timeoutS: number,
    now: bigint = nowNs(),
  ): NonceRejection | null {
    const rejection = this.check(key, nonce, timeoutS, now);
    if (rejection) return rejection;
    if (!this.#last.has(key) && this.#last.size >= this.#maxEntries) {
      this.sweep(now);
      if (this.#last.size >= this.#maxEntries) return 'NONCE_STORE_FULL';
    }
    this.#last.set(key, nonce);
    return null;
  }

  /** Forgets callers whose last nonce is older than the widest possible window. */
  sweep(now: bigint = nowNs()): void {
    const horizon = now - this.#allowedDelta - this.#maxTimeoutNs;
    for (const [key, nonce] of this.#last) if (nonce <= horizon) this.#last.delete(key);
  }
}
