import { describe, expect, it } from 'vitest';
import { activityCutoffBlocks } from '../src/index.js';
import { ChainSim } from './support/chain-sim.js';

/**
 * Replays of opentensor/subtensor `pallets/subtensor/src/tests/epoch.rs` (HEAD 14bc6f9):
 * the same state changes, the same epoch calls, and the same asserted u16 values.
 * The mock runtime's defaults apply: kappa 32767, bonds moving average 900_000, activity
 * cutoff factor 13889‰·tempo, stake threshold 0, Yuma3 off, commit-reveal off.
 */
const MOCK = { kappa: 32767, bondsMovingAverage: 900_000, bondsPenalty: 65535 };
const cutoff = (tempo: number) => activityCutoffBlocks(tempo);

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

describe('subtensor test_active_stake (inactive validators lose active stake)', () => {
  it('reproduces dividends, emissions and bonds across the activity cutoff', () => {
    const n = 4;
    const tempo = 1;
    const sim = new ChainSim({
      n,
      stake: [1, 1, 1, 1],
      block: 1,
      hyper: { ...MOCK, tempo, activityCutoff: cutoff(tempo), maxAllowedValidators: n },
    });
    sim.epoch();
    sim.nextBlock();
    const half = Math.floor(65535 / 2);
    for (const uid of [0, 1]) sim.setWeights(uid, [2, 3], [half, half]);
    let out = sim.epoch();
    expect(Array.from(out.dividends.u16.slice(0, 2))).toEqual([32767, 32767]);
    expect(out.emission).toEqual([250000000n, 250000000n, 250000000n, 250000000n]);
    let b = sim.bondMatrix();
    for (const v of [0, 1]) expect(b[v]).toEqual([0, 0, 65535, 65535]);

    sim.block = 5000 + 2; // run_to_block(activity_cutoff + 2): uid 1's weights are now inactive
    sim.setWeights(0, [2, 3], [half, half]);
    out = sim.epoch();
    b = sim.bondMatrix();
    expect(out.dividends.u16[0]).toBe(36044);
    expect(out.emission[0]).toBe(274999999n);
    expect(b[0]!.slice(2)).toEqual([65535, 65535]);
    expect(out.dividends.u16[1]).toBe(29490);
    expect(out.emission[1]).toBe(224999999n);
    expect(b[1]!.slice(2)).toEqual([53619, 53619]);

    sim.setWeights(1, [2, 3], [half, half]);
    sim.block = 5000 + 3;
    out = sim.epoch();
    b = sim.bondMatrix();
    expect(out.dividends.u16[0]).toBe(35716);
    expect(out.emission[0]).toBe(272501132n);
    expect(b[0]!.slice(2)).toEqual([65535, 65535]);
    expect(out.dividends.u16[1]).toBe(29818);
    expect(out.emission[1]).toBe(227498866n);
    expect(b[1]!.slice(2)).toEqual([54712, 54712]);
  });
});

describe('subtensor test_10_graph / test_1_graph (self-weights only)', () => {
  it('10 uids with 1 stake each and only self-weights: all emission goes to stake', () => {
    const sim = new ChainSim({
      n: 10,
      stake: new Array(10).fill(1),
      block: 1,
      registeredAt: 0,
      hyper: { ...MOCK, tempo: 65534, activityCutoff: cutoff(65534) },
    });
    for (let i = 0; i < 10; i++) sim.setWeights(i, [i], [65535]);
    const out = sim.epoch();
    for (let i = 0; i < 10; i++) {
      expect(out.consensus.u16[i]).toBe(0);
      expect(out.incentive.u16[i]).toBe(0);
      expect(out.dividends.u16[i]).toBe(0);
      expect(out.emission[i]).toBe(99999999n);
    }
  });
});

describe('subtensor test_zero_weights (emission falls back to stake; outdated weights)', () => {
  it('pays validators by stake until valid weights exist, then splits 50/50', () => {
    const M = 65535;
    const sim = new ChainSim({
      n: 2,
      stake: [1, 0],
      block: 1,
      hyper: { ...MOCK, tempo: 65534, activityCutoff: cutoff(65534) },
    });
    expect(sim.epoch().emission).toEqual([1_000_000_000n, 0n]); // no weights at all
    sim.setWeights(1, [1], [M]); // server self-weight only: masked
    expect(sim.epoch().emission).toEqual([1_000_000_000n, 0n]);
    sim.block = 2;
    sim.setWeights(0, [1], [M]);
    // a new key takes uid 1 in the same block: uid 0's weight predates that registration
    sim.blockAtRegistration[1] = 2;
    sim.weights[1] = [];
    expect(sim.epoch().emission).toEqual([1_000_000_000n, 0n]);
    sim.block = 3;
    sim.setWeights(0, [1], [M]);
    expect(sim.epoch().emission).toEqual([500_000_000n, 500_000_000n]);
  });
});

/** subtensor's `distribute_nodes` for interleave 0 (blocks) and 1 (regular). */
function distribute(validatorsN: number, networkN: number, interleave: 0 | 1) {
  const all = Array.from({ length: networkN }, (_, i) => i);
  if (interleave === 0) {
    return { validators: all.slice(0, validatorsN), servers: all.slice(validatorsN) };
  }
  const step = Math.floor(networkN / validatorsN);
  return {
    validators: all.filter((i) => i % step === 0),
    servers: all.filter((i) => i % step !== 0),
  };
}

describe('subtensor test_512_graph (64 validators, 448 servers, 3 epochs)', () => {
  for (const interleave of [0, 1] as const) {
    for (const serverSelf of [false, true]) {
      it(`interleave=${interleave} serverSelf=${serverSelf}`, () => {
        const networkN = 512;
        const { validators, servers } = distribute(64, networkN, interleave);
        const stake = new Array<bigint>(networkN).fill(0n);
        for (const v of validators) stake[v] = 328_125_000_000_000n;
        const sim = new ChainSim({
          n: networkN,
          stake,
          block: 1,
          registeredAt: 0,
          hyper: { ...MOCK, tempo: 65534, activityCutoff: cutoff(65534), maxAllowedValidators: 64 },
        });
        sim.epoch(); // issue permits
        const w = new Array(servers.length).fill(Math.floor(65535 / networkN));
        for (const v of validators) sim.setWeights(v, servers, w);
        if (serverSelf) for (const s of servers) sim.setWeights(s, [s], [65535]);
        let out = sim.epoch();
        out = sim.epoch();
        out = sim.epoch();
        const b = sim.bondMatrix();
        const server = servers[0]!;
        const validator = validators[0]!;
        for (const v of validators) {
          expect(out.consensus.u16[v]).toBe(0);
          expect(out.incentive.u16[v]).toBe(0);
          expect(out.dividends.u16[v]).toBe(1023);
          expect(out.emission[v]).toBe(7812500n);
          expect(b[v]![validator]).toBe(0);
          expect(b[v]![server]).toBe(65535);
        }
        for (const s of servers) {
          expect(out.consensus.u16[s]).toBe(146);
          expect(out.incentive.u16[s]).toBe(146);
          expect(out.dividends.u16[s]).toBe(0);
          expect(out.emission[s]).toBe(1116071n);
          expect(b[s]![validator]).toBe(0);
          expect(b[s]![server]).toBe(0);
        }
      });
    }
  }
});

/** subtensor's `setup_yuma_3_scenario` + `run_epoch` (Yuma 3, liquid alpha 0.1..0.3). */
function yuma3Scenario(stakes: number[], liquidAlpha: boolean) {
  const sim = new ChainSim({
    n: 5,
    stake: stakes,
    block: 1,
    hyper: {
      tempo: 1,
      activityCutoff: cutoff(1),
      kappa: 32767,
      bondsPenalty: 0,
      bondsMovingAverage: 975_000,
      alphaSigmoidSteepness: 1000,
      maxAllowedValidators: 3,
      yuma3: true,
      liquidAlpha,
      // set_alpha_values_32(0.1, 0.3) stores floor(I32F32(x)·65535)
      alphaLow: 6553,
      alphaHigh: 19660,
    },
  });
  const run = () => {
    sim.nextBlock();
    return sim.epoch();
  };
  run();
  const setWeights = (rows: number[][]) => {
    rows.forEach((w, uid) => {
      sim.setWeights(uid, [3, 4], w);
    });
  };
  return { sim, run, setWeights };
}

function expectClose(actual: ArrayLike<number>, expected: number[], eps = 1e-3) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(eps);
  });
}

describe('subtensor test_yuma_3_kappa_moves_first (Yuma 3 + liquid alpha)', () => {
  it('matches the dividend and bond targets of every epoch', () => {
    const { sim, run, setWeights } = yuma3Scenario([8, 1, 1, 0, 0], true);
    const M = 65535;
    const bonds = [
      [
        [0.1013, 0.0],
        [0.1013, 0.0],
        [0.1013, 0.0],
      ],
      [
        [0.0908, 0.1013],
        [0.3697, 0.0],
        [0.3697, 0.0],
      ],
      [
        [0.0815, 0.1924],
        [0.317, 0.1013],
        [0.558, 0.0],
      ],
      [
        [0.0731, 0.2742],
        [0.2765, 0.1924],
        [0.4306, 0.1013],
      ],
      [
        [0.0656, 0.3478],
        [0.2435, 0.2742],
        [0.3589, 0.1924],
      ],
      [
        [0.0588, 0.4139],
        [0.2157, 0.3478],
        [0.3089, 0.2742],
      ],
    ];
    const dividends = [
      [0.8, 0.1, 0.1, 0.0, 0.0],
      [1.0, 0.0, 0.0, 0.0, 0.0],
      [0.9382, 0.0618, 0.0, 0.0, 0.0],
      [0.8819, 0.0773, 0.0407, 0.0, 0.0],
      [0.8564, 0.0844, 0.0592, 0.0, 0.0],
      [0.8418, 0.0884, 0.0697, 0.0, 0.0],
    ];
    const plan: Array<number[][] | null> = [
      [
        [M, 0],
        [M, 0],
        [M, 0],
      ],
      [
        [0, M],
        [M, 0],
        [M, 0],
      ],
      [
        [0, M],
        [0, M],
        [M, 0],
      ],
      [
        [0, M],
        [0, M],
        [0, M],
      ],
      null,
      null,
    ];
    plan.forEach((weights, epoch) => {
      if (weights) setWeights(weights);
      const out = run();
      // subtensor reads Dividends (u16) back as u16 proportions
      expectClose(
        Array.from(out.dividends.u16, (d) => d / 65535),
        dividends[epoch]!,
      );
      const b = sim.bondMatrix();
      for (let v = 0; v < 3; v++) {
        expectClose([b[v]![3]! / 65535, b[v]![4]! / 65535], bonds[epoch]![v]!);
      }
    });
  });
});

describe('subtensor test_yuma_3_liquid_alpha_disabled (Yuma 3, fixed alpha)', () => {
  it('matches the dividend targets of every epoch', () => {
    const { run, setWeights } = yuma3Scenario([33, 33, 34, 0, 0], false);
    const M = 65535;
    const dividends = [
      [0.33, 0.33, 0.34, 0.0, 0.0],
      [0.33, 0.33, 0.34, 0.0, 0.0],
      [0.3734, 0.3734, 0.2532, 0.0, 0.0],
      [0.3611, 0.3611, 0.2779, 0.0, 0.0],
      [0.3541, 0.3541, 0.2919, 0.0, 0.0],
      [0.3495, 0.3495, 0.3009, 0.0, 0.0],
    ];
    for (let epoch = 0; epoch < dividends.length; epoch++) {
      setWeights(
        epoch === 2
          ? [
              [M, 0],
              [M, 0],
              [0, M],
            ]
          : [
              [M, 0],
              [M, 0],
              [M, 0],
            ],
      );
      const out = run();
      expectClose(
        Array.from(out.dividends.u16, (d) => d / 65535),
        dividends[epoch]!,
      );
    }
  });
});
