import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactStore } from './artifacts.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'neuron-artifacts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const pathOf = (hex: string) => join(dir, hex.slice(0, 2), hex);

/** A clock the test moves by hand. */
function clock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** The data files (not the `.json` sidecars) under the store's directory. */
async function dataFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const shard of await readdir(dir).catch(() => [] as string[])) {
    for (const name of await readdir(join(dir, shard))) {
      if (/^[0-9a-f]{64}$/.test(name)) out.push(name);
    }
  }
  return out.sort();
}

describe('ArtifactStore', () => {
  it('round-trips bytes and strings under their sha256, keeping the media type', async () => {
    const store = new ArtifactStore({ dir });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 1]);
    const a = await store.put(png, { mediaType: 'image/png', role: 'answer' });
    expect(a).toEqual({ sha256: sha(png), mediaType: 'image/png', bytes: 7, role: 'answer' });
    const text = 'héllo, wörld';
    const b = await store.put(text, { mediaType: 'text/plain; charset=utf-8' });
    expect(b.sha256).toBe(sha(Buffer.from(text, 'utf8')));
    expect(b.bytes).toBe(Buffer.byteLength(text));
    expect(b.role).toBe('answer');

    const gotA = await store.get(a.sha256);
    expect(gotA?.mediaType).toBe('image/png');
    expect(Buffer.from(gotA!.bytes).equals(Buffer.from(png))).toBe(true);
    const gotB = await store.get(b.sha256);
    expect(gotB?.mediaType).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(gotB!.bytes).toString('utf8')).toBe(text);
    expect(store.totalBytes).toBe(7 + Buffer.byteLength(text));
    expect(await dataFiles()).toEqual([a.sha256, b.sha256].sort());
  });

  it('stores identical bytes once and refreshes their age', async () => {
    const c = clock();
    const store = new ArtifactStore({ dir, maxAgeMs: 1000 }, { now: c.now });
    const first = await store.put('same', { mediaType: 'text/plain', role: 'answer' });
    c.advance(800);
    const again = await store.put(Buffer.from('same'), { mediaType: 'text/plain', role: 'stream' });
    expect(again.sha256).toBe(first.sha256);
    expect(again.role).toBe('stream');
    expect(store.totalBytes).toBe(4);
    expect(await dataFiles()).toEqual([first.sha256]);
    // 1100 ms after the first put but 300 ms after the second: still within the age limit.
    c.advance(300);
    await store.put('other', { mediaType: 'text/plain' });
    expect(await store.get(first.sha256)).not.toBeNull();
  });

  it('deletes the oldest first until under maxBytes, and keeps the one just put', async () => {
    const c = clock();
    const store = new ArtifactStore({ dir, maxBytes: 100 }, { now: c.now });
    const refs = [];
    for (const fill of ['a', 'b', 'c']) {
      refs.push(await store.put(fill.repeat(30), { mediaType: 'text/plain' }));
      c.advance(10);
    }
    expect(store.totalBytes).toBe(90);
    // 90 + 40 = 130: 'a' (oldest) goes → 100, which is within the limit: 'b' stays.
    const d = await store.put('d'.repeat(40), { mediaType: 'text/plain' });
    expect(store.totalBytes).toBe(100);
    expect(await store.get(refs[0]!.sha256)).toBeNull();
    expect(await store.get(refs[1]!.sha256)).not.toBeNull();
    expect(await store.get(refs[2]!.sha256)).not.toBeNull();
    c.advance(10);
    // One item of the whole budget: everything else goes, the new one stays.
    const big = await store.put('e'.repeat(100), { mediaType: 'text/plain' });
    expect(store.totalBytes).toBe(100);
    expect(await dataFiles()).toEqual([big.sha256]);
    expect(await store.get(d.sha256)).toBeNull();
    expect(await store.get(big.sha256)).not.toBeNull();
  });

  it('deletes what is past maxAgeMs (injected clock), on put and on prune()', async () => {
    const c = clock();
    const store = new ArtifactStore({ dir, maxAgeMs: 60_000 }, { now: c.now });
    const old = await store.put('old', { mediaType: 'text/plain' });
    c.advance(30_000);
    const mid = await store.put('mid', { mediaType: 'text/plain' });
    c.advance(30_001);
    const fresh = await store.put('fresh', { mediaType: 'text/plain' });
    expect(await store.get(old.sha256)).toBeNull();
    expect(await store.get(mid.sha256)).not.toBeNull();
    expect(store.totalBytes).toBe(3 + 5);
    c.advance(60_001);
    await store.prune();
    expect(await store.get(mid.sha256)).toBeNull();
    expect(await store.get(fresh.sha256)).toBeNull();
    expect(store.totalBytes).toBe(0);
    expect(await dataFiles()).toEqual([]);
  });

  it('get() does not serve an artifact past its age even before the next prune', async () => {
    const c = clock();
    const store = new ArtifactStore({ dir, maxAgeMs: 1000 }, { now: c.now });
    const ref = await store.put('x', { mediaType: 'text/plain' });
    c.advance(1001);
    expect(await store.get(ref.sha256)).toBeNull();
  });

  it('refuses an item over maxItemBytes and a bad media type with INVALID_ARGUMENT', async () => {
    const store = new ArtifactStore({ dir, maxBytes: 1000, maxItemBytes: 10 });
    await expect(store.put('x'.repeat(11), { mediaType: 'text/plain' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/11 bytes .*10-byte limit/),
    });
    // maxItemBytes never exceeds maxBytes.
    expect(new ArtifactStore({ dir, maxBytes: 50, maxItemBytes: 500 }).maxItemBytes).toBe(50);
    for (const mediaType of ['', 'png', 'image/', '/png', 'text/plain\r\nx-evil: 1', 'a b/c']) {
      await expect(store.put('ok', { mediaType })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('mediaType'),
      });
    }
    expect(store.totalBytes).toBe(0);
    expect(await dataFiles()).toEqual([]);
    // The store still works after refusals (the queue is not poisoned).
    expect((await store.put('ok', { mediaType: 'text/plain' })).bytes).toBe(2);
    expect(() => new ArtifactStore({ dir, maxBytes: 0 })).toThrow(/maxBytes/);
    expect(() => new ArtifactStore({ dir, maxAgeMs: Number.NaN })).toThrow(/maxAgeMs/);
  });

  it('get() of a malformed or unknown sha is null', async () => {
    const store = new ArtifactStore({ dir });
    const ref = await store.put('known', { mediaType: 'text/plain' });
    for (const bad of ['', 'abc', ref.sha256.toUpperCase(), `${ref.sha256}0`, '../../etc/passwd']) {
      expect(await store.get(bad)).toBeNull();
    }
    expect(await store.get('0'.repeat(64))).toBeNull();
    expect(await store.get(ref.sha256)).not.toBeNull();
  });

  it('get() re-checks the hash: a file changed on disk is null', async () => {
    const store = new ArtifactStore({ dir });
    const ref = await store.put('original', { mediaType: 'text/plain' });
    await writeFile(pathOf(ref.sha256), 'tampered');
    expect(await store.get(ref.sha256)).toBeNull();
  });

  it('a new store on the same directory re-indexes it and keeps pruning by age and size', async () => {
    const c = clock();
    const first = new ArtifactStore({ dir }, { now: c.now });
    const refs = [];
    for (const fill of ['a', 'b', 'c']) {
      refs.push(await first.put(fill.repeat(30), { mediaType: 'text/plain' }));
      c.advance(1000);
    }
    const [a, b, cc] = refs as [(typeof refs)[0], (typeof refs)[0], (typeof refs)[0]];
    // 3000 ms after a, 2000 after b, 1000 after c.
    const second = new ArtifactStore({ dir, maxBytes: 100, maxAgeMs: 2500 }, { now: c.now });
    await second.prune();
    expect(second.totalBytes).toBe(60);
    expect(await dataFiles()).toEqual([b.sha256, cc.sha256].sort());
    // 60 + 50 = 110 > 100: the oldest left on disk (b) goes, c stays.
    const d = await second.put('d'.repeat(50), { mediaType: 'text/plain' });
    expect(second.totalBytes).toBe(80);
    expect(await dataFiles()).toEqual([cc.sha256, d.sha256].sort());
    expect(await second.get(a.sha256)).toBeNull();
    expect((await second.get(cc.sha256))?.mediaType).toBe('text/plain');
  });

  it('an item put again is never the one pruned, even when its age ties with others', async () => {
    // Two items of the same age on disk, then a store with a smaller budget puts one of them
    // again: the other goes. Both orders are tried, so it does not depend on directory order.
    for (const again of [0, 1]) {
      const sub = join(dir, `case-${again}`);
      const items = ['p'.repeat(60), 'q'.repeat(60)];
      const wide = new ArtifactStore({ dir: sub }, { now: () => 5_000 });
      for (const item of items) await wide.put(item, { mediaType: 'text/plain' });
      const narrow = new ArtifactStore({ dir: sub, maxBytes: 100 }, { now: () => 5_000 });
      const ref = await narrow.put(items[again]!, { mediaType: 'text/plain' });
      expect(narrow.totalBytes).toBe(60);
      expect(await narrow.get(ref.sha256)).not.toBeNull();
      expect(await narrow.get(sha(items[1 - again]!))).toBeNull();
    }
  });

  it('writes files and shard directories owner-only (0600 / 0700)', async () => {
    const store = new ArtifactStore({ dir });
    const ref = await store.put('secret-ish', { mediaType: 'text/plain' });
    expect((await stat(pathOf(ref.sha256))).mode & 0o777).toBe(0o600);
    expect((await stat(`${pathOf(ref.sha256)}.json`)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, ref.sha256.slice(0, 2)))).mode & 0o777).toBe(0o700);
  });

  it('concurrent puts keep the total exact (distinct and identical bytes)', async () => {
    const store = new ArtifactStore({ dir });
    const items = Array.from({ length: 36 }, (_, i) => `item-${i % 12}-`.repeat((i % 12) + 1));
    const refs = await Promise.all(items.map((s) => store.put(s, { mediaType: 'text/plain' })));
    const unique = new Map(refs.map((r) => [r.sha256, r.bytes]));
    const expected = [...unique.values()].reduce((s, n) => s + n, 0);
    expect(unique.size).toBe(12); // each one three times
    expect(store.totalBytes).toBe(expected);
    expect(await dataFiles()).toEqual([...unique.keys()].sort());
    const reopened = new ArtifactStore({ dir });
    await reopened.prune();
    expect(reopened.totalBytes).toBe(expected);
  });
});
