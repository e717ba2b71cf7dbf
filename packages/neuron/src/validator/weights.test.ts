import { describe, expect, it } from 'vitest';
import { scoresWarmedUp, weightsDue, weightsFromScores } from './weights.js';

describe('weightsFromScores', () => {
  it('normalises, applies the subnet limits and emits max-upscaled u16', () => {
    const w = weightsFromScores([0, 0.5, 0.25, 0.25], {
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
    });
    expect(w.uids).toEqual([1, 2, 3]);
    expect(w.weights).toEqual([65535, 32768, 32768]);
    expect(w.allZero).toBe(false);
  });

  it('clips to MaxWeightsLimit', () => {
    // No uid may hold more than half: 0.9 is clipped and the rest redistributed.
    const w = weightsFromScores([0.9, 0.05, 0.05], {
      minAllowedWeights: 1,
      maxWeightsLimit: 32768,
    });
    const total = w.weights.reduce((a, b) => a + b, 0);
    expect(w.weights[0]! / total).toBeLessThanOrEqual(0.5 + 1e-4);
  });

  it('flags all-zero scores (the SDK then goes uniform)', () => {
    const w = weightsFromScores([0, 0, 0], { minAllowedWeights: 1, maxWeightsLimit: 65535 });
    expect(w.allZero).toBe(true);
    expect(w.branch).toBe('uniform');
    expect(w.weights).toEqual([65535, 65535, 65535]);
  });

  it('refuses scores that do not match the metagraph size', () => {
    expect(() =>
      weightsFromScores([1], { n: 2, minAllowedWeights: 1, maxWeightsLimit: 65535 }),
    ).toThrow(/resync/);
  });
});

describe('weightsDue', () => {
  const base = {
    block: 1000,
    lastWeightsBlock: 950,
    epochLength: 100,
    chainBlocksLeft: 0,
    anyScore: true,
  };
  it('waits for the epoch, then the chain rate limit, then needs scores', () => {
    expect(weightsDue(base)).toEqual({ due: false, reason: 'epoch', blocksLeft: 50 });
    expect(weightsDue({ ...base, block: 1050 })).toEqual({ due: true });
    expect(weightsDue({ ...base, lastWeightsBlock: null, chainBlocksLeft: 7 })).toEqual({
      due: false,
      reason: 'rate-limit',
      blocksLeft: 7,
    });
    expect(weightsDue({ ...base, lastWeightsBlock: null, anyScore: false }).due).toBe(false);
    expect(weightsDue({ ...base, block: 5000, disabled: true })).toMatchObject({
      reason: 'disabled',
    });
  });
});

describe('warm-up after a reset', () => {
  it('holds the weights until every scored miner has its samples', () => {
    expect(scoresWarmedUp([0.5, 0, 0.2], [3, 0, 3], 3)).toBe(true);
    expect(scoresWarmedUp([0.5, 0, 0.2], [3, 0, 2], 3)).toBe(false);
    // A miner with no score yet does not hold anything up.
    expect(scoresWarmedUp([0.5, 0], [5, 1], 3)).toBe(true);
    const base = {
      block: 1000,
      lastWeightsBlock: null,
      epochLength: 100,
      chainBlocksLeft: 0,
      anyScore: true,
    };
    expect(weightsDue({ ...base, warmedUp: false })).toEqual({
      due: false,
      reason: 'warm-up',
      blocksLeft: 0,
    });
    expect(weightsDue({ ...base, warmedUp: true })).toEqual({ due: true });
    expect(weightsDue(base)).toEqual({ due: true });
  });
});
