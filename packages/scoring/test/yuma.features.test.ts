import { describe, expect, it } from 'vitest';
import { activityCutoffBlocks, type YumaInput, yumaEpoch } from '../src/index.js';

const base = (n: number): YumaInput => ({
  n,
  stake: new Array(n).fill(0),
  weights: [],
  lastUpdate: new Array(n).fill(10),
  blockAtRegistration: new Array(n).fill(0),
  validatorPermit: new Array(n).fill(true),
  currentBlock: 11,
});

describe('yumaEpoch features', () => {
  it('stakeThreshold zeroes small stakes except the owner', () => {
    const input = { ...base(3), stake: [5n, 1n, 0n], hyperparams: { stakeThreshold: 2 } };
    expect(Array.from(yumaEpoch(input).stake.u16)).toEqual([65535, 0, 0]);
    const withOwner = yumaEpoch({ ...input, ownerUid: 1 });
    expect(withOwner.stake.u16[1]).toBe(Math.floor(65535 / 6)); // 1/6, floored
    expect(withOwner.stake.float[0]! + withOwner.stake.float[1]!).toBeCloseTo(1, 8);
  });

  it('permits go to the top-k non-zero stakes (owner always)', () => {
    const input = { ...base(4), stake: [3n, 1n, 2n, 0n], hyperparams: { maxAllowedValidators: 2 } };
    expect(yumaEpoch(input).validatorPermit).toEqual([true, false, true, false]);
    expect(yumaEpoch({ ...input, ownerUid: 3 }).validatorPermit).toEqual([true, false, true, true]);
    // fewer uids than k: every non-zero stake gets a permit
    const few = { ...input, hyperparams: { maxAllowedValidators: 10 } };
    expect(yumaEpoch(few).validatorPermit).toEqual([true, true, true, false]);
  });

  it('self-weights are dropped except the owner’s; the owner is permitted without a permit', () => {
    const input: YumaInput = {
      ...base(2),
      stake: [10n, 0n],
      weights: [[[0, 65535]]],
      validatorPermit: [false, false],
    };
    expect(yumaEpoch(input).incentive.u16[0]).toBe(0);
    const owner = yumaEpoch({ ...input, ownerUid: 0 });
    expect(owner.incentive.u16[0]).toBe(65535);
    expect(owner.consensus.u16[0]).toBe(65535);
  });

  it('drops weights set before the target registered, and commits made before it registered', () => {
    const input: YumaInput = {
      ...base(3),
      stake: [10n, 0n, 0n],
      weights: [
        [
          [1, 65535],
          [2, 65535],
        ],
      ],
      blockAtRegistration: [0, 0, 5],
      lastUpdate: [10, 0, 0],
    };
    const plain = yumaEpoch(input);
    expect(plain.incentive.u16[1]).toBe(32767);
    expect(plain.incentive.u16[2]).toBe(32767);
    const outdated = yumaEpoch({ ...input, lastUpdate: [5, 0, 0] });
    expect(Array.from(outdated.incentive.u16)).toEqual([0, 65535, 0]);
    const committedEarly = yumaEpoch({ ...input, commitBlocks: [3, undefined, undefined] });
    expect(Array.from(committedEarly.incentive.u16)).toEqual([0, 65535, 0]);
    const committedLate = yumaEpoch({ ...input, commitBlocks: [6, undefined, undefined] });
    expect(committedLate.incentive.u16[2]).toBe(32767);
  });

  it('inactive validators lose their active stake; dividends follow bonds', () => {
    const input: YumaInput = {
      ...base(4),
      stake: [1n, 1n, 0n, 0n],
      weights: [[[2, 65535]], [[3, 65535]]],
      lastUpdate: [10, 10, 0, 0],
      currentBlock: 11,
      hyperparams: { activityCutoff: 5 },
    };
    const both = yumaEpoch(input);
    expect(both.active).toEqual([true, true, false, false]);
    // kappa = 32767/65535 is just below 1/2, so a validator holding exactly half the stake
    // carries the median on its own: both miners keep their weight
    expect(Array.from(both.incentive.u16)).toEqual([0, 0, 32767, 32767]);
    // with kappa just above 1/2 neither half is a majority and both weights are clipped
    const strict = yumaEpoch({ ...input, hyperparams: { activityCutoff: 5, kappa: 32768 } });
    expect(strict.incentive.float.reduce((a, b) => a + b, 0)).toBe(0);
    const one = yumaEpoch({ ...input, lastUpdate: [10, 2, 0, 0] });
    expect(one.active).toEqual([true, false, false, false]);
    expect(Array.from(one.activeStake)).toEqual([1, 0, 0, 0]);
    expect(one.incentive.u16[2]).toBe(65535);
    expect(one.dividends.u16[0]).toBe(65535);
    expect(one.emission[0]! + one.emission[2]!).toBe(0n); // emission default 0
  });

  it('numbers and bigints give the same stake result; activity cutoff follows the factor', () => {
    const input = {
      ...base(3),
      stake: [7n, 3n, 0n],
      weights: [[[2, 65535]] as [number, number][]],
    };
    const a = yumaEpoch(input);
    const b = yumaEpoch({ ...input, stake: Float64Array.of(7, 3, 0) });
    expect(b.stake.u16).toEqual(a.stake.u16);
    expect(b.incentive.u16).toEqual(a.incentive.u16);
    expect(activityCutoffBlocks(360)).toBe(5000);
    expect(activityCutoffBlocks(1)).toBe(13);
    expect(activityCutoffBlocks(0)).toBe(1);
  });

  it('bondsPenalty interpolates bonds between raw and clipped weights', () => {
    // v0 (minority) weights miners 3 and 4; v1, v2 only weight miner 3 → 4 is out of consensus
    const input: YumaInput = {
      ...base(5),
      stake: [1n, 2n, 2n, 0n, 0n],
      weights: [
        [
          [3, 65535],
          [4, 65535],
        ],
        [[3, 65535]],
        [[3, 65535]],
      ],
    };
    const bondTo4 = (penalty: number) => {
      const out = yumaEpoch({ ...input, hyperparams: { bondsPenalty: penalty } });
      const { indptr, indices, values } = out.bondsFloat;
      for (let k = indptr[0]!; k < indptr[1]!; k++) if (indices[k] === 4) return values[k]!;
      return 0;
    };
    const full = bondTo4(65535);
    const half = bondTo4(32767);
    const none = bondTo4(0);
    expect(full).toBe(0);
    expect(half).toBeGreaterThan(0);
    expect(none).toBeGreaterThanOrEqual(half);
  });
});
