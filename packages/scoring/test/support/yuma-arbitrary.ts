/**
 * Random subnets for the differential tests of the fused epoch against the step-by-step
 * reference (test/support/reference-yuma), built to hit the edge cases: zero and huge stakes,
 * empty rows, explicit zero weights and bonds, ties in the median (weights drawn from a few
 * values), κ and the bonds penalty at their extremes, liquid-alpha steepness that saturates
 * `exp`, emissions on both sides of 2⁵³.
 */
import fc from 'fast-check';
import type { YumaInput } from '../../src/index.js';

const u16 = fc.oneof(
  fc.integer({ min: 0, max: 65535 }),
  fc.constantFrom(0, 1, 32767, 32768, 65534, 65535),
);
const tied = fc.constantFrom(0, 13107, 32767, 65535);

export const subnet = fc.integer({ min: 1, max: 40 }).chain((n) =>
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
    emission: fc.oneof(
      fc.constant(1_000_000_000n),
      fc.bigInt({ min: 0n, max: 2n ** 53n }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    ),
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

export type Subnet = typeof subnet extends fc.Arbitrary<infer T> ? T : never;

function dedupe(rows: Array<Array<[number, number]>>): Array<Array<[number, number]>> {
  return rows.map((row) => [...new Map(row).entries()]);
}

export function toInput(s: Subnet): YumaInput {
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
    emission: s.emission,
    hyperparams: s.hyperparams,
  };
}
