import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type YumaInput, yumaEpoch } from '../src/index.js';
import { yumaEpoch as referenceEpoch } from './support/reference-yuma/epoch.js';

/**
 * The fused epoch (consensus and clipping in one pass, in-place normalisations, inline liquid
 * alpha, the double fast paths of `mul`/`div`/`exp`) against the straightforward step-by-step
 * implementation, on random subnets that hit the edge cases: zero and huge stakes, empty rows,
 * explicit zero weights and bonds, ties in the median (weights drawn from a few values), κ and
 * the bonds penalty at their extremes, liquid-alpha steepness that saturates `exp`.
 */
const u16 = fc.oneof(
  fc.integer({ min: 0, max: 65535 }),
  fc.constantFrom(0, 1, 32767, 32768, 65534, 65535),
);
const tied = fc.constantFrom(0, 13107, 32767, 65535);

const subnet = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    stake: fc.array(
      fc.oneof(
        fc.constant(0n),
        fc.bigInt({ min: 1n, max: 1000n }),
        fc.bigInt({ min: 1n, max: 2n ** 64n }),
      ),
      { minLength: n, maxLength: n },
    ),
    weights: fc.array(
      fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.oneof(u16, tied)), {
        maxLength: n,
      }),
      { minLength: n, maxLength: n },
    ),
    bonds: fc.option(
      fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), u16), { maxLength: n }), {
        minLength: n,
        maxLength: n,
      }),
      { nil: undefined },
    ),
    lastUpdate: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }),
    registered: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }),
    permit: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    owner: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }),
    lastStepBlock: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    hyperparams: fc.record({
      tempo: fc.integer({ min: 1, max: 100 }),
      activityCutoff: fc.integer({ min: 0, max: 200 }),
      kappa: u16,
      bondsPenalty: u16,
      bondsMovingAverage: fc.oneof(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(0, 900_000, 1_000_000),
      ),
      maxAllowedValidators: fc.integer({ min: 0, max: n + 2 }),
      yuma3: fc.boolean(),
      liquidAlpha: fc.boolean(),
      alphaLow: u16,
      alphaHigh: u16,
      alphaSigmoidSteepness: fc.oneof(
        fc.integer({ min: -32768, max: 32767 }),
        fc.constantFrom(1000, -1000, 100, 0, 1, 32767, -32768, 250),
      ),
    }),
  }),
);

type Subnet = typeof subnet extends fc.Arbitrary<infer T> ? T : never;

function dedupe(rows: Array<Array<[number, number]>>): Array<Array<[number, number]>> {
  return rows.map((row) => [...new Map(row).entries()]);
}

function toInput(s: Subnet): YumaInput {
  return {
    n: s.n,
    stake: s.stake,
    weights: dedupe(s.weights),
    ...(s.bonds !== undefined ? { bonds: dedupe(s.bonds) } : {}),
    lastUpdate: s.lastUpdate,
    blockAtRegistration: s.registered,
    validatorPermit: s.permit,
    currentBlock: 101,
    ...(s.owner !== undefined ? { ownerUid: s.owner } : {}),
    ...(s.lastStepBlock !== undefined ? { lastStepBlock: s.lastStepBlock } : {}),
    emission: 1_000_000_000n,
    hyperparams: s.hyperparams,
  };
}

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
