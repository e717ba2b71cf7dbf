import { describe, expect, it } from 'vitest';
import { ChainSim } from './support/chain-sim.js';

/**
 * Replays of opentensor/subtensor `pallets/subtensor/src/tests/epoch.rs` (HEAD 14bc6f9):
 * the same state changes, the same epoch calls, and the same asserted u16 values.
 * The mock runtime's defaults apply: kappa 32767, bonds moving average 900_000, activity
 * cutoff factor 13889‰·tempo, stake threshold 0, Yuma3 off, commit-reveal off.
 */
const MOCK = { kappa: 32767, bondsMovingAverage: 900_000, bondsPenalty: 65535 };
const cutoff = (tempo: number) => Math.max(1, Math.floor((13889 * tempo) / 1000));

describe('subtensor test_bonds (original Yuma, sparse epoch)', () => {
  it('reproduces every asserted bond value over 8 epochs', () => {
    const n = 8;
    const tempo = 1;
    const sim = new ChainSim({
      n,
      stake: [1, 2, 3, 4, 0, 0, 0, 0],
      block: 1,
      hyper: { ...MOCK, tempo, activityCutoff: cutoff(tempo), maxAllowedValidators: n },
    });
    sim.epoch(); // first epoch issues permits
    sim.nextBlock();
    const MAX = 65535;
    for (let uid = 0; uid < 4; uid++) {
      sim.setWeights(uid, [4, 5, 6, 7], [Math.floor(MAX / 4), Math.floor(MAX / 2), 16383 * 3, MAX]);
    }
    sim.epoch();
    let b = sim.bondMatrix();
    expect([b[0]![4], b[1]![4], b[2]![4], b[3]![4]]).toEqual([16383, 32767, 49151, 65535]);

    sim.setWeights(0, [0], [MAX]);
    sim.nextBlock();
    sim.epoch();
    b = sim.bondMatrix();
    expect([b[0]![4], b[1]![4], b[2]![4], b[3]![4]]).toEqual([14582, 32767, 49151, 65535]);

    sim.setWeights(1, [1], [MAX]);
    sim.nextBlock();
    sim.epoch();
    b = sim.bondMatrix();
    expect([b[0]![4], b[1]![4], b[2]![4], b[3]![4]]).toEqual([12603, 28321, 49151, 65535]);

    sim.setWeights(2, [2], [MAX]);
    sim.nextBlock();
    sim.epoch();
    b = sim.bondMatrix();
    expect([b[0]![7], b[1]![7], b[2]![7], b[3]![7]]).toEqual([12602, 28320, 49150, 65535]);

    sim.setWeights(2, [7], [MAX]);
    sim.nextBlock();
    sim.epoch();
    b = sim.bondMatrix();
    expect([b[0]![7], b[1]![7], b[2]![7], b[3]![7]]).toEqual([10951, 24609, 49150, 65535]);

    sim.nextBlock();
    sim.epoch();
    b = sim.bondMatrix();
    expect([b[0]![7], b[1]![7], b[2]![7], b[3]![7]]).toEqual([9559, 21482, 49150, 65535]);

    sim.nextBlock();
    sim.epoch();
    b = sim.bondMatrix();
    expect([b[0]![7], b[1]![7], b[2]![7], b[3]![7]]).toEqual([8376, 18824, 49150, 65535]);
  });
});
