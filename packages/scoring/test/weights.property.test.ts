import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chainMaxUpscaleU16,
  convertWeightsAndUidsForEmit,
  normalizeMaxWeight,
  processWeights,
  roundHalfEven,
  ScoringError,
  splitToU16,
  u16ToFloatWeights,
} from '../src/index.js';

const weightArb = fc.float({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
const vecArb = fc.array(weightArb, { minLength: 1, maxLength: 300 });

describe('roundHalfEven', () => {
  it('matches Python round() on ties and non-ties', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 0, -2, 2, 3,
    ]);
  });
});

describe('convertWeightsAndUidsForEmit properties', () => {
  it('max is 65535, values in [1, 65535], within rounding of the exact value, order-preserving', () => {
    fc.assert(
      fc.property(vecArb, (w) => {
        const uids = w.map((_, i) => i);
        const out = convertWeightsAndUidsForEmit(uids, w);
        const max = Math.max(...w);
        if (max === 0) {
          expect(out.values.length).toBe(0);
          return;
        }
        expect(Math.max(...out.values)).toBe(65535);
        const byUid = new Map<number, number>();
        out.uids.forEach((u, k) => {
          byUid.set(u, out.values[k]!);
        });
        for (let i = 0; i < w.length; i++) {
          const exact = (w[i]! / max) * 65535;
          const v = byUid.get(i) ?? 0;
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(65535);
          expect(Math.abs(v - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
          for (let j = 0; j < w.length; j++) {
            if (w[i]! <= w[j]!) expect(v).toBeLessThanOrEqual(byUid.get(j) ?? 0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('sum of the emitted row, read back as the chain normalises it, is 65535 ± rounding', () => {
    fc.assert(
      fc.property(vecArb, (w) => {
        const out = convertWeightsAndUidsForEmit(
          w.map((_, i) => i),
          w,
        );
        if (out.values.length === 0) return;
        const row = u16ToFloatWeights(w.length, out.uids, out.values);
        const s = row.reduce((a, b) => a + b, 0);
        expect(Math.abs(s * 65535 - 65535)).toBeLessThan(0.05);
        // every read-back share is within u16 rounding of the input share
        const total = w.reduce((a, b) => a + b, 0);
        const max = Math.max(...w);
        const upscaledSum = (total / max) * 65535;
        for (let i = 0; i < w.length; i++) {
          expect(Math.abs(row[i]! - w[i]! / total)).toBeLessThanOrEqual(
            (0.5 * w.length) / upscaledSum + 1e-6,
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rejects negative, non-finite, mismatched and out-of-range input with a named field', () => {
    expect(() => convertWeightsAndUidsForEmit([0, 1], [1, -1])).toThrow(/weights\[1\]/);
    expect(() => convertWeightsAndUidsForEmit([0, 1], [1, Number.NaN])).toThrow(ScoringError);
    expect(() => convertWeightsAndUidsForEmit([0], [1, 2])).toThrow(/LENGTH|uids has/);
    expect(() => convertWeightsAndUidsForEmit([-1], [1])).toThrow(/uids\[0\]/);
  });
});

describe('splitToU16', () => {
  it('always sums to exactly 65535 and stays in range', () => {
    fc.assert(
      fc.property(vecArb, (w) => {
        fc.pre(w.some((x) => x > 0));
        const v = splitToU16(w);
        expect(v.reduce((a, b) => a + b, 0)).toBe(65535);
        for (const x of v) expect(x >= 0 && x <= 65535).toBe(true);
      }),
    );
  });
});

describe('normalizeMaxWeight properties', () => {
  it('sums to 1 and respects the limit when n·limit > 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 20, maxLength: 200 }),
        fc.double({ min: 0.06, max: 1, noNaN: true }),
        (x, limit) => {
          const y = normalizeMaxWeight(x, limit, 'float64');
          const s = y.reduce((a, b) => a + b, 0);
          expect(Math.abs(s - 1)).toBeLessThan(1e-9);
          for (const v of y) expect(v).toBeLessThanOrEqual(limit + 1e-6);
        },
      ),
    );
  });
});

describe('processWeights', () => {
  it('SDK unit test: all zero weights → [0] with weight 1', () => {
    const p = processWeights([1, 2, 3, 4, 5], [0, 0, 0, 0, 0], {
      numNeurons: 1,
      minAllowedWeights: 0.1,
      maxWeightLimit: 1,
    });
    expect(Array.from(p.uids)).toEqual([0]);
    expect(Array.from(p.weights)).toEqual([1]);
  });
});

describe('chainMaxUpscaleU16 (subtensor vec_u16_max_upscale_to_u16)', () => {
  it('keeps rows whose max is already 65535 and upscales others', () => {
    expect(Array.from(chainMaxUpscaleU16([16383, 32767, 49149, 65535]))).toEqual([
      16383, 32767, 49149, 65535,
    ]);
    expect(Array.from(chainMaxUpscaleU16([1, 2]))).toEqual([32768, 65535]);
    expect(Array.from(chainMaxUpscaleU16([0, 0]))).toEqual([0, 0]);
  });
});
