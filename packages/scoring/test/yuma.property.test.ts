import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type YumaInput, yumaEpoch } from '../src/index.js';

/** A random subnet: n uids, some with stake, sparse random u16 weights. */
const subnetArb = fc.integer({ min: 2, max: 24 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    stake: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })), {
      minLength: n,
      maxLength: n,
    }),
    weights: fc.array(
      fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: 65535 })), {
        maxLength: n,
      }),
      { minLength: n, maxLength: n },
    ),
    kappa: fc.integer({ min: 1, max: 65535 }),
  }),
);

function toInput(s: {
  n: number;
  stake: number[];
  weights: Array<Array<[number, number]>>;
  kappa: number;
}): YumaInput {
  // dedupe columns per row (the chain rejects duplicate uids)
  const weights = s.weights.map((row) => {
    const seen = new Map<number, number>();
    for (const [j, v] of row) seen.set(j, v);
    return [...seen.entries()];
  });
  return {
    n: s.n,
    stake: s.stake,
    weights,
    lastUpdate: new Array(s.n).fill(10),
    blockAtRegistration: new Array(s.n).fill(0),
    validatorPermit: new Array(s.n).fill(true),
    currentBlock: 11,
    emission: 1_000_000_000n,
    hyperparams: { kappa: s.kappa },
  };
}

const EPS = 1e-6;

describe('Yuma epoch properties', () => {
  it('incentive sums to 1 whenever any weight survives consensus clipping, else to 0', () => {
    fc.assert(
      fc.property(subnetArb, (s) => {
        const out = yumaEpoch(toInput(s));
        const inc = out.incentive.float.reduce((a, b) => a + b, 0);
        const ranks = out.ranks.reduce((a, b) => a + b, 0);
        if (ranks > 0) expect(Math.abs(inc - 1)).toBeLessThan(EPS);
        else expect(inc).toBe(0);
        // u16 outputs stay in range and floats in [0, 1]
        for (const v of out.incentive.float) expect(v >= 0 && v <= 1).toBe(true);
        for (const v of out.dividends.float) expect(v >= 0 && v <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('incentive sums to 1 when every staked validator weights a common uid', () => {
    fc.assert(
      fc.property(subnetArb, (s) => {
        fc.pre(s.stake.some((x) => x > 0));
        const target = s.n - 1;
        const input = toInput({ ...s, stake: [...s.stake.slice(0, -1), 0] });
        const weights = input.weights as Array<Array<[number, number]>>;
        for (let i = 0; i < s.n - 1; i++) {
          weights[i] = [...weights[i]!.filter(([j]) => j !== target), [target, 65535]];
        }
        fc.pre(s.stake.slice(0, s.n - 1).some((x) => x > 0));
        const out = yumaEpoch(input);
        const inc = out.incentive.float.reduce((a, b) => a + b, 0);
        expect(Math.abs(inc - 1)).toBeLessThan(EPS);
        // emission is conserved up to flooring (at most one unit per uid and share)
        const total = out.emission.reduce((a, b) => a + b, 0n);
        expect(total <= 1_000_000_000n).toBe(true);
        expect(total >= 1_000_000_000n - BigInt(3 * s.n)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a minority validator weighting a uid nobody else weights is clipped to zero there', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 20, maxLength: 20 }),
        fc.integer({ min: 1, max: 65535 }),
        (validators, stakes, lone) => {
          const n = validators + 3;
          const loneTarget = n - 1;
          const common = n - 2;
          const stake = [...stakes.slice(0, validators), 0, 0, 0];
          // validator 0 holds strictly less than half of the stake (kappa = 0.5)
          const others = stake.slice(1, validators).reduce((a, b) => a + b, 0);
          stake[0] = Math.max(1, Math.min(stake[0]!, others - 1));
          fc.pre(stake[0]! < others);
          const weights: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
          weights[0] = [
            [common, 65535],
            [loneTarget, lone],
          ];
          for (let i = 1; i < validators; i++) weights[i] = [[common, 65535]];
          const out = yumaEpoch({
            n,
            stake,
            weights,
            lastUpdate: new Array(n).fill(5),
            blockAtRegistration: new Array(n).fill(0),
            validatorPermit: new Array(n).fill(true),
            currentBlock: 6,
          });
          expect(out.consensus.float[loneTarget]).toBe(0);
          expect(out.incentive.float[loneTarget]).toBe(0);
          // its trust only counts the agreed part of its (normalised) weights
          expect(out.validatorTrust.float[0]!).toBeLessThan(1);
          expect(Math.abs(out.validatorTrust.float[1]! - 1)).toBeLessThan(EPS);
          expect(Math.abs(out.incentive.float[common]! - 1)).toBeLessThan(EPS);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects inputs of the wrong length with the field name', () => {
    expect(() =>
      yumaEpoch({
        n: 3,
        stake: [1, 2],
        weights: [],
        lastUpdate: [0, 0, 0],
        blockAtRegistration: [0, 0, 0],
        validatorPermit: [true, true, true],
        currentBlock: 1,
      }),
    ).toThrow(/stake/);
    expect(() =>
      yumaEpoch({
        n: 2,
        stake: [1, 2],
        weights: [[[1, 70000]]],
        lastUpdate: [0, 0],
        blockAtRegistration: [0, 0],
        validatorPermit: [true, true],
        currentBlock: 1,
      }),
    ).toThrow(/weights\[0\]/);
  });

  it('accepts dense, sparse and CSR weights with identical results', () => {
    const base = {
      n: 4,
      stake: [10n, 20n, 0n, 0n],
      lastUpdate: [3, 3, 0, 0],
      blockAtRegistration: [0, 0, 0, 0],
      validatorPermit: [true, true, false, false],
      currentBlock: 4,
      emission: 1000n,
    };
    const sparse = yumaEpoch({
      ...base,
      weights: [
        [
          [2, 65535],
          [3, 100],
        ],
        [[2, 65535]],
      ],
    });
    const dense = yumaEpoch({
      ...base,
      weights: [Uint16Array.of(0, 0, 65535, 100), Uint16Array.of(0, 0, 65535, 0)],
    });
    const csr = yumaEpoch({
      ...base,
      weights: { indptr: [0, 2, 3, 3, 3], indices: [2, 3, 2], values: [65535, 100, 65535] },
    });
    expect(dense.incentive.u16).toEqual(sparse.incentive.u16);
    expect(csr.incentive.u16).toEqual(sparse.incentive.u16);
    expect(csr.bonds).toEqual(sparse.bonds);
    expect(sparse.emission.reduce((a, b) => a + b, 0n)).toBeLessThanOrEqual(1000n);
  });
});
