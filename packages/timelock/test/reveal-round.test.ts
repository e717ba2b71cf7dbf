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
      epochSource: 'formula',
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

/**
 * subtensor with dynamic tempo (SubnetEpochIndex, PR #2769 / spec 423): epochs fire every
 * `tempo` blocks from LastEpochBlock, a commit is filed under the counter's look-ahead in its
 * inclusion block, and revealed from the block whose epoch brings the counter to
 * commit_epoch + reveal_period (pallets/subtensor/src/subnets/weights.rs,
 * coinbase/run_coinbase.rs, coinbase/reveal_commits.rs).
 */
describe('computeRevealRound with a SubnetEpochIndex schedule', () => {
  const now = 1_750_000_000;
  const base = {
    currentBlock: 1000,
    netuid: 1,
    tempo: 360,
    revealPeriodEpochs: 1,
    blockTime: 12,
    nowSeconds: now,
  };
  const roundFor = (targetBlock: number, head = base.currentBlock) =>
    Math.floor((now + (targetBlock - head) * 12 - QUICKNET.genesisTime) / QUICKNET.period);

  it('counts from the stored index and LastEpochBlock, not from the block formula', () => {
    const schedule = { subnetEpochIndex: 50, lastEpochBlock: 900, pendingEpochAt: 0 };
    const r = computeRevealRound({ ...base, epochSchedule: schedule });
    // Next epoch fires at 900 + 360 = 1260 and brings the counter to 51 = 50 + 1: reveals start.
    expect(r).toMatchObject({
      epochSource: 'SubnetEpochIndex',
      currentEpoch: 50,
      revealEpoch: 51,
      firstRevealBlock: 1260,
      targetBlock: 1263,
    });
    expect(r.revealRound).toBe(roundFor(1263));
    // The formula puts the reveal at 3·361 − 2 = 1081: 179 blocks (716 rounds) earlier.
    const formula = computeRevealRound(base);
    expect(formula).toMatchObject({
      epochSource: 'formula',
      currentEpoch: 2,
      firstRevealBlock: 1081,
    });
    expect(r.revealRound - formula.revealRound).toBe(179 * 4);
    // Another stored index with the same anchor: same blocks, other epoch numbers.
    const other = computeRevealRound({
      ...base,
      epochSchedule: { ...schedule, subnetEpochIndex: 7 },
    });
    expect(other).toMatchObject({ currentEpoch: 7, revealEpoch: 8, firstRevealBlock: 1260 });
    // A later anchor (e.g. set_tempo re-anchored LastEpochBlock) moves the round.
    const later = computeRevealRound({
      ...base,
      epochSchedule: { ...schedule, lastEpochBlock: 990 },
    });
    expect(later.firstRevealBlock).toBe(1350);
    expect(later.revealRound - r.revealRound).toBe(90 * 4);
  });

  it('files a commit included in a firing block under the next epoch (the look-ahead)', () => {
    // Head 1259: the commit lands in 1260, where the epoch fires, so it is filed under 51 and
    // revealed when the counter reaches 52, one tempo later.
    const r = computeRevealRound({
      ...base,
      currentBlock: 1259,
      revealPeriodEpochs: 2,
      epochSchedule: { subnetEpochIndex: 50, lastEpochBlock: 900, pendingEpochAt: 0 },
    });
    expect(r).toMatchObject({ currentEpoch: 51, revealEpoch: 53, firstRevealBlock: 1260 + 720 });
    expect(r.revealRound).toBe(roundFor(1983, 1259));
  });

  it('takes an owner-triggered PendingEpochAt when it is sooner, and a late schedule as due now', () => {
    const pending = computeRevealRound({
      ...base,
      revealPeriodEpochs: 2,
      epochSchedule: { subnetEpochIndex: 50, lastEpochBlock: 900, pendingEpochAt: 1100 },
    });
    expect(pending).toMatchObject({ currentEpoch: 50, revealEpoch: 52, firstRevealBlock: 1460 });
    const later = computeRevealRound({
      ...base,
      epochSchedule: { subnetEpochIndex: 50, lastEpochBlock: 900, pendingEpochAt: 5000 },
    });
    expect(later.firstRevealBlock).toBe(1260);
    // An epoch overdue (deferred by the per-block cap) fires in the next block.
    const overdue = computeRevealRound({
      ...base,
      epochSchedule: { subnetEpochIndex: 50, lastEpochBlock: 500, pendingEpochAt: 0 },
    });
    expect(overdue).toMatchObject({ currentEpoch: 51, revealEpoch: 52, firstRevealBlock: 1361 });
  });

  it("right after the migration's seeding it is one block ahead of the formula", () => {
    // migrate_dynamic_tempo seeds SubnetEpochIndex = (block + netuid + 1) / (tempo + 1) and
    // LastEpochBlock so the first new epoch fires where the legacy one would. Legacy reveals
    // began the block after the epoch ran; the look-ahead reveals in the firing block itself.
    const block = 6_852_690;
    const netuid = 1;
    const tempo = 99;
    const adjusted = block + netuid + 1;
    const remainder = adjusted % (tempo + 1);
    const blocksUntilNext = tempo - remainder;
    const schedule = {
      subnetEpochIndex: Math.floor(adjusted / (tempo + 1)),
      lastEpochBlock: block - (tempo - blocksUntilNext),
      pendingEpochAt: 0,
    };
    const input = { ...base, currentBlock: block, netuid, tempo };
    const formula = computeRevealRound(input);
    const stateful = computeRevealRound({ ...input, epochSchedule: schedule });
    expect(stateful.currentEpoch).toBe(formula.currentEpoch);
    expect(stateful.revealEpoch).toBe(formula.revealEpoch);
    expect(stateful.firstRevealBlock).toBe(formula.firstRevealBlock - 1);
  });

  it('refuses tempo 0 and bad schedule values', () => {
    const epochSchedule = { subnetEpochIndex: 1, lastEpochBlock: 1, pendingEpochAt: 0 };
    expect(() => computeRevealRound({ ...base, tempo: 0, epochSchedule })).toThrow(/never reveal/);
    expect(() =>
      computeRevealRound({ ...base, epochSchedule: { ...epochSchedule, lastEpochBlock: -1 } }),
    ).toThrow(/lastEpochBlock/);
  });
});
