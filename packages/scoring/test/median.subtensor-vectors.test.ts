import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainMaxUpscaleU16 } from '../src/index.js';
import { MedianScratch, weightedMedian } from '../src/yuma/median.js';

/** `I32F32::from_num(x as f32)`: f32 value, rounded to the nearest 2^-32 (ties to even). */
function fx(x: number): number {
  const s = Math.fround(x) * 2 ** 32; // exact: power-of-two scaling
  const f = Math.floor(s);
  const d = s - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

function median(stake: number[], score: number[], minority: number, hi?: number): number {
  const st = Float64Array.from(stake);
  const sc = Float64Array.from(score);
  const total = hi ?? stake.reduce((a, b) => a + b, 0);
  return weightedMedian(st, sc, 0, st.length, minority, total, new MedianScratch(st.length));
}

/** Cases of subtensor tests/math.rs `test_math_weighted_median` (majority 0.51). */
const CASES: Array<[number[], number[], number]> = [
  [[0.49, 0.51], [0.5, 1], 1],
  [[0.51, 0.49], [0.5, 1], 0.5],
  [[0.49, 0, 0.51], [0.5, 0.7, 1], 1],
  [[0.49, 0.01, 0.5], [0.5, 0.7, 1], 0.7],
  [[0.49, 0.51, 0], [0.5, 0.7, 1], 0.7],
  [[0, 0.49, 0.51], [0.5, 0.7, 1], 1],
  [[0, 0.49, 0, 0.51], [0.5, 0.5, 1, 1], 1],
  [[0, 0.49, 0, 0.51, 0], [0.5, 0.5, 1, 1, 0.5], 1],
  [[0.2, 0.2, 0.2, 0.2, 0.2], [0.8, 0.2, 1, 0.6, 0.4], 0.6],
  [
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    [0.8, 0.8, 0.2, 0.2, 1.0, 1.0, 0.6, 0.6, 0.4, 0.4],
    0.6,
  ],
];

describe('subtensor test_math_weighted_median', () => {
  const minority = fx(1) - fx(0.51);
  it('empty input → 0', () => {
    expect(median([], [], minority)).toBe(0);
  });
  it('single staker → its score', () => {
    expect(median([fx(1)], [fx(1)], minority)).toBe(fx(1));
  });
  it.each(CASES.map((c, i) => [i, ...c] as const))('case %i', (_i, stake, score, expected) => {
    expect(median(stake.map(fx), score.map(fx), minority)).toBe(fx(expected));
  });

  it('returns the smallest score whose cumulative stake exceeds the minority, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 20 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: -100, max: 60_000 }),
        (pairs, minorityRaw) => {
          const stake = pairs.map(([s]) => s);
          const score = pairs.map(([, v]) => v * 1000);
          const total = stake.reduce((a, b) => a + b, 0);
          const minority = (minorityRaw / 60_000) * total;
          const sorted = [...new Set(score)].sort((a, b) => a - b);
          let expected = sorted[sorted.length - 1]!;
          for (const v of sorted) {
            const cum = pairs.reduce((acc, [s, x]) => acc + (x * 1000 <= v ? s : 0), 0);
            if (cum > minority) {
              expected = v;
              break;
            }
          }
          expect(median(stake, score, minority, total)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('subtensor test_vec_u16_max_upscale_to_u16', () => {
  const cases: Array<[number[], number[]]> = [
    [[], []],
    [[0], [0]],
    [
      [0, 0],
      [0, 0],
    ],
    [[1], [65535]],
    [
      [0, 1],
      [0, 65535],
    ],
    [[65534], [65535]],
    [[65535], [65535]],
    [
      [65535, 65535],
      [65535, 65535],
    ],
    [
      [0, 1, 65534],
      [0, 1, 65535],
    ],
    [
      [0, 1, 2, 3, 4, 65533, 65535],
      [0, 1, 2, 3, 4, 65533, 65535],
    ],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_i, input, expected) => {
    expect(Array.from(chainMaxUpscaleU16(input))).toEqual(expected);
  });
});
