import { describe, expect, it } from 'vitest';
import {
  assertCommitSize,
  createDrandSimulator,
  createTimelockedCommit,
  encodeWeightsPayload,
  MAINNET_COMPATIBILITY,
  openTimelockedCommit,
  QUICKNET,
  TimelockError,
} from '../src/index.js';
import { referenceDecrypt } from './reference-wasm.js';
import { hexToBytes, QUICKNET_ROUND_1000 } from './vectors.js';

const HOTKEY = hexToBytes('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');

describe('createTimelockedCommit / openTimelockedCommit', () => {
  it('commits to the SDK reveal round and opens with that round’s pulse (simulator)', () => {
    const sim = createDrandSimulator({ seed: 'commit', genesisTime: 1_760_000_000 });
    const c = createTimelockedCommit({
      hotkey: HOTKEY,
      uids: [0, 3, 7],
      values: [65535, 100, 0],
      versionKey: 1234n,
      currentBlock: 500,
      netuid: 2,
      tempo: 10,
      revealPeriodEpochs: 1,
      blockTime: 0.25,
      nowSeconds: 1_760_000_100,
      beacon: sim.info,
    });
    expect(c.schedule.revealRound).toBe(c.revealRound);
    expect(c.payload).toEqual(
      encodeWeightsPayload({
        hotkey: HOTKEY,
        uids: [0, 3, 7],
        values: [65535, 100, 0],
        versionKey: 1234n,
      }),
    );
    const sig = sim.pulse(c.revealRound).signature;
    expect(openTimelockedCommit(c.commit, sig, HOTKEY)).toEqual({
      format: 'current',
      uids: [0, 3, 7],
      values: [65535, 100, 0],
      versionKey: 1234n,
    });
    // The reference opens it too, to the same payload bytes.
    expect(referenceDecrypt(c.commit, sig)).toEqual(c.payload);
    expect(() =>
      openTimelockedCommit(c.commit, sim.pulse(c.revealRound + 1).signature, HOTKEY),
    ).toThrow(TimelockError);
  });

  it('quicknet commit for round 1000 opens with the real drand signature', () => {
    // nowSeconds chosen so that the computed round is exactly 1000.
    const c = createTimelockedCommit({
      hotkey: HOTKEY,
      uids: [1],
      values: [65535],
      versionKey: 0,
      currentBlock: 0,
      netuid: 0,
      tempo: 0,
      revealPeriodEpochs: 0,
      blockTime: 0,
      nowSeconds: QUICKNET.genesisTime + 3000,
    });
    expect(c.revealRound).toBe(1000);
    const opened = openTimelockedCommit(c.commit, QUICKNET_ROUND_1000.signature, HOTKEY);
    expect(opened.uids).toEqual([1]);
  });

  it('a full 256-uid commit fits the 5000-byte bound; 1500 uids do not', () => {
    const uids = Array.from({ length: 256 }, (_, i) => i);
    const base = {
      hotkey: HOTKEY,
      versionKey: 0,
      currentBlock: 0,
      netuid: 0,
      tempo: 360,
      revealPeriodEpochs: 1,
      blockTime: 12,
      nowSeconds: QUICKNET.genesisTime + 10,
    };
    const c = createTimelockedCommit({ ...base, uids, values: uids });
    expect(() => assertCommitSize(c.commit)).not.toThrow();
    const big = Array.from({ length: 1500 }, (_, i) => i);
    const c2 = createTimelockedCommit({ ...base, uids: big, values: big });
    expect(() => assertCommitSize(c2.commit)).toThrow(/5000/);
  });

  it('states plainly that mainnet compatibility is unverified', () => {
    expect(MAINNET_COMPATIBILITY.verifiedAgainstMainnet).toBe(false);
    expect(MAINNET_COMPATIBILITY.notice).toMatch(/^timelocked weights: unverified against mainnet/);
  });
});
