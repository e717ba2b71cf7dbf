import { describe, expect, it } from 'vitest';
import {
  computeRevealRound,
  mechanismStorageIndex,
  QUICKNET,
  roundAt,
  TimelockError,
} from '../src/index.js';

/** Straight transcription of bittensor-drand tests/test_commit_reveal.py's own oracle. */
function pythonOracle(
  now: number,
  tempo: number,
  currentBlock: number,
  netuid: number,
  period: number,
  blockTime: number,
) {
  const tp1 = tempo + 1;
  const np1 = netuid + 1;
  const currentEpoch = Math.floor((currentBlock + np1) / tp1);
  const firstReveal = (currentEpoch + period) * tp1 - np1;
  const target = firstReveal + 3;
  const secs = Math.max(target - currentBlock, 0) * blockTime;
  const r = Math.trunc((now + secs - 1692803367) / 3);
  return Math.max(r, 1);
}

describe('computeRevealRound (bittensor-drand generate_commit)', () => {
  it('works through a hand-checked example', () => {
    // tempo 100, block 1000, netuid 1, reveal period 2, 12 s blocks (test_get_encrypted_commits)
    const now = 1_750_000_000;
    const r = computeRevealRound({
      currentBlock: 1000,
      netuid: 1,
      tempo: 100,
      revealPeriodEpochs: 2,
      blockTime: 12,
      nowSeconds: now,
    });
    // epoch = 1002 / 101 = 9; reveal epoch 11; first block 11·101 − 2 = 1109; target 1112
    expect(r.currentEpoch).toBe(9);
    expect(r.revealEpoch).toBe(11);
    expect(r.firstRevealBlock).toBe(1109);
    expect(r.targetBlock).toBe(1112);
    expect(r.targetTime).toBe(now + 112 * 12);
    expect(r.revealRound).toBe(Math.floor((now + 1344 - 1692803367) / 3));
    // One round before drand's "latest round at target time".
    expect(r.revealRound).toBe(roundAt(r.targetTime) - 1);
  });

  it('agrees with the Python oracle of bittensor-drand’s test suite over many inputs', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const tempo = [10, 50, 99, 100, 250, 360, 1000][rnd(7)]!;
      const block = rnd(8_000_000);
      const netuid = rnd(300);
      const period = 1 + rnd(5);
      const blockTime = [12, 0.25, 6][rnd(3)]!;
      const now = 1_760_000_000 + rnd(1_000_000) + rnd(1000) / 1000;
      const ours = computeRevealRound({
        currentBlock: block,
        netuid,
        tempo,
        revealPeriodEpochs: period,
        blockTime,
        nowSeconds: now,
      }).revealRound;
      expect(ours).toBe(pythonOracle(now, tempo, block, netuid, period, blockTime));
    }
  });

  it('clamps to round 1 before genesis and uses the given beacon clock', () => {
    const input = {
      currentBlock: 10,
      netuid: 0,
      tempo: 10,
      revealPeriodEpochs: 1,
      blockTime: 0.25,
      nowSeconds: 0,
    };
    expect(computeRevealRound(input).revealRound).toBe(1);
    // epoch (10+1)/11 = 1 → reveal epoch 2 → first block 2·11 − 1 = 21 → target 24, 14 blocks
    // away = 3.5 s. With a local beacon (genesis 100, 1 s period) at t = 100: round ⌊3.5⌋ = 3.
    const local = computeRevealRound(
      { ...input, nowSeconds: 100 },
      { genesisTime: 100, period: 1 },
    );
    expect(local).toEqual({
      revealRound: 3,
      currentEpoch: 1,
      revealEpoch: 2,
      firstRevealBlock: 21,
      targetBlock: 24,
      targetTime: 103.5,
    });
  });

  it('validates its inputs', () => {
    const ok = {
      currentBlock: 1,
      netuid: 1,
      tempo: 1,
      revealPeriodEpochs: 1,
      blockTime: 12,
      nowSeconds: QUICKNET.genesisTime,
    };
    expect(() => computeRevealRound({ ...ok, currentBlock: -1 })).toThrow(TimelockError);
    expect(() => computeRevealRound({ ...ok, tempo: 1.5 })).toThrow(/tempo/);
    expect(() => computeRevealRound({ ...ok, blockTime: Number.NaN })).toThrow(/blockTime/);
    expect(() => computeRevealRound({ ...ok, nowSeconds: Number.POSITIVE_INFINITY })).toThrow(
      /nowSeconds/,
    );
  });
});

describe('mechanismStorageIndex', () => {
  it('is mechid·4096 + netuid', () => {
    expect(mechanismStorageIndex(7)).toBe(7);
    expect(mechanismStorageIndex(7, 1)).toBe(4103);
    expect(() => mechanismStorageIndex(4096)).toThrow(/netuid/);
    expect(() => mechanismStorageIndex(1, 16)).toThrow(/u16/);
  });
});
