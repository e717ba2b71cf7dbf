import { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { createTimelockedCommit, verifyBeacon } from '@subnetkit/timelock';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalnet,
  type GenesisConfig,
  type Localnet,
  TAO,
  type TimelockedRevealOutcome,
} from '../src/index.js';
import type { StateStore } from '../src/state/store.js';
import { inOneBlock, runBlock } from './helpers.js';
import { signerFor } from './signer.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const hk = (name: string) => Keypair.fromUri(`//Alice//tl-${name}`);
const BLOCK_MS = 12_000;

/** A localnet whose clock moves 12 s per block (virtual time: no waiting). */
async function virtualNet(genesis: GenesisConfig, outcomes: TimelockedRevealOutcome[] = []) {
  let t = 1_750_000_000_000;
  const net = await createLocalnet(
    { blockTime: 'manual', drand: { seed: 'timelocked-test' }, genesis },
    { now: () => (t += BLOCK_MS), onReveal: (o) => outcomes.push(o) },
  );
  const api = await ApiPromise.create({ provider: net.provider() as never, noInitWarn: true });
  return { net, api };
}

const headTime = (net: Localnet) =>
  net.chain.items.timestamp.now.get(net.chain.head.state as StateStore);

describe('drand pulses on localnet', () => {
  let net: Localnet;
  let api: ApiPromise;
  beforeAll(async () => {
    ({ net, api } = await virtualNet({}));
  });
  afterAll(async () => {
    await api.disconnect();
    await net.close();
  });

  it('each block carries write_pulse extrinsics for the rounds published by its parent’s timestamp', async () => {
    const drand = net.drand!;
    const config = (await api.query.drand!.beaconConfig!()).toJSON() as Record<string, string>;
    expect(config.publicKey).toBe(u8aToHex(drand.publicKey));
    expect(Number(config.period)).toBe(3);
    expect(Number(config.genesisTime)).toBe(Math.floor(Number(headTime(net)) / 1000));

    const first = net.produceBlock(); // parent = genesis: only the latest round (1)
    expect(first.extrinsics).toHaveLength(2);
    for (let k = 0; k < 3; k++) net.produceBlock();
    const block = net.chain.head;
    const parentTs = net.chain.items.timestamp.now.get(
      net.chain.blocks[block.number - 1]!.state as StateStore,
    );
    const last = drand.roundAt(Number(parentTs) / 1000);
    const at = await api.at(block.hash);
    expect(Number((await at.query.drand!.lastStoredRound!()).toString())).toBe(last);
    expect(Number((await at.query.drand!.oldestStoredRound!()).toString())).toBe(1);
    // 12 s blocks, 3 s rounds: four write_pulse extrinsics, one pulse each, rounds ascending.
    const signed = await api.rpc.chain.getBlock(block.hash);
    const calls = signed.block.extrinsics.map((x) => `${x.method.section}.${x.method.method}`);
    expect(calls).toEqual([
      'timestamp.set',
      'drand.writePulse',
      'drand.writePulse',
      'drand.writePulse',
      'drand.writePulse',
    ]);
    expect(signed.block.extrinsics[1]!.isSigned).toBe(false);
    const events = (await at.query.system!.events!()) as unknown as {
      event: { section: string; method: string; data: { toJSON(): unknown }[] };
    }[];
    const rounds = events
      .filter((e) => e.event.method === 'NewPulse')
      .map((e) => e.event.data[0]!.toJSON());
    expect(rounds).toEqual([[last - 3], [last - 2], [last - 1], [last]]);
    // The stored pulse is drand-shaped and verifies against the chain's BeaconConfig key.
    const pulse = (await at.query.drand!.pulses!(last)).toJSON() as Record<string, string>;
    expect(Number(pulse.round)).toBe(last);
    expect(verifyBeacon(last, pulse.signature!, config.publicKey!)).toBe(true);
    expect(verifyBeacon(last + 1, pulse.signature!, config.publicKey!)).toBe(false);
    expect(pulse.randomness).toBe(u8aToHex(drand.pulse(last).randomness));
  });

  it('refuses write_pulse from outside (unsigned, 1011) and keeps quicknet’s config with drand off', async () => {
    const tx = api.tx.drand!.setOldestStoredRound!(5);
    const unsigned = api.createType('Extrinsic', { method: tx.method }).toHex();
    await expect(api.rpc.author.submitExtrinsic(unsigned)).rejects.toThrow(/1011/);
    const off = await createLocalnet({ blockTime: 'manual', drand: false });
    try {
      off.produceBlocks(3);
      const items = off.chain.items;
      const st = off.chain.head.state as StateStore;
      expect(items.drand.lastStoredRound.get(st)).toBe(0n);
      expect(u8aToHex(items.drand.beaconConfig.get(st).publicKey)).toMatch(/^0x83cf0f28/);
      expect(off.drand).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});

describe('commit_timelocked_weights checks (spec 343 order)', () => {
  let net: Localnet;
  let api: ApiPromise;
  const v = hk('v');
  beforeAll(async () => {
    ({ net, api } = await virtualNet({
      commitRevealWeightsVersion: 4,
      subnets: [
        { netuid: 1, params: { tempo: 10, commitReveal: true, weightsSetRateLimit: 5 } },
        { netuid: 2, params: { tempo: 10, commitReveal: false } },
        { netuid: 3, params: { tempo: 100, commitReveal: true, weightsSetRateLimit: 0 } },
      ],
    }));
    await inOneBlock(api, net, [
      [api.tx.subtensorModule!.burnedRegister!(1, v.ss58Address), alice],
    ]);
    await inOneBlock(api, net, [
      [api.tx.subtensorModule!.burnedRegister!(2, v.ss58Address), alice],
    ]);
    await inOneBlock(api, net, [
      [api.tx.subtensorModule!.burnedRegister!(3, v.ss58Address), alice],
    ]);
    net.produceBlocks(5); // registration sets LastUpdate: wait out the rate limit
  });
  afterAll(async () => {
    await api.disconnect();
    await net.close();
  });
  const commit = (netuid: number, bytes: Uint8Array, round: number, version = 4) =>
    api.tx.subtensorModule!.commitTimelockedWeights!(netuid, u8aToHex(bytes), round, version);
  const round = () => Number(net.chain.items.drand.lastStoredRound.get(net.chain.head.state!));

  it('stores the commit under the epoch, emits TimelockedWeightsCommitted, sets LastUpdate', async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const r0 = round();
    const r = await runBlock(api, net, [
      [commit(2, bytes, r0 + 10), v], // commit-reveal off
      [commit(1, bytes, r0 + 10, 3), hk('w')], // wrong version (checked before registration)
      [commit(1, bytes, r0 + 10), hk('unregistered')],
      [commit(1, bytes, r0 + 10), v],
    ]);
    expect(r.errors).toEqual([
      'subtensorModule.CommitRevealDisabled',
      'subtensorModule.IncorrectCommitRevealVersion',
      'subtensorModule.HotKeyNotRegisteredInSubNet',
      null,
    ]);
    const block = net.chain.head.number;
    // Epoch of the commit: get_epoch_index, + 1 on the subnet's epoch block.
    const epoch = Math.floor((block + 2) / 11) + ((block + 2) % 11 === 10 ? 1 : 0);
    const stored = (await api.query.subtensorModule!.timelockedWeightCommits!(1, epoch)).toJSON();
    expect(stored).toEqual([[v.ss58Address, block, u8aToHex(bytes), r0 + 10]]);
    const at = await api.at(net.chain.head.hash);
    const events = (await at.query.system!.events!()) as unknown as {
      event: { method: string; data: { toJSON(): unknown }[] };
    }[];
    const committed = events.find((e) => e.event.method === 'TimelockedWeightsCommitted');
    expect(committed?.event.data.map((d) => d.toJSON())).toEqual([
      v.ss58Address,
      1,
      blake2AsHex(bytes, 256),
      r0 + 10,
    ]);
    const uid = Number((await api.query.subtensorModule!.uids!(1, v.ss58Address)).toString());
    const lastUpdate = (await api.query.subtensorModule!.lastUpdate!(1)).toJSON() as number[];
    expect(lastUpdate[uid]).toBe(block);
    // Commits share the weights rate limit (5 blocks here).
    const again = await runBlock(api, net, [[commit(1, bytes, round() + 10), v]]);
    expect(again.errors).toEqual(['subtensorModule.CommittingWeightsTooFast']);
  });

  it('pool: a reveal round below LastStoredRound is Custom error 15; over 5000 bytes does not decode', async () => {
    const ok = Uint8Array.of(1, 2, 3);
    const stale = commit(1, ok, round() - 1);
    await stale.signAsync(v.ss58Address, {
      signer: signerFor(v),
      nonce: net.chain.nextIndex(v.publicKey),
    });
    await expect(api.rpc.author.submitExtrinsic(stale)).rejects.toThrow(/Custom error: 15/);
    const big = commit(1, new Uint8Array(5001), round() + 5);
    await big.signAsync(v.ss58Address, {
      signer: signerFor(v),
      nonce: net.chain.nextIndex(v.publicKey),
    });
    await expect(api.rpc.author.submitExtrinsic(big)).rejects.toThrow(/1001.*BoundedVec<u8, 5000>/);
    // The mechanism form has no pool check in spec 343: it reaches the block.
    const mech = api.tx.subtensorModule!.commitTimelockedMechanismWeights!(
      3,
      1,
      u8aToHex(ok),
      1,
      4,
    );
    const r = await runBlock(api, net, [[mech, v]]);
    expect(r.errors).toEqual(['subtensorModule.MechanismDoesNotExist']);
  });

  it('at most 10 unrevealed commits per hotkey and epoch', async () => {
    const txs = Array.from({ length: 11 }, (_, k) => [
      commit(3, Uint8Array.of(k), round() + 50),
      v,
    ]) as Parameters<typeof runBlock>[2];
    const r = await runBlock(api, net, txs);
    expect(r.errors.slice(0, 10).every((e) => e === null)).toBe(true);
    expect(r.errors[10]).toBe('subtensorModule.TooManyUnrevealedCommits');
  });
});

describe('reveal_crv3_commits at the reveal epoch', () => {
  let net: Localnet;
  let api: ApiPromise;
  const outcomes: TimelockedRevealOutcome[] = [];
  const vals = ['good', 'wronghk', 'garbage', 'baduid', 'late', 'never'].map((n) => hk(n));
  const [good, wronghk, garbage, baduid, late, never] = vals as [
    Keypair,
    Keypair,
    Keypair,
    Keypair,
    Keypair,
    Keypair,
  ];
  const miners = [Keypair.fromUri('//Bob//tl-m1'), Keypair.fromUri('//Bob//tl-m2')];
  const uid = new Map<string, number>();
  beforeAll(async () => {
    ({ net, api } = await virtualNet(
      {
        commitRevealWeightsVersion: 4,
        subnets: [
          {
            netuid: 1,
            params: {
              tempo: 10,
              commitReveal: true,
              revealPeriodEpochs: 1,
              weightsSetRateLimit: 0,
              immunityPeriod: 1000,
              maxRegistrationsPerBlock: 20,
              targetRegistrationsPerInterval: 20,
            },
          },
        ],
      },
      outcomes,
    ));
    const st = api.tx.subtensorModule!;
    await inOneBlock(api, net, [
      ...vals.map((k) => [st.burnedRegister!(1, k.ss58Address), alice]),
      ...miners.map((k) => [st.burnedRegister!(1, k.ss58Address), bob]),
      // Enough stake behind `good` (and `late`) for Yuma's consensus (kappa 0.5).
      ...vals.map((k) => {
        const amount = k === good ? 3000n * TAO : k === late ? 1000n * TAO : TAO;
        return [st.addStake!(k.ss58Address, 1, amount), alice];
      }),
    ] as Parameters<typeof inOneBlock>[2]);
    for (const k of [...vals, ...miners]) {
      const u = await api.query.subtensorModule!.uids!(1, k.ss58Address);
      uid.set(k.ss58Address, Number(u.toString()));
    }
    // Epoch blocks of netuid 1 (tempo 10) are 8, 19, 30…: the one at 8 hands out permits.
    while (net.chain.head.number < 9) net.produceBlock();
  });
  afterAll(async () => {
    await api.disconnect();
    await net.close();
  });

  const encrypt = (hotkey: Keypair, uids: number[], values: number[], blockTime = 12) =>
    createTimelockedCommit({
      hotkey: hotkey.publicKey,
      uids,
      values,
      versionKey: 0n,
      currentBlock: net.chain.head.number,
      netuid: 1,
      tempo: 10,
      revealPeriodEpochs: 1,
      blockTime,
      nowSeconds: Number(headTime(net)) / 1000,
      beacon: net.drand!.info,
    });
  const weightsOf = async (k: Keypair) =>
    (await api.query.subtensorModule!.weights!(1, uid.get(k.ss58Address)!)).toJSON();

  it('reveals in epoch commit_epoch + 1, retries a missing pulse, drops what cannot be applied', async () => {
    const m1 = uid.get(miners[0]!.ss58Address)!;
    const m2 = uid.get(miners[1]!.ss58Address)!;
    const goodCommit = encrypt(good, [m1, m2], [65535, 10000]);
    const commits: [Keypair, Uint8Array, number][] = [
      [good, goodCommit.commit, goodCommit.revealRound],
      [wronghk, encrypt(good, [m1], [65535]).commit, goodCommit.revealRound], // another hotkey's payload
      [garbage, Uint8Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff), goodCommit.revealRound],
      [baduid, encrypt(baduid, [m1, 99], [1, 2]).commit, goodCommit.revealRound], // uid 99: none
    ];
    // Block time overestimated: the round's pulse comes a few blocks into the epoch.
    const lateCommit = encrypt(late, [m2], [65535], 14);
    commits.push([late, lateCommit.commit, lateCommit.revealRound]);
    // Overestimated more: the pulse only comes after the reveal epoch.
    const neverCommit = encrypt(never, [m1], [65535], 20);
    commits.push([never, neverCommit.commit, neverCommit.revealRound]);
    await inOneBlock(
      api,
      net,
      commits.map(([k, bytes, round]) => [
        api.tx.subtensorModule!.commitTimelockedWeights!(1, u8aToHex(bytes), round, 4),
        k,
      ]),
    );
    expect(net.chain.head.number).toBe(10); // epoch 1: revealed in epoch 2 (blocks 20–30)
    // Not visible before the reveal epoch.
    while (net.chain.head.number < 19) net.produceBlock();
    expect(outcomes).toEqual([]);
    for (const k of vals) expect(await weightsOf(k)).toEqual([]);

    const revealedAt = new Map<string, number>();
    while (net.chain.head.number < 31) {
      const b = net.produceBlock();
      for (const o of outcomes.filter((x) => x.block === b.number && x.outcome === 'revealed')) {
        revealedAt.set(u8aToHex(o.who), b.number);
      }
    }
    const by = (k: Keypair) => outcomes.filter((o) => u8aToHex(o.who) === u8aToHex(k.publicKey));
    const last = (k: Keypair) => by(k).at(-1)!;
    // Every commit waits for its pulse first (the SDK aims 3 blocks into the epoch, rounded down).
    for (const k of vals) expect(by(k)[0]).toMatchObject({ outcome: 'retry', block: 20 });
    expect(last(good)).toMatchObject({ outcome: 'revealed' });
    expect(last(late)).toMatchObject({ outcome: 'revealed' });
    const goodAt = revealedAt.get(u8aToHex(good.publicKey))!;
    const lateAt = revealedAt.get(u8aToHex(late.publicKey))!;
    expect(goodAt).toBeGreaterThanOrEqual(21);
    expect(lateAt).toBeGreaterThan(goodAt);
    expect(lateAt).toBeLessThanOrEqual(30);
    // The round's pulse is on chain from the block before the reveal, not earlier.
    const pulseAt = async (block: number, round: number) =>
      (await (await api.at(net.chain.blocks[block]!.hash)).query.drand!.pulses!(round)).isEmpty ===
      false;
    expect(await pulseAt(goodAt - 1, goodCommit.revealRound)).toBe(true);
    expect(await pulseAt(goodAt - 2, goodCommit.revealRound)).toBe(false);

    expect(last(wronghk)).toMatchObject({ outcome: 'dropped', block: goodAt });
    expect(last(wronghk).reason).toMatch(/HOTKEY_MISMATCH/);
    expect(last(garbage)).toMatchObject({ outcome: 'dropped', block: goodAt });
    expect(last(garbage).reason).toMatch(/MALFORMED_CIPHERTEXT|INVALID_POINT/);
    expect(last(baduid).reason).toBe(
      'do_set_mechanism_weights: SubtensorModule.UidVecContainInvalidOne',
    );
    expect(by(never).filter((o) => o.outcome === 'retry')).toHaveLength(11); // blocks 20–30
    expect(last(never)).toMatchObject({ outcome: 'dropped', block: 31 });
    expect(last(never).reason).toMatch(/expired/);

    // Weights as set_weights stores them (max-upscaled), only for the two revealed commits.
    expect(await weightsOf(good)).toEqual([
      [m1, 65535],
      [m2, 10000],
    ]);
    expect(await weightsOf(late)).toEqual([[m2, 65535]]);
    for (const k of [wronghk, garbage, baduid, never]) expect(await weightsOf(k)).toEqual([]);
    const revealedEvents = async (block: number) => {
      const at = await api.at(net.chain.blocks[block]!.hash);
      const records = (await at.query.system!.events!()) as unknown as {
        phase: { isInitialization: boolean };
        event: { method: string; data: { toJSON(): unknown }[] };
      }[];
      return records
        .filter((e) => e.event.method === 'TimelockedWeightsRevealed')
        .map((e) => [e.phase.isInitialization, ...e.event.data.map((d) => d.toJSON())]);
    };
    expect(await revealedEvents(goodAt)).toEqual([[true, 1, good.ss58Address]]);
    expect(await revealedEvents(lateAt)).toEqual([[true, 1, late.ss58Address]]);
    // The epoch's queue is gone; the epoch at block 30 paid the miners the weights point to.
    expect((await api.query.subtensorModule!.timelockedWeightCommits!(1, 1)).toJSON()).toEqual([]);
    const incentive = (await api.query.subtensorModule!.incentive!(1)).toJSON() as number[];
    expect(incentive[m1]).toBeGreaterThan(0);
    expect(incentive[m2]).toBeGreaterThan(0);
  });
});
