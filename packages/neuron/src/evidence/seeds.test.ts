import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deriveSeed,
  loadOrCreateSecret,
  nextSeed,
  SECRET_FILE,
  seedCommitment,
  seededRandom,
  verifySeedReveal,
} from './seeds.js';

const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
const epoch = '00112233445566778899aabbccddeeff';

describe('deriveSeed', () => {
  // Vectors computed independently with Python's hmac/hashlib/struct (see the test's README note):
  // HMAC-SHA256(secret, b"subnetkit/task-seed/v1\0" + epoch + struct.pack(">HQIQ", ...)).
  it.each([
    [
      { netuid: 1, step: 0, uid: 0, counter: 0 },
      '76762cdc5066ee0fea79c5818ebd897f9112456e7bc14fba1693ab2840307f2f',
      '80b207c9b5be73b8b7c5ede511dd093c3a6307a44763dc1f0e6a9dec12f3e331',
    ],
    [
      { netuid: 7, step: 123456789, uid: 42, counter: 99 },
      'c37935ee4a84bb74f59336524dae5c2196c8514c2497ac6cbafe9c4a76496c3b',
      '19db3976b43528490fe0abe32921b23089c9cf79df555b3a615f63667f99fa01',
    ],
    [
      { netuid: 1, step: 5, uid: null, counter: 3 },
      '91154fd346913bffc42ad0c62e5500c052c3228cbd252ae8086cfd3d860160d5',
      '4c7a8324171f6d7e38e75dc9c763bca97f779c4974faaec763b4c6ba4464f0be',
    ],
  ])('matches the independent vector %#', (input, seed, commitment) => {
    const s = deriveSeed(secret, { ...input, epoch });
    expect(s.seed).toBe(seed);
    expect(s.commitment).toBe(commitment);
    expect(s.taskId).toBe(`00112233-${input.counter}`);
  });

  it('changes with every input and with the secret', () => {
    const base = { netuid: 1, step: 1, uid: 1, counter: 1, epoch };
    const seeds = new Set([
      deriveSeed(secret, base).seed,
      deriveSeed(secret, { ...base, netuid: 2 }).seed,
      deriveSeed(secret, { ...base, step: 2 }).seed,
      deriveSeed(secret, { ...base, uid: 2 }).seed,
      deriveSeed(secret, { ...base, uid: null }).seed,
      deriveSeed(secret, { ...base, counter: 2 }).seed,
      deriveSeed(secret, { ...base, epoch: 'f'.repeat(32) }).seed,
      deriveSeed(
        secret.map((b) => b ^ 1),
        base,
      ).seed,
    ]);
    expect(seeds.size).toBe(8);
  });

  it('rejects bad inputs by name', () => {
    const base = { netuid: 1, step: 1, uid: 1, counter: 1, epoch };
    expect(() => deriveSeed(secret, { ...base, step: -1 })).toThrow(/step/);
    expect(() => deriveSeed(secret, { ...base, netuid: 70000 })).toThrow(/netuid/);
    expect(() => deriveSeed(secret, { ...base, epoch: 'xyz' })).toThrow(/epoch/);
    expect(() => deriveSeed(new Uint8Array(4), base)).toThrow(/secret/);
  });

  it('nextSeed advances the counter, so two tasks at one step differ', () => {
    const state = { netuid: 1, step: 9, seedEpoch: epoch, seedCounter: 0, other: 'kept' };
    const a = nextSeed(state, secret, 3);
    const b = nextSeed(a.state, secret, 3);
    expect(a.state).toEqual({ ...state, seedCounter: 1 });
    expect(b.state.seedCounter).toBe(2);
    expect(a.seed.seed).not.toBe(b.seed.seed);
    expect(state.seedCounter).toBe(0);
  });
});

describe('commitments', () => {
  it('verify the revealed seed and nothing else', () => {
    const s = deriveSeed(secret, { netuid: 1, step: 0, uid: 0, counter: 0, epoch });
    expect(verifySeedReveal(s.commitment, s.seed)).toBe(true);
    expect(verifySeedReveal(s.commitment.toUpperCase(), s.seed)).toBe(true);
    const other = `${s.seed.slice(0, 63)}${s.seed.endsWith('0') ? '1' : '0'}`;
    expect(verifySeedReveal(s.commitment, other)).toBe(false);
    expect(verifySeedReveal(s.commitment, 'not hex')).toBe(false);
    expect(() => seedCommitment('ab')).toThrow(/seed/);
  });
});

describe('seededRandom', () => {
  it('is SHA-256 in counter mode (independent vector)', () => {
    const rng = seededRandom('ab'.repeat(32), 'lbl');
    expect([rng.uint32(), rng.uint32(), rng.uint32()]).toEqual([2487990980, 1562923057, 372695066]);
    expect(Buffer.from(seededRandom('ab'.repeat(32), 'lbl').bytes(16)).toString('hex')).toBe(
      '944bbac45d2850311636e01a1a8cd619',
    );
  });

  it('is reproducible, label-separated, in range and roughly uniform', () => {
    const a = seededRandom('01'.repeat(32));
    const b = seededRandom('01'.repeat(32));
    const c = seededRandom('01'.repeat(32), 'other');
    const xs = Array.from({ length: 8 }, () => a.float());
    expect(Array.from({ length: 8 }, () => b.float())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.float())).not.toEqual(xs);
    const rng = seededRandom('02'.repeat(32));
    const buckets = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) buckets[rng.int(6)]++;
    for (const n of buckets) expect(n).toBeGreaterThan(850);
    for (let i = 0; i < 1000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect(['x', 'y']).toContain(rng.pick(['x', 'y']));
    expect(() => rng.int(0)).toThrow(/n:/);
    expect(() => rng.pick([])).toThrow(/empty/);
  });
});

describe('loadOrCreateSecret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neuron-secret-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 0600 secret once and reads the same one back', async () => {
    const a = await loadOrCreateSecret(join(dir, 'state'));
    expect(a.created).toBe(true);
    expect(a.secret).toHaveLength(32);
    expect(a.looseMode).toBe(false);
    expect((await stat(a.path)).mode & 0o777).toBe(0o600);
    const b = await loadOrCreateSecret(join(dir, 'state'));
    expect(b.created).toBe(false);
    expect(b.secret).toEqual(a.secret);
    expect(await readdir(join(dir, 'state'))).toEqual([SECRET_FILE]);
  });

  it('concurrent first calls agree on one secret', async () => {
    const all = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateSecret(dir)));
    expect(all.filter((s) => s.created)).toHaveLength(1);
    for (const s of all) expect(s.secret).toEqual(all[0]!.secret);
    expect(await readdir(dir)).toEqual([SECRET_FILE]);
  });

  it('reports a loose mode and refuses a malformed file', async () => {
    const s = await loadOrCreateSecret(dir);
    await chmod(s.path, 0o644);
    expect((await loadOrCreateSecret(dir)).looseMode).toBe(true);
    await writeFile(s.path, 'short\n');
    await expect(loadOrCreateSecret(dir)).rejects.toMatchObject({ code: 'SECRET_INVALID' });
    expect(await readFile(s.path, 'utf8')).toBe('short\n');
  });
});
