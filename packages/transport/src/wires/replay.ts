// A replay store shared by the signed wires (Epistula, Fiber, btauth/1): one check-and-store
// call per accepted request, so a captured request cannot be played again while it is fresh.
import { SubnetkitError } from '@subnetkit/core';
import { TransportError } from '../errors.js';

/**
 * Remembers request keys until they expire. `seen(key, expiresAtMs)` is an atomic
 * check-and-store: it returns `true` when `key` was already stored and has not expired (a
 * replay), otherwise stores it until `expiresAtMs` (Unix ms) and returns `false`.
 *
 * Verifiers call it only after the signature holds, so unauthenticated traffic cannot fill it,
 * and pass an expiry no earlier than the moment the request would fail their freshness check
 * anyway (a forgotten key can then never be replayed). Keys are namespaced by wire
 * (`epistula:`, `fiber:` …), so one store can serve every wire of a server.
 *
 * Multi-process servers back it with shared storage, e.g. Redis `SET key 1 NX PXAT expiresAtMs`
 * (`seen` = the SET did not happen). A store that throws or rejects makes the verifier refuse
 * the request (fail closed), never accept it.
 */
export interface ReplayStore {
  seen(key: string, expiresAtMs: number): boolean | Promise<boolean>;
}

/** Thrown by {@link MemoryReplayStore} when it is full of keys that have not expired yet. */
export class ReplayStoreFullError extends SubnetkitError<'REPLAY_STORE_FULL'> {}

export interface MemoryReplayStoreOptions {
  /** Keys kept at most (default 200,000). Expired keys are evicted first; then `seen` throws. */
  maxEntries?: number;
}

export interface MemoryReplayStoreComponents {
  /** Unix time in ms (default `Date.now`). */
  clock?: () => number;
}

/** The default number of live keys a {@link MemoryReplayStore} holds. */
export const DEFAULT_REPLAY_STORE_ENTRIES = 200_000;

/**
 * The default in-process {@link ReplayStore}: a `Map` of key → expiry, bounded by `maxEntries`.
 *
 * Expired keys are evicted from the oldest end on every insert (amortised O(1): keys mostly
 * arrive in expiry order). When the store is full it sweeps every key once; if nothing has
 * expired it throws {@link ReplayStoreFullError} (the verifier then refuses: fail closed, since
 * dropping a live key would let its request be replayed). It sweeps again only once some key can
 * have expired, so a full store does not rescan on every request.
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #expiry = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #clock: () => number;
  /** Earliest expiry among the keys the last full sweep kept: no full sweep helps before it. */
  #nextSweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    options: MemoryReplayStoreOptions = {},
    components: MemoryReplayStoreComponents = {},
  ) {
    const max = options.maxEntries ?? DEFAULT_REPLAY_STORE_ENTRIES;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new TransportError('INVALID_OPTIONS', 'maxEntries: must be a positive integer', {
        details: { field: 'maxEntries' },
      });
    }
    this.#maxEntries = max;
    this.#clock = components.clock ?? Date.now;
  }

  /** Keys held now (expired ones included until they are evicted). */
  get size(): number {
    return this.#expiry.size;
  }

  seen(key: string, expiresAtMs: number): boolean {
    const now = this.#clock();
    const known = this.#expiry.get(key);
    if (known !== undefined) {
      if (known > now) return true;
      this.#expiry.delete(key);
    }
    this.#evictOldest(now);
    // Already expired: nothing to remember (the verifier's freshness check refuses it anyway).
    if (!(expiresAtMs > now)) return false;
    if (this.#expiry.size >= this.#maxEntries) {
      if (now >= this.#nextSweepAt) this.#sweep(now);
      if (this.#expiry.size >= this.#maxEntries) {
        throw new ReplayStoreFullError(
          'REPLAY_STORE_FULL',
          `replay store full: ${this.#maxEntries} keys, none expired yet`,
          { details: { maxEntries: this.#maxEntries } },
        );
      }
    }
    this.#expiry.set(key, expiresAtMs);
    return false;
  }

  /** Drops every expired key now. */
  sweep(): void {
    this.#sweep(this.#clock());
  }

  #evictOldest(now: number): void {
    for (const [key, expiry] of this.#expiry) {
      if (expiry > now) return;
      this.#expiry.delete(key);
    }
  }

  #sweep(now: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const [key, expiry] of this.#expiry) {
      if (expiry <= now) this.#expiry.delete(key);
      else if (expiry < next) next = expiry;
    }
    this.#nextSweepAt = next;
  }
}
