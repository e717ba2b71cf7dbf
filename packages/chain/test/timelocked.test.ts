import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a } from '@polkadot/util-crypto';
import type { Logger } from '@subnetkit/core';
import {
  createDrandSimulator,
  MAINNET_COMPATIBILITY,
  openTimelockedCommit,
  parseAesOutput,
  parseCiphertext,
  QUICKNET,
  TimelockError,
} from '@subnetkit/timelock';
import { Keypair, verifySignature } from '@subnetkit/wallet';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChainError,
  SubtensorChain,
  type SubtensorChainOptions,
  type TimelockedCommitResult,
} from '../src/index.js';
import type { FixtureNode } from './support/fixture-node.js';
import { encodeEvents, setStorage } from './support/harness.js';
import { InProcessProvider } from './support/providers.js';
import { FINNEY_GENESIS, recordedNode, SPEC343_AVAILABLE } from './support/spec343.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const HEAD = 6_852_690;
const VERSION_KEY = 21706;

/**
 * A real finney `SubtensorModule.commit_timelocked_mechanism_weights` call (block ~9 101 265,
 * runtime spec 467) with the signer, signing-payload fields and sr25519 signature it was
 * accepted with, as published in a public test suite of a Bittensor signing library. The
 * signature check below proves these are the bytes the hotkey signed, independently of that
 * suite. (It is not in `recorded-rpc.json`: that file has no block bodies with extrinsics.)
 */
const MAINNET = {
  call: '0x0776070000bd04add79c4f91c9b56920e48e41d7de2bb50289966534371c16faa5a023d0052165283424fbb6f6b4121516acb75f50f2181301bd76c3df06e40409b293b2e4e6d4c5d29dfaf57239e2d21ec7a65f1fdd00905d91dee6baebc895c9deb76849c8cf2000000000000000ce281554cf945eba34e9159487c3fe6854f039ebfb99c23e56075b6782187c402000000000000000c6650336df21d47c5cbd05e202b072c38c7d9c7ff7dad2ff9811ebddb41b3e7067000000000000004b0000000000000045f7265fea37fb03a04611dac062e06e03585ba9c05a17784e6a34efb1a7f787b4b9e5c5dd615c1746f01a2806db82524a93f616fe8981c62ab4ec28fe9839b75d0608593f6f72aceaaca10c00000000000000f6e30fc8e613b20200bf45fe08000000000000004145535f47434d5fef79ed01000000000400',
  signer: '0x50aa5d2960d8135bcdaf080a6a8a5a592600859029b492040b74dd3c5ecbd676',
  signature:
    '0xac4179f7f518755b5cd40d1e31d02c9967a0606c0ae3c077af91147938a4ed4b82e84ab8fc6d9d5a8cfd0260ecd014c7c330cf9c7901f95c1e50a1460103a688',
  era: '0x1605',
  nonce: 0x86eb,
  specVersion: 0x1d3,
  transactionVersion: 1,
  blockHash: '0x98ff84421e7a905e4710c6292cc756f94e727b9d4734fb0f07aa28c604c8e76a',
};

function compact(n: number): number[] {
  if (n < 1 << 6) return [n << 2];
  if (n < 1 << 14) return [((n << 2) | 1) & 0xff, (n >> 6) & 0xff];
  const v = n * 4 + 2;
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

/**
 * bittensor-drand 1.2.0 `generate_commit` (src/drand.rs), transcribed on its own: u64
 * arithmetic with saturating subtraction (BigInt), then the f64 time arithmetic.
 */
function sdkRevealRound(input: {
  currentBlock: number;
  netuid: number;
  tempo: number;
  revealPeriod: number;
  blockTime: number;
  nowSecs: number;
  genesis: number;
  period: number;
}): number {
  const sat = (a: bigint, b: bigint) => (a > b ? a - b : 0n);
  const tempoPlusOne = BigInt(input.tempo) + 1n;
  const netuidPlusOne = BigInt(input.netuid) + 1n;
  const block = BigInt(input.currentBlock);
  const currentEpoch = (block + netuidPlusOne) / tempoPlusOne;
  const revealEpoch = currentEpoch + BigInt(input.revealPeriod);
  const firstRevealBlk = sat(revealEpoch * tempoPlusOne, netuidPlusOne);
  const target = firstRevealBlk + 3n;
  const blocksUntil = sat(target, block);
  const targetSecs = input.nowSecs + Number(blocksUntil) * input.blockTime;
  const round = Math.floor((targetSecs - input.genesis) / input.period);
  return Math.max(round, 1);
}

const NOTICE = 'timelocked weights: unverified against mainnet';

class CapturingLogger implements Logger {
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  static #text(obj: object | string, msg?: string): string {
    return typeof obj === 'string' ? obj : (msg ?? '');
  }
  debug(): void {}
  error(obj: object | string, msg?: string): void {
    this.warnings.push(CapturingLogger.#text(obj, msg));
  }
  info(obj: object | string, msg?: string): void {
    this.infos.push(CapturingLogger.#text(obj, msg));
  }
  warn(obj: object | string, msg?: string): void {
    this.warnings.push(CapturingLogger.#text(obj, msg));
  }
  child(): Logger {
    return this;
  }
}

describe.skipIf(!SPEC343_AVAILABLE)('timelocked weights on the spec-343 metadata', () => {
  const logger = new CapturingLogger();
  // A fixed clock: 2025-11-20T00:00:00.5Z (fractions matter to the f64 arithmetic).
  const NOW_MS = 1_763_596_800_500;
  const sim = createDrandSimulator({ seed: 'chain-timelocked-test', genesisTime: 1_763_500_000 });
  let node: FixtureNode;
  let chain: SubtensorChain;
  let simChain: SubtensorChain;
  const sent: string[] = [];

  const connect = (n: FixtureNode, options: SubtensorChainOptions = {}) =>
    SubtensorChain.connect(
      { connectTimeoutMs: 20_000, txTimeoutMs: 5_000, ...options },
      { provider: new InProcessProvider(n), logger, now: () => NOW_MS },
    );

  /** Includes every submission with its `TimelockedWeightsCommitted` event, like subtensor. */
  const includeCommits = (c: SubtensorChain) => (hex: string) => {
    sent.push(hex);
    const method = c.api.createType('Extrinsic', hex).method;
    const args = method.args.map((a) => a.toU8a(true));
    const mechanism = method.method === 'commitTimelockedMechanismWeights';
    const commit = mechanism ? args[2] : args[1];
    const netuid = method.args[0]?.toPrimitive() as number;
    const mecid = mechanism ? (method.args[1]?.toPrimitive() as number) : 0;
    const round = method.args[mechanism ? 3 : 2]?.toPrimitive() as number;
    const events =
      method.method.startsWith('commitTimelocked') && commit
        ? [
            {
              pallet: 'SubtensorModule',
              name: 'TimelockedWeightsCommitted',
              args: [alice.ss58Address, mecid * 4096 + netuid, blake2AsHex(commit, 256), round],
            },
          ]
        : [];
    return {
      kind: 'include' as const,
      events: (i: number) => encodeEvents(c.api, i, { events }),
    };
  };

  beforeAll(async () => {
    node = recordedNode(['metagraph']);
    chain = await connect(node);
    simChain = await connect(node, { beacon: sim.info });
  });
  afterAll(async () => {
    await chain?.close();
    await simChain?.close();
  });

  beforeEach(() => {
    sent.length = 0;
    node.onSubmit = includeCommits(chain);
    // Synthetic subnet-1 state, encoded with the metadata's own types. Non-default tempo and
    // reveal period so that reading them (not the defaults) is what the tests see.
    const set = (item: string, keys: unknown[], value: unknown) =>
      setStorage(node, chain.api, 'subtensorModule', item, keys, value);
    set('uids', [1, alice.ss58Address], 0);
    set('weightsSetRateLimit', [1], 100);
    set('commitRevealWeightsEnabled', [1], true);
    set('lastUpdate', [1], [HEAD - 150]);
    set('tempo', [1], 99);
    set('revealPeriodEpochs', [1], 3);
    set('weightsVersionKey', [1], VERSION_KEY);
    set('commitRevealWeightsVersion', [], 4);
    set('mechanismCountCurrent', [1], 2);
    // biome-ignore lint/suspicious/noExplicitAny: Drand.BeaconConfig is decorated from metadata
    node.storage.delete(String((chain.api.query as any).drand.beaconConfig.key()).toLowerCase());
  });

  const decodeSent = (index: number) => {
    const ext = chain.api.createType('Extrinsic', sent[index]);
    return {
      ext,
      method: `${ext.method.section}.${ext.method.method}`,
      args: ext.method.toPrimitive() as { args: Record<string, unknown> },
      commit: (ext.method.args
        .find((_, i) => ext.method.meta.args[i]?.name.toString() === 'commit')
        ?.toU8a(true) ?? new Uint8Array()) as Uint8Array,
    };
  };

  it('commits to the simulator beacon; the signed extrinsic decodes and its commit opens with the round pulse', async () => {
    const head = Number(node.head.header.number);
    const result = await simChain.commitTimelockedWeights(alice, {
      netuid: 1,
      uids: [0, 3, 7],
      weights: [65535, 12000, 1],
    });
    // Once per process, before the submission, through the caller's logger.
    const again = await simChain.commitTimelockedWeights(alice, {
      netuid: 1,
      uids: [0],
      weights: [1],
    });
    expect(logger.warnings.filter((w) => w.startsWith(NOTICE))).toEqual([
      MAINNET_COMPATIBILITY.notice,
    ]);
    expect(result.verifiedAgainstMainnet).toBe(false);

    expect(sent).toHaveLength(2);
    const { ext, method, args, commit } = decodeSent(0);
    expect(ext.isSigned).toBe(true);
    expect(ext.signer.toString()).toBe(alice.ss58Address);
    expect(method).toBe('subtensorModule.commitTimelockedWeights');
    expect(result.call).toBe('commitTimelockedWeights');
    expect(args.args).toMatchObject({
      netuid: 1,
      reveal_round: result.revealRound,
      commit_reveal_version: 4,
    });
    expect(result.commitRevealVersion).toBe(4);
    expect(result.commitSize).toBe(commit.length);
    // SCALE payload (hotkey Vec 33 + two 3-item u16 Vecs 7 + 7 + u64 8) + 244 bytes of framing.
    expect(commit.length).toBe(33 + 7 + 7 + 8 + 244);
    expect(result.commitHash).toBe(u8aToHex(blake2AsU8a(commit, 256)));
    // The event subtensor emits carries blake2(commit) and the reveal round.
    const event = result.events.find((e) => e.method === 'TimelockedWeightsCommitted');
    expect(event?.data).toEqual([alice.ss58Address, 1, result.commitHash, result.revealRound]);

    // What the chain does at reveal time, with the pulse of that round of the simulator.
    const opened = openTimelockedCommit(
      commit,
      sim.pulse(result.revealRound).signature,
      alice.publicKey,
    );
    expect(opened.uids).toEqual([0, 3, 7]);
    expect(opened.values).toEqual([65535, 12000, 1]);
    expect(opened.versionKey).toBe(BigInt(VERSION_KEY)); // defaulted to the subnet's key
    expect(opened.format).toBe('current');
    // The pulse of another round, or another committer, does not open it.
    expect(() =>
      openTimelockedCommit(commit, sim.pulse(result.revealRound - 1).signature, alice.publicKey),
    ).toThrow(TimelockError);
    expect(() =>
      openTimelockedCommit(commit, sim.pulse(result.revealRound).signature, bob.publicKey),
    ).toThrow(expect.objectContaining({ code: 'HOTKEY_MISMATCH' }));

    // Reveal round from chain state, by the SDK's formula with the simulator's genesis/period.
    expect(result.schedule).toMatchObject({
      currentBlock: head,
      storageIndex: 1,
      tempo: 99,
      revealPeriodEpochs: 3,
      blockTimeSeconds: 12,
    });
    expect(result.revealRound).toBe(
      sdkRevealRound({
        currentBlock: head,
        netuid: 1,
        tempo: 99,
        revealPeriod: 3,
        blockTime: 12,
        nowSecs: NOW_MS / 1000,
        genesis: sim.info.genesisTime,
        period: sim.info.period,
      }),
    );
    expect(again.schedule.currentBlock).toBe(head + 1); // the fixture node made a block
    // The chain's BeaconConfig (quicknet in the mainnet metadata) differs: said, not hidden.
    expect(logger.warnings.some((w) => w.includes("not to the chain's Drand.BeaconConfig"))).toBe(
      true,
    );
  });

  it('defaults to quicknet, matching the mainnet runtime BeaconConfig; the SDK formula gives the round', async () => {
    const head = Number(node.head.header.number);
    const result = await chain.commitTimelockedWeights(alice, {
      netuid: 1,
      uids: [1, 2],
      weights: [100, 200],
      versionKey: VERSION_KEY + 1,
    });
    expect(result.beaconPublicKey).toBe(QUICKNET.publicKey);
    expect(result.revealRound).toBe(
      sdkRevealRound({
        currentBlock: head,
        netuid: 1,
        tempo: 99,
        revealPeriod: 3,
        blockTime: 12,
        nowSecs: NOW_MS / 1000,
        // bittensor-drand src/drand.rs GENESIS_TIME / DRAND_PERIOD
        genesis: 1692803367,
        period: 3,
      }),
    );
    // Encrypted to quicknet: the simulator's pulse of that round cannot open it.
    const { commit } = decodeSent(0);
    expect(() =>
      openTimelockedCommit(commit, sim.pulse(result.revealRound).signature, alice.publicKey),
    ).toThrow(TimelockError);
    // beacon: 'chain' reads Drand.BeaconConfig: on the mainnet metadata that is quicknet.
    const fromChain = await chain.commitTimelockedWeights(
      alice,
      { netuid: 1, uids: [1], weights: [1] },
      { beacon: 'chain', blockTimeSeconds: 0.25 },
    );
    expect(fromChain.beaconPublicKey).toBe(QUICKNET.publicKey);
    expect(fromChain.schedule.blockTimeSeconds).toBe(0.25);
    expect(fromChain.revealRound).toBe(
      sdkRevealRound({
        currentBlock: fromChain.schedule.currentBlock,
        netuid: 1,
        tempo: 99,
        revealPeriod: 3,
        blockTime: 0.25,
        nowSecs: NOW_MS / 1000,
        genesis: 1692803367,
        period: 3,
      }),
    );
  });

  it("reads a dev chain's own Drand.BeaconConfig; refuses quicknet there without sending", async () => {
    const config = {
      publicKey: u8aToHex(sim.publicKey),
      period: sim.info.period,
      genesisTime: sim.info.genesisTime,
      hash: `0x${'00'.repeat(32)}`,
      groupHash: `0x${'00'.repeat(32)}`,
      schemeId: u8aToHex(new TextEncoder().encode('bls-unchained-g1-rfc9380')),
      metadata: { beaconId: u8aToHex(new TextEncoder().encode('localnet')) },
    };
    setStorage(node, chain.api, 'drand', 'beaconConfig', [], config);
    const error = (await chain
      .commitTimelockedWeights(alice, { netuid: 1, uids: [0], weights: [1] })
      .catch((e) => e)) as ChainError;
    expect(error.code).toBe('BEACON_MISMATCH');
    expect(sent).toHaveLength(0);

    const result = await chain.commitTimelockedWeights(
      alice,
      { netuid: 1, uids: [4, 5], weights: [9, 10] },
      { beacon: 'chain' },
    );
    expect(result.beaconPublicKey).toBe(u8aToHex(sim.publicKey).slice(2));
    const { commit } = decodeSent(0);
    const opened = openTimelockedCommit(
      commit,
      sim.pulse(result.revealRound).signature,
      alice.publicKey,
    );
    expect(opened.uids).toEqual([4, 5]);
  });

  /**
   * Test-only metadata stub: the recorded spec-343 metadata has no `SubnetEpochIndex`,
   * `LastEpochBlock` or `PendingEpochAt` (they came with subtensor's dynamic tempo, spec 423).
   * This makes `api.at(hash).query.subtensorModule` also answer those items (u64 by netuid, as
   * `StorageMap<_, Identity, NetUid, u64, ValueQuery>` in pallets/subtensor/src/lib.rs), like
   * the decorated storage of such a runtime would; everything else is the recorded chain.
   */
  const withEpochItems = (
    c: SubtensorChain,
    items: Record<string, Record<number, number>>,
  ): (() => void) => {
    const api = c.api;
    const realAt = api.at.bind(api);
    const reads: string[] = [];
    const extra = Object.fromEntries(
      Object.entries(items).map(([name, byNetuid]) => [
        name,
        async (netuid: number) => {
          reads.push(`${name}(${netuid})`);
          return api.createType('u64', byNetuid[netuid] ?? 0);
        },
      ]),
    );
    const forward = (target: object, override: (key: PropertyKey) => unknown) =>
      new Proxy(
        {},
        {
          get: (_, key) => {
            const value = override(key);
            if (value !== undefined) return value;
            const real = Reflect.get(target, key);
            return typeof real === 'function' ? real.bind(target) : real;
          },
        },
      );
    const spy = vi.spyOn(api, 'at').mockImplementation(async (...args) => {
      const at = await realAt(...args);
      const query = forward(at.query, (section) =>
        section === 'subtensorModule'
          ? forward(at.query.subtensorModule ?? {}, (name) => extra[name as string])
          : undefined,
      );
      return forward(at, (key) => (key === 'query' ? query : undefined)) as typeof at;
    });
    epochItemReads = reads;
    return () => spy.mockRestore();
  };
  let epochItemReads: string[] = [];

  it('spec-343 metadata (no SubnetEpochIndex): the block formula, and no epoch items read', async () => {
    const status = await simChain.getWeightsStatus(1, alice.ss58Address);
    expect(status.epochSchedule).toBeUndefined();
    const result = await simChain.commitTimelockedWeights(alice, {
      netuid: 1,
      uids: [0],
      weights: [1],
    });
    expect(result.schedule.epochSource).toBe('formula');
    expect(result.schedule.epochSchedule).toBeUndefined();
    expect(result.revealRound).toBe(
      sdkRevealRound({
        currentBlock: result.schedule.currentBlock,
        netuid: 1,
        tempo: 99,
        revealPeriod: 3,
        blockTime: 12,
        nowSecs: NOW_MS / 1000,
        genesis: sim.info.genesisTime,
        period: sim.info.period,
      }),
    );
  });

  it('metadata with SubnetEpochIndex: the stored counter and LastEpochBlock move the reveal round', async () => {
    const head = Number(node.head.header.number);
    // Counter far from the formula's epoch ((head + 2) / 100 = 68 526), and an anchor off the
    // formula's grid: as after a set_tempo or some deferred epochs.
    const restore = withEpochItems(simChain, {
      subnetEpochIndex: { 1: 5_000 },
      lastEpochBlock: { 1: head - 10 },
      pendingEpochAt: {},
    });
    try {
      const status = await simChain.getWeightsStatus(1, alice.ss58Address);
      expect(status.epochSchedule).toEqual({
        subnetEpochIndex: 5_000,
        lastEpochBlock: head - 10,
        pendingEpochAt: 0,
      });
      epochItemReads.length = 0;
      const result = await simChain.commitTimelockedWeights(alice, {
        netuid: 1,
        uids: [0, 3],
        weights: [5, 6],
      });
      const at = result.schedule.currentBlock;
      expect(epochItemReads).toEqual([
        'subnetEpochIndex(1)',
        'lastEpochBlock(1)',
        'pendingEpochAt(1)',
      ]);
      // Next epoch fires at (head − 10) + 99; the commit is filed under 5 000 and revealed once
      // the counter reaches 5 003: two more tempos on. Target 3 blocks into that epoch.
      const firstRevealBlock = head - 10 + 99 + 2 * 99;
      expect(result.schedule).toMatchObject({
        epochSource: 'SubnetEpochIndex',
        epochSchedule: { subnetEpochIndex: 5_000, lastEpochBlock: head - 10, pendingEpochAt: 0 },
        currentEpoch: 5_000,
        revealEpoch: 5_003,
        firstRevealBlock,
        targetBlock: firstRevealBlock + 3,
      });
      const expected = Math.floor(
        (NOW_MS / 1000 + (firstRevealBlock + 3 - at) * 12 - sim.info.genesisTime) / sim.info.period,
      );
      expect(result.revealRound).toBe(expected);
      const formula = sdkRevealRound({
        currentBlock: at,
        netuid: 1,
        tempo: 99,
        revealPeriod: 3,
        blockTime: 12,
        nowSecs: NOW_MS / 1000,
        genesis: sim.info.genesisTime,
        period: sim.info.period,
      });
      expect(result.revealRound).not.toBe(formula);
      // The round sent is the one the commit is encrypted to.
      const { args, commit } = decodeSent(0);
      expect(args.args).toMatchObject({ reveal_round: expected });
      expect(
        openTimelockedCommit(commit, sim.pulse(expected).signature, alice.publicKey).uids,
      ).toEqual([0, 3]);

      // Mechanism 1 shares the subnet's counter: read by netuid, not by storage index 4097.
      epochItemReads.length = 0;
      const mech = await simChain.commitTimelockedWeights(alice, {
        netuid: 1,
        mechid: 1,
        uids: [2],
        weights: [7],
      });
      expect(epochItemReads).toEqual([
        'subnetEpochIndex(1)',
        'lastEpochBlock(1)',
        'pendingEpochAt(1)',
      ]);
      expect(mech.schedule).toMatchObject({ storageIndex: 4097, firstRevealBlock });
    } finally {
      restore();
    }
  });

  it('metadata with SubnetEpochIndex: an owner-triggered PendingEpochAt, a commit in the firing block', async () => {
    const head = Number(node.head.header.number);
    const restore = withEpochItems(simChain, {
      subnetEpochIndex: { 1: 42 },
      lastEpochBlock: { 1: head - 50 },
      pendingEpochAt: { 1: head + 1 },
    });
    try {
      const result = await simChain.commitTimelockedWeights(alice, {
        netuid: 1,
        uids: [1],
        weights: [1],
      });
      const at = result.schedule.currentBlock;
      expect(at).toBe(head);
      // The triggered epoch fires in the commit's own block: filed under 43, revealed at 46,
      // three tempos after that block.
      expect(result.schedule).toMatchObject({
        currentEpoch: 43,
        revealEpoch: 46,
        firstRevealBlock: head + 1 + 3 * 99,
      });
    } finally {
      restore();
    }
  });

  it('SubnetEpochIndex without LastEpochBlock (cannot be scheduled): stays on the formula', async () => {
    const restore = withEpochItems(simChain, { subnetEpochIndex: { 1: 5_000 } });
    try {
      const result = await simChain.commitTimelockedWeights(alice, {
        netuid: 1,
        uids: [1],
        weights: [1],
      });
      expect(result.schedule.epochSource).toBe('formula');
      expect(epochItemReads).toEqual([]);
    } finally {
      restore();
    }
  });

  it('mechanism 1: commit_timelocked_mechanism_weights, reveal round from storage index 4097', async () => {
    const result = await simChain.commitTimelockedWeights(alice, {
      netuid: 1,
      mechid: 1,
      uids: [2],
      weights: [7],
    });
    const { method, args, commit } = decodeSent(0);
    expect(method).toBe('subtensorModule.commitTimelockedMechanismWeights');
    expect(args.args).toMatchObject({ netuid: 1, mecid: 1, reveal_round: result.revealRound });
    expect(result.schedule.storageIndex).toBe(4097);
    expect(result.revealRound).toBe(
      sdkRevealRound({
        currentBlock: result.schedule.currentBlock,
        netuid: 4097,
        tempo: 99,
        revealPeriod: 3,
        blockTime: 12,
        nowSecs: NOW_MS / 1000,
        genesis: sim.info.genesisTime,
        period: sim.info.period,
      }),
    );
    expect(
      openTimelockedCommit(commit, sim.pulse(result.revealRound).signature, alice.publicKey).uids,
    ).toEqual([2]);
    await expect(
      simChain.commitTimelockedWeights(alice, { netuid: 1, mechid: 2, uids: [2], weights: [7] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'mechid' } });
  });

  it('refuses before sending what the chain would refuse or silently drop', async () => {
    const refuse = async (
      params: { uids?: number[]; weights?: number[]; versionKey?: number },
      expected: Record<string, unknown>,
      hotkey = alice,
    ) => {
      const uids = params.uids ?? [0];
      await expect(
        simChain.commitTimelockedWeights(hotkey, {
          netuid: 1,
          uids,
          weights: params.weights ?? uids.map(() => 1),
          ...(params.versionKey !== undefined ? { versionKey: params.versionKey } : {}),
        }),
      ).rejects.toMatchObject(expected);
    };
    const authorCalls = () => node.requests.filter((r) => r.method.startsWith('author_')).length;
    const before = authorCalls();
    await refuse({}, { code: 'NOT_REGISTERED' }, bob);
    // A version key below the subnet's: accepted at commit, dropped at reveal.
    await refuse(
      { versionKey: VERSION_KEY - 1 },
      { code: 'INVALID_INPUT', details: { field: 'versionKey' } },
    );
    // 1200 uids: 45 + 4·1200 + 244 bytes > subtensor's 5000-byte bound.
    const many = Array.from({ length: 1200 }, (_, i) => i);
    await refuse({ uids: many }, { code: 'INVALID_INPUT', details: { field: 'weights' } });
    setStorage(node, chain.api, 'subtensorModule', 'commitRevealWeightsVersion', [], 5);
    await refuse(
      {},
      { code: 'UNSUPPORTED_RUNTIME', details: { name: 'IncorrectCommitRevealVersion' } },
    );
    setStorage(node, chain.api, 'subtensorModule', 'commitRevealWeightsVersion', [], 4);
    setStorage(
      node,
      chain.api,
      'subtensorModule',
      'lastUpdate',
      [1],
      [Number(node.head.header.number) - 10],
    );
    await refuse({}, { code: 'RATE_LIMITED', details: { blocksLeft: 90 } });
    setStorage(node, chain.api, 'subtensorModule', 'lastUpdate', [1], [HEAD - 150]);
    setStorage(node, chain.api, 'subtensorModule', 'commitRevealWeightsEnabled', [1], false);
    await refuse({}, { code: 'COMMIT_REVEAL_DISABLED' });
    expect(authorCalls()).toBe(before);
    expect(sent).toHaveLength(0);
  });

  it('submitWeights and getWeightsMethod follow the subnet: set_weights when off, timelocked when on, v2 only by the caller', async () => {
    node.requests.length = 0;
    expect(await chain.getWeightsMethod(1)).toBe('timelocked');
    const on = await simChain.submitWeights(alice, { netuid: 1, uids: [0], weights: [5] });
    expect(on.method).toBe('timelocked');
    expect(decodeSent(0).method).toBe('subtensorModule.commitTimelockedWeights');

    const before = sent.length;
    await expect(
      simChain.submitWeights(
        alice,
        { netuid: 1, uids: [0], weights: [5] },
        { prefer: 'commit_reveal_v2' },
      ),
    ).rejects.toMatchObject({ code: 'COMMIT_REVEAL_V2_REQUIRED' });
    expect(sent).toHaveLength(before);
    expect(await chain.getWeightsMethod(1, { prefer: 'commit_reveal_v2' })).toBe(
      'commit_reveal_v2',
    );

    setStorage(node, chain.api, 'subtensorModule', 'commitRevealWeightsEnabled', [1], false);
    expect(await chain.getWeightsMethod(1)).toBe('set_weights');
    const off = await simChain.submitWeights(alice, { netuid: 1, uids: [0, 1], weights: [5, 6] });
    expect(off.method).toBe('set_weights');
    const last = decodeSent(sent.length - 1);
    expect(last.method).toBe('subtensorModule.setWeights');
    // The version key defaults to the subnet's WeightsVersionKey.
    expect(last.args.args).toEqual({
      netuid: 1,
      dests: [0, 1],
      weights: [5, 6],
      version_key: VERSION_KEY,
    });

    expect(chain.weightsCalls()).toEqual({ setWeights: true, hashCommit: true, timelocked: true });
    expect(chain.weightsCalls(1)).toEqual({ setWeights: true, hashCommit: true, timelocked: true });
  });

  describe('the real finney commit_timelocked_mechanism_weights', () => {
    it('is genuine: its sr25519 signature verifies over the payload rebuilt by hand', () => {
      const genesis = [...hexToU8a(FINNEY_GENESIS)];
      const payload = Uint8Array.from([
        ...hexToU8a(MAINNET.call),
        ...hexToU8a(MAINNET.era),
        ...compact(MAINNET.nonce),
        0x00, // tip
        0x00, // CheckMetadataHash mode
        ...le32(MAINNET.specVersion),
        ...le32(MAINNET.transactionVersion),
        ...genesis,
        ...hexToU8a(MAINNET.blockHash),
        0x00, // metadata hash: None
      ]);
      expect(payload.length).toBeGreaterThan(256);
      const message = blake2AsU8a(payload, 256);
      expect(verifySignature(message, MAINNET.signature, MAINNET.signer)).toBe(true);
      const tampered = Uint8Array.from(payload);
      tampered[100] = (tampered[100] ?? 0) ^ 1;
      expect(verifySignature(blake2AsU8a(tampered, 256), MAINNET.signature, MAINNET.signer)).toBe(
        false,
      );
    });

    it('decodes with the spec-343 metadata and our builder re-encodes it byte for byte', () => {
      const call = chain.api.createType('Call', MAINNET.call);
      expect(`${call.section}.${call.method}`).toBe(
        'subtensorModule.commitTimelockedMechanismWeights',
      );
      expect([...call.callIndex]).toEqual([0x07, 0x76]); // pallet 7, call 118
      const args = call.toPrimitive() as { args: Record<string, unknown> };
      expect(Object.keys(args.args)).toEqual([
        'netuid',
        'mecid',
        'commit',
        'reveal_round',
        'commit_reveal_version',
      ]);
      expect(args.args).toMatchObject({
        netuid: 7,
        mecid: 0,
        reveal_round: 32340463,
        commit_reveal_version: 4,
      });
      const commit = call.args[2]?.toU8a(true) as Uint8Array;
      // The commit is a tle ciphertext of a 59-byte payload (a hotkey and 4 uids).
      const { ciphertext, consumed } = parseCiphertext(commit);
      expect(consumed).toBe(commit.length);
      expect(parseAesOutput(ciphertext.body).ciphertext.length - 16).toBe(59);

      // Our call builder, with the same arguments, gives the same bytes.
      const ours = chain.buildCall('subtensorModule', 'commitTimelockedMechanismWeights', [
        7,
        0,
        u8aToHex(commit),
        32340463,
        4,
      ]);
      expect(ours.method.toHex()).toBe(MAINNET.call);
      // And the plain call of a mechanism-0 commit differs only by index and the missing mecid.
      const plain = chain.buildCall('subtensorModule', 'commitTimelockedWeights', [
        7,
        u8aToHex(commit),
        32340463,
        4,
      ]);
      const plainBytes = plain.method.toU8a();
      const mainnet = hexToU8a(MAINNET.call);
      expect([plainBytes[0], plainBytes[1]]).toEqual([0x07, 0x71]); // call 113
      expect(u8aToHex(plainBytes.slice(2))).toBe(
        u8aToHex(Uint8Array.from([...mainnet.slice(2, 4), ...mainnet.slice(5)])),
      );
    });

    it('has the size our commit of the same payload shape has', async () => {
      // A 4-uid commit from us is as long as the mainnet one (same framing, same payload size).
      const result: TimelockedCommitResult = await chain.commitTimelockedWeights(alice, {
        netuid: 1,
        uids: [0, 1, 2, 3],
        weights: [1, 2, 3, 4],
      });
      const mainnetCommit = chain.api.createType('Call', MAINNET.call).args[2]?.toU8a(true);
      expect(result.commitSize).toBe(mainnetCommit?.length);
    });
  });
});
