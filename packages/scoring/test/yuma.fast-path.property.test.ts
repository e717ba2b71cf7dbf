import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type YumaInput, yumaEpoch } from '../src/index.js';
import { yumaEpoch as referenceEpoch } from './support/reference-yuma/epoch.js';
import { subnet, toInput } from './support/yuma-arbitrary.js';

/**
 * The fused epoch (consensus and clipping in one pass, in-place normalisations, inline liquid
 * alpha, the double fast paths of `mul`/`div`/`exp`) against the straightforward step-by-step
 * implementation, on random subnets that hit the edge cases: zero and huge stakes, empty rows,
 * explicit zero weights and bonds, ties in the median (weights drawn from a few values), κ and
 * the bonds penalty at their extremes, liquid-alpha steepness that saturates `exp`.
 */
describe('fused Yuma epoch equals the step-by-step implementation', () => {
  it('every output, bit for bit, on random subnets (original Yuma, Yuma 3, liquid alpha)', () => {
    fc.assert(
      fc.property(subnet, (s) => {
        const input = toInput(s);
        expect(yumaEpoch(input)).toEqual(referenceEpoch(input));
      }),
      { numRuns: 800 },
    );
  });

  it('dense subnets where every validator weights every miner (the bench shape)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (validators, miners, yuma3, ties, seed) => {
          const n = validators + miners;
          let x = seed;
          const next = () => {
            x = (Math.imul(x, 1103515245) + 12345) >>> 0;
            return x;
          };
          const pick = (v: number) => (ties ? [0, 1, 32767, 65535][v % 4]! : v % 65536);
          const weights = Array.from({ length: n }, (_, i) =>
            i < validators
              ? Array.from(
                  { length: miners },
                  (_, k) => [validators + k, pick(next())] as [number, number],
                )
              : [],
          );
          const bonds = weights.map((row) =>
            row.map(([j]) => [j, next() % 65536] as [number, number]),
          );
          const input: YumaInput = {
            n,
            stake: Array.from({ length: n }, (_, i) =>
              i < validators ? BigInt(1 + (next() % 1e6)) : 0n,
            ),
            weights,
            bonds,
            lastUpdate: new Array(n).fill(100),
            blockAtRegistration: new Array(n).fill(0),
            validatorPermit: Array.from({ length: n }, (_, i) => i < validators),
            currentBlock: 101,
            emission: 1_000_000_000n,
            hyperparams: { maxAllowedValidators: validators, yuma3, liquidAlpha: yuma3 },
          };
          expect(yumaEpoch(input)).toEqual(referenceEpoch(input));
        },
      ),
      { numRuns: 300 },
    );
  });
});
