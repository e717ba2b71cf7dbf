import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NeuronError } from '../errors.js';
import { SEED_BYTES, seededRandom, seedFromHex } from './seeded-random.js';

const seed = (n: number) => new Uint8Array(SEED_BYTES).fill(n);
const draw = (s: Uint8Array | string, label: string, n = 16) => {
  const r = seededRandom(s, label);
  return Array.from({ length: n }, () => r.uint32());
};

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('seededRandom', () => {
  it('is deterministic per (seed, label) and differs across seeds and labels', () => {
    expect(draw(seed(1), 'a')).toEqual(draw(seed(1), 'a'));
    expect(draw(seed(1), 'a')).not.toEqual(draw(seed(2), 'a'));
    expect(draw(seed(1), 'a')).not.toEqual(draw(seed(1), 'b'));
    const flipped = seed(1);
    flipped[31] = 0;
    expect(draw(flipped, 'a')).not.toEqual(draw(seed(1), 'a'));
  });

  it('reads the same stream from a hex seed and from its bytes', () => {
    expect(draw('07'.repeat(32), 'x', 40)).toEqual(draw(seed(7), 'x', 40));
  });

  it('is pinned: block i is sha256(seed ‖ label ‖ u64be(i)), consumed byte by byte', () => {
    const block = (i: number) => {
      const ctr = Buffer.alloc(8);
      ctr.writeBigUInt64BE(BigInt(i));
      return createHash('sha256').update(seed(7)).update('x').update(ctr).digest();
    };
    const want = Buffer.concat([block(0), block(1)]);
    const r = seededRandom(seed(7), 'x');
    // 7 words (28 bytes), then a word across the block boundary, then bytes from block 1.
    const words = Array.from({ length: 8 }, () => r.uint32());
    expect(words).toEqual(Array.from({ length: 8 }, (_, i) => want.readUInt32BE(4 * i)));
    expect(Buffer.from(r.bytes(5)).toString('hex')).toBe(want.subarray(32, 37).toString('hex'));
  });

  it('draws floats in [0, 1) and integers in range, roughly uniformly', () => {
    const r = seededRandom(seed(3), 'uniform');
    let sum = 0;
    for (let i = 0; i < 4000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
    }
    expect(Math.abs(sum / 4000 - 0.5)).toBeLessThan(0.05);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[r.int(6)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) seen.add(r.range(-3, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
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
    expect(Array.from({ length: 8 }, () => a.uint32())).toEqual(draw(seed(5), 'root/child', 8));
    expect(draw(seed(5), 'root/child')).not.toEqual(draw(seed(5), 'root'));
  });

  it('rejects bad seeds and arguments with errors naming the field', () => {
    expect(() => seededRandom(new Uint8Array(31), 'x')).toThrow(/^seed: must be a 32-byte/);
    expect(() => seededRandom('ab', 'x')).toThrow(/^seed: must be 64 lowercase hex/);
    expect(() => seededRandom(42 as unknown as string, 'x')).toThrow(/^seed: /);
    const r = seededRandom(seed(6), 'x');
    expect(() => r.int(0)).toThrow(/^n: /);
    expect(() => r.int(1.5)).toThrow(/^n: /);
    expect(() => r.range(3, 2)).toThrow(/^range: /);
    expect(() => r.pick([])).toThrow(/^items: /);
    expect(() => r.bytes(-1)).toThrow(/^n: /);
    const err = caught(() => seededRandom(new Uint8Array(3), 'x'));
    expect(err).toBeInstanceOf(NeuronError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'seed' } });
  });

  it('reads a seed from hex', () => {
    expect(seedFromHex(`0x${'ab'.repeat(32)}`)).toEqual(new Uint8Array(32).fill(0xab));
    expect(() => seedFromHex('abc')).toThrow(/^seed: must be 64 hex digits/);
  });
});
