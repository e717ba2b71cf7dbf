/**
 * The key-value state of one block: SCALE-encoded values under their hex storage keys, as a
 * Substrate node stores them. `clone()` gives the next block its own copy; `begin/commit/
 * rollback` make a dispatch transactional (a failed extrinsic leaves no trace but its events).
 */
export class StateStore {
  readonly #map: Map<string, Uint8Array>;
  readonly #journal: (readonly [string, Uint8Array | undefined])[][] = [];
  /** Keys written since this store was created (a block's changes, for its state digest). */
  readonly dirty = new Set<string>();

  constructor(entries?: Iterable<readonly [string, Uint8Array]>) {
    this.#map = new Map(entries);
  }

  clone(): StateStore {
    return new StateStore(this.#map);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): Uint8Array | undefined {
    return this.#map.get(key);
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  set(key: string, value: Uint8Array): void {
    this.#record(key);
    this.#map.set(key, value);
  }

  delete(key: string): void {
    if (!this.#map.has(key)) return;
    this.#record(key);
    this.#map.delete(key);
  }

  #record(key: string): void {
    this.dirty.add(key);
    const top = this.#journal[this.#journal.length - 1];
    if (top) top.push([key, this.#map.get(key)]);
  }

  begin(): void {
    this.#journal.push([]);
  }

  commit(): void {
    const top = this.#journal.pop();
    const parent = this.#journal[this.#journal.length - 1];
    if (top && parent) parent.push(...top);
  }

  rollback(): void {
    const top = this.#journal.pop();
    if (!top) return;
    for (let i = top.length - 1; i >= 0; i--) {
      const [key, prev] = top[i] as readonly [string, Uint8Array | undefined];
      if (prev === undefined) this.#map.delete(key);
      else this.#map.set(key, prev);
    }
  }

  /** Keys with a prefix, sorted as bytes (hex of equal case sorts the same way). */
  keys(prefix = '0x'): string[] {
    const out: string[] = [];
    for (const k of this.#map.keys()) if (k.startsWith(prefix)) out.push(k);
    return out.sort();
  }

  entries(): IterableIterator<[string, Uint8Array]> {
    return this.#map.entries();
  }
}
