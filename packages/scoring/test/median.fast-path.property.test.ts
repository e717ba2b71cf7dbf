import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MedianScratch, weightedMedian } from '../src/yuma/median.js';
import {
  MedianScratch as ReferenceScratch,
  weightedMedian as referenceMedian,
} from './support/reference-yuma/median.js';

/** The branch-free partition against the previous branching one (the chain's loop as written). */
describe('weighted median: branch-free split equals the branching one', () => {
  it('on random columns with ties, zero stakes, and κ putting the minority out of range', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 })),
            fc.oneof(fc.constantFrom(0, 1, 2 ** 31, 2 ** 32), fc.integer({ min: 0, max: 2 ** 32 })),
          ),
          { minLength: 0, maxLength: 80 },
        ),
        fc.integer({ min: 0, max: 5 }),
        fc.oneof(fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.constantFrom(0, -1, 2 ** 31)),
        (pairs, off, minorityDelta) => {
          const m = pairs.length;
          const stake = Float64Array.from(pairs, ([s]) => s);
          const score = new Float64Array(off + m);
          pairs.forEach(([, v], k) => {
            score[off + k] = v;
          });
          const total = stake.reduce((a, b) => a + b, 0);
          const minority = total - 2 ** 31 + minorityDelta;
          expect(weightedMedian(stake, score, off, m, minority, total, new MedianScratch(m))).toBe(
            referenceMedian(stake, score, off, m, minority, total, new ReferenceScratch(m)),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
