import { isSubnetkitError } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, type ReplayStore, ReplayStoreFullError } from './replay.js';

function clocked(options: { maxEntries?: number } = {}) {
  const time = { now: 1_000_000 };
  const store = new MemoryReplayStore(options, { clock: () => time.now });
  return { store, time };
}

describe('MemoryReplayStore', () => {
  it('reports a key as seen until it expires, then accepts it again', () => {
    const { store, time } = clocked();
    expect(store.seen('a', time.now + 100)).toBe(false);
    expect(store.seen('a', time.now + 100)).toBe(true);
    expect(store.seen('b', time.now + 100)).toBe(false);
    time.now += 99;
    expect(store.seen('a', time.now + 100)).toBe(true);
    time.now += 1;
    expect(store.seen('a', time.now + 100)).toBe(false);
    expect(store.seen('a', time.now + 100)).toBe(true);
  });

  it('does not store a key whose expiry has already passed', () => {
    const { store, time } = clocked();
    expect(store.seen('old', time.now)).toBe(false);
    expect(store.seen('old', time.now - 5)).toBe(false);
    expect(store.size).toBe(0);
  });

  it('evicts expired keys as new ones arrive, so a steady stream stays small', () => {
    const { store, time } = clocked({ maxEntries: 50 });
    for (let i = 0; i < 10_000; i++) {
      time.now += 1;
      expect(store.seen(`k${i}`, time.now + 10)).toBe(false);
    }
    expect(store.size).toBeLessThanOrEqual(11);
  });

  it('sweeps expired keys hidden behind a long-lived one when full', () => {
    const { store, time } = clocked({ maxEntries: 4 });
    store.seen('long', time.now + 1_000);
    store.seen('s1', time.now + 10);
    store.seen('s2', time.now + 10);
    store.seen('s3', time.now + 10);
    time.now += 10;
    expect(store.seen('new', time.now + 10)).toBe(false);
    expect(store.size).toBe(2);
    expect(store.seen('long', time.now + 1_000)).toBe(true);
  });

  it('fails closed when full of live keys, and recovers once some expire', () => {
    const { store, time } = clocked({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) store.seen(k, time.now + 10);
    let thrown: unknown;
    try {
      store.seen('d', time.now + 10);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReplayStoreFullError);
    expect(isSubnetkitError(thrown, 'REPLAY_STORE_FULL')).toBe(true);
    // A live key stays a replay even while the store is full.
    expect(store.seen('a', time.now + 10)).toBe(true);
    time.now += 10;
    expect(store.seen('d', time.now + 10)).toBe(false);
  });

  it('rejects a bad bound', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryReplayStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });

  it('is a ReplayStore (sync or async implementations fit the interface)', async () => {
    const keys = new Set<string>();
    const asyncStore: ReplayStore = {
      async seen(key) {
        if (keys.has(key)) return true;
        keys.add(key);
        return false;
      },
    };
    expect(await asyncStore.seen('x', Date.now() + 1)).toBe(false);
    expect(await asyncStore.seen('x', Date.now() + 1)).toBe(true);
    const memory: ReplayStore = new MemoryReplayStore();
    expect(memory.seen('x', Date.now() + 1_000)).toBe(false);
  });
});
