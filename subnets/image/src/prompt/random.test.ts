import { describe, expect, it } from 'vitest';
import { ImageSubnetError } from '../errors.js';
import { seededRandom } from './random.js';

const seed = (n: number) => new Uint8Array(32).fill(n);

describe('seededRandom', () => {
  it('is deterministic for (seed, label) and differs across labels and seeds', () => {
    const draw = (s: Uint8Array, label: string) => {
      const r = seededRandom(s, label);
      return Array.from({ length: 20 }, () => r.uint32());
    };
    expect(draw(seed(1), 'a')).toEqual(draw(seed(1), 'a'));
    expect(draw(seed(1), 'a')).not.toEqual(draw(seed(1), 'b'));
    expect(draw(seed(1), 'a')).not.toEqual(draw(seed(2), 'a'));
  });

  it('draws integers in range, roughly uniformly', () => {
    const r = seededRandom(seed(3), 'uniform');
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[r.int(0, 5)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    for (let i = 0; i < 100; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('shuffles into a permutation', () => {
    const r = seededRandom(seed(4), 'shuffle');
    const out = r.shuffle([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(out.slice().sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(out).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects a seed that is not 32 bytes, naming the field', () => {
    expect(() => seededRandom(new Uint8Array(31), 'x')).toThrow(ImageSubnetError);
    expect(() => seededRandom('ab' as unknown as Uint8Array, 'x')).toThrow(
      /seed: must be a 32-byte/,
    );
  });
});
