// Lanes: per-axon uuids that keep nonces increasing per (hotkey, uuid) under concurrency.

export interface Lane {
  uuid: string;
  /** Frees the lane (idempotent). */
  release: () => void;
}

/**
 * Concurrent calls to one axon travel on several connections and may arrive out of order;
 * an axon then rejects the later-arriving smaller nonce (the SDK has this problem). Each
 * in-flight call to an axon therefore takes a lane with its own uuid (`uuid`, `uuid-1`, ...):
 * a lane carries one call at a time, so per (hotkey, uuid) nonces arrive strictly increasing.
 */
export class Lanes {
  /** Busy lane numbers per axon. */
  readonly #busy = new Map<string, Set<number>>();

  constructor(private readonly uuid: string) {}

  acquire(key: string): Lane {
    let busy = this.#busy.get(key);
    if (!busy) {
      busy = new Set();
      this.#busy.set(key, busy);
    }
    let lane = 0;
    while (busy.has(lane)) lane++;
    busy.add(lane);
    const set = busy;
    let released = false;
    return {
      uuid: lane === 0 ? this.uuid : `${this.uuid}-${lane}`,
      release: () => {
        if (released) return;
        released = true;
        set.delete(lane);
        if (set.size === 0) this.#busy.delete(key);
      },
    };
  }
}
