import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { SEED_BYTES, seededRandom, seedFromHex } from './random.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

const seed = (n: number) => new Uint8Array(SEED_BYTES).fill(n);
const draw = (s: Uint8Array, label: string, n = 16) => {
  const r = seededRandom(s, label);
  return Array.from({ length: n }, () => r.uint32());
};

describe('seededRandom', () => {
  it('is deterministic per (seed, label) and differs across seeds and labels', () => {
    expect(draw(seed(1), 'a')).toEqual(draw(seed(1), 'a'));
    expect(draw(seed(1), 'a')).not.toEqual(draw(seed(2), 'a'));
    expect(draw(seed(1), 'a')).not.toEqual(draw(seed(1), 'b'));
    // One bit of the seed changes the stream.
    const flipped = seed(1);
    flipped[31] = 0; // was 0x01
    expect(draw(flipped, 'a')).not.toEqual(draw(seed(1), 'a'));
  });

  it('is pinned: the first word is sha256(seed ‖ "/" ‖ label ‖ u64be(0)) read big-endian', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const input = new Uint8Array([
      ...seed(7),
      0x2f,
      ...new TextEncoder().encode('x'),
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    const h = sha256(input);
    const want = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
    expect(seededRandom(seed(7), 'x').uint32()).toBe(want);
  });

  it('draws floats in [0, 1) and ints in range, roughly uniformly', () => {
    const r = seededRandom(seed(3), 'uniform');
    let sum = 0;
    for (let i = 0; i < 4000; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      sum += f;
    }
    expect(sum / 4000).toBeGreaterThan(0.45);
    expect(sum / 4000).toBeLessThan(0.55);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[r.int(6)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    for (let i = 0; i < 200; i++) {
      const v = r.range(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
    }
    expect(r.int(1)).toBe(0);
  });

  it('picks members and shuffles into a permutation without touching the input', () => {
    const r = seededRandom(seed(4), 'shuffle');
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = r.shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(out.slice().sort()).toEqual(input);
    expect(out).not.toEqual(input);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(r.pick(['a', 'b', 'c']));
    expect(seen).toEqual(new Set(['a', 'b', 'c']));
  });

  it('forks independent streams that are themselves deterministic', () => {
    const a = seededRandom(seed(5), 'root').fork('child');
    const b = seededRandom(seed(5), 'root/child');
    expect(Array.from({ length: 8 }, () => a.uint32())).toEqual(
      Array.from({ length: 8 }, () => b.uint32()),
    );
    expect(draw(seed(5), 'root/child')).not.toEqual(draw(seed(5), 'root'));
  });

  it('rejects bad seeds and arguments with errors naming the field', () => {
    expect(() => seededRandom(new Uint8Array(31), 'x')).toThrow(TextSubnetError);
    expect(() => seededRandom('ab' as unknown as Uint8Array, 'x')).toThrow(
      /^seed: must be a 32-byte/,
    );
    const r = seededRandom(seed(6), 'x');
    expect(() => r.int(0)).toThrow(/^n: /);
    expect(() => r.int(1.5)).toThrow(/^n: /);
    expect(() => r.range(3, 2)).toThrow(/^range: /);
    expect(() => r.pick([])).toThrow(/^items: /);
    const err = caught(() => seededRandom(new Uint8Array(3), 'x'));
    expect(err).toBeInstanceOf(TextSubnetError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'seed' });
  });

  it('reads a seed from hex', () => {
    expect(seedFromHex(`0x${'ab'.repeat(32)}`)).toEqual(new Uint8Array(32).fill(0xab));
    expect(() => seedFromHex('abc')).toThrow(/^seed: must be 64 hex digits/);
  });
});
