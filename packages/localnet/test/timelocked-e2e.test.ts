import { u8aToHex } from '@polkadot/util';
import {
  createSubtensorChain,
  type SubmitWeightsResult,
  type SubtensorChain,
  type TimelockedCommitResult,
} from '@subnetkit/chain';
import { silentLogger } from '@subnetkit/core';
import { createTimelockedCommit } from '@subnetkit/timelock';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalnet, type Localnet, TAO, type TimelockedRevealOutcome } from '../src/index.js';

/**
 * The end-to-end check, through SubtensorChain only (no side door into the chain's
 * state): a validator on a commit-reveal subnet calls `submitWeights`, which picks a timelocked
 * commit encrypted to the chain's drand beacon; localnet reveals it in the reveal epoch and the
 * next epoch pays the miners. Virtual time: the clock moves 12 s per block, so a whole reveal
 * takes no waiting. The reveal observer (what subtensor only logs) is read for the retries.
 */
const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const validator = Keypair.fromUri('//Alice//e2e-validator');
const slow = Keypair.fromUri('//Alice//e2e-slow-clock');
const wrong = Keypair.fromUri('//Alice//e2e-wrong-hotkey');
const garbage = Keypair.fromUri('//Alice//e2e-garbage');
const miners = [Keypair.fromUri('//Bob//e2e-m1'), Keypair.fromUri('//Bob//e2e-m2')];
const TEMPO = 10;
const NETUID = 1;

const epochOf = (block: number) => Math.floor((block + NETUID + 1) / (TEMPO + 1));
const isEpochBlock = (block: number) => (block + NETUID + 1) % (TEMPO + 1) === TEMPO;
const firstBlockOf = (epoch: number) => epoch * (TEMPO + 1) - (NETUID + 1);

describe('timelocked weights end to end (SubtensorChain → localnet)', () => {
  let net: Localnet;
  let chain: SubtensorChain;
  let t = 1_760_000_000_000;
  let pump: NodeJS.Timeout | undefined;
  const outcomes: TimelockedRevealOutcome[] = [];
  /** Blocks every 25 ms; with `onDemand`, only while transactions wait in the pool. */
  const startPump = (onDemand = false) => {
    pump ??= setInterval(() => {
      if (!onDemand || net.chain.poolSize > 0) net.produceBlock();
    }, 25);
  };
  const stopPump = () => {
    if (pump) clearInterval(pump);
    pump = undefined;
  };
  const uids = new Map<string, number>();

  beforeAll(async () => {
    net = await createLocalnet(
      {
        blockTime: 'manual',
        genesis: {
          commitRevealWeightsVersion: 4, // mainnet's: commit-reveal subnets take timelocked weights
          subnets: [
            {
              netuid: NETUID,
              params: {
                tempo: TEMPO,
                commitReveal: true,
                revealPeriodEpochs: 1,
                weightsSetRateLimit: 2,
                immunityPeriod: 1000,
                maxRegistrationsPerBlock: 20,
                targetRegistrationsPerInterval: 20,
              },
            },
          ],
        },
      },
      { now: () => (t += 12_000), onReveal: (o) => outcomes.push(o) },
    );
    chain = await createSubtensorChain(
      { beacon: 'chain', blockTimeSeconds: 12, txTimeoutMs: 20_000 },
      { provider: net.provider() as never, now: () => t, logger: silentLogger() },
    );
    startPump();
    for (const k of [validator, slow, wrong, garbage]) {
      const r = await chain.burnedRegister(alice, { netuid: NETUID, hotkey: k.ss58Address });
      uids.set(k.ss58Address, Number(r.uid));
    }
    for (const k of miners) {
      const r = await chain.burnedRegister(bob, { netuid: NETUID, hotkey: k.ss58Address });
      uids.set(k.ss58Address, Number(r.uid));
    }
    await chain.addStake(alice, {
      hotkey: validator.ss58Address,
      netuid: NETUID,
      amount: 3000n * TAO,
    });
    for (const k of [slow, wrong, garbage]) {
      await chain.addStake(alice, { hotkey: k.ss58Address, netuid: NETUID, amount: 100n * TAO });
    }
    // Wait for the epoch that hands out validator permits, then stop a few blocks before the
    // next epoch block so the commits land inside one epoch.
    const permitted = async () =>
      (await chain.getMetagraph(NETUID)).validatorPermit[uids.get(validator.ss58Address)!];
    while (!(await permitted())) await new Promise((r) => setTimeout(r, 20));
    stopPump();
    while (!isEpochBlock(net.chain.head.number + 5)) net.produceBlock();
  });

  afterAll(async () => {
    stopPump();
    await chain?.close();
    await net?.close();
  });

  it('submitWeights commits timelocked; the weights appear only in the reveal epoch and move incentive', async () => {
    expect(await chain.getWeightsMethod(NETUID)).toBe('timelocked');
    const [m1, m2] = miners.map((m) => uids.get(m.ss58Address)!) as [number, number];
    const before = await chain.getMetagraph(NETUID);
    expect(before.incentive[m1]).toBe(0);
    expect(before.incentive[m2]).toBe(0);

    // Blocks only for pending transactions: the commits land before the epoch block.
    startPump(true);
    const commitBeacon = (await chain.api.query.drand!.beaconConfig!()).toJSON() as {
      publicKey: string;
    };
    expect(commitBeacon.publicKey).toBe(u8aToHex(net.drand!.publicKey));
    const [main, late] = (await Promise.all([
      chain.submitWeights(validator, { netuid: NETUID, uids: [m1, m2], weights: [65535, 20000] }),
      // This validator's clock model is off (15 s blocks): its round's pulse comes later.
      chain.submitWeights(
        slow,
        { netuid: NETUID, uids: [m2], weights: [65535] },
        { blockTimeSeconds: 15 },
      ),
    ])) as [SubmitWeightsResult, SubmitWeightsResult];
    // A payload encrypted for another hotkey, and bytes that are no ciphertext at all, sent as
    // commits through the same client (buildCall + submit).
    const forged = createTimelockedCommit({
      hotkey: validator.publicKey,
      uids: [m1],
      values: [65535],
      versionKey: 0n,
      currentBlock: net.chain.head.number,
      netuid: NETUID,
      tempo: TEMPO,
      revealPeriodEpochs: 1,
      blockTime: 12,
      nowSeconds: t / 1000,
      beacon: net.drand!.info,
    });
    const sends = [
      [wrong, u8aToHex(forged.commit)],
      [garbage, u8aToHex(Uint8Array.from({ length: 400 }, (_, i) => (i * 31) & 0xff))],
    ] as const;
    const forgedResults = await Promise.all(
      sends.map(([k, bytes]) =>
        chain.submit(
          k,
          chain.buildCall('subtensorModule', 'commitTimelockedWeights', [
            NETUID,
            bytes,
            forged.revealRound,
            4,
          ]),
        ),
      ),
    );
    stopPump();

    expect(main.method).toBe('timelocked');
    expect(late.method).toBe('timelocked');
    const r = main as TimelockedCommitResult & { method: 'timelocked' };
    expect(r.commitRevealVersion).toBe(4);
    expect(r.beaconPublicKey).toBe(commitBeacon.publicKey.replace(/^0x/, ''));
    expect(r.verifiedAgainstMainnet).toBe(false);
    expect(r.events.map((e) => `${e.section}.${e.method}`)).toContain(
      'subtensorModule.TimelockedWeightsCommitted',
    );
    for (const f of forgedResults) {
      expect(f.events.map((e) => e.method)).toContain('TimelockedWeightsCommitted');
    }
    // All four commits are in one epoch; subtensor reveals it in the next one.
    const commitBlocks = [main, late, ...forgedResults].map((x) => x.blockNumber);
    const commitEpoch = epochOf(commitBlocks[0]!);
    for (const b of commitBlocks) {
      expect(isEpochBlock(b)).toBe(false);
      expect(epochOf(b)).toBe(commitEpoch);
    }
    expect(r.schedule.revealEpoch).toBe(commitEpoch + 1);
    const firstReveal = firstBlockOf(commitEpoch + 1);
    expect(r.schedule.firstRevealBlock).toBe(firstReveal);

    // Block by block: nothing is visible before the reveal epoch.
    const vUid = uids.get(validator.ss58Address)!;
    const sUid = uids.get(slow.ss58Address)!;
    const seen = new Map<number, number>();
    const lastRevealBlock = firstReveal + TEMPO;
    while (net.chain.head.number < lastRevealBlock + 1) {
      const b = net.produceBlock();
      const rows = await chain.getWeights(NETUID);
      for (const uid of [vUid, sUid]) if (rows.has(uid) && !seen.has(uid)) seen.set(uid, b.number);
      if (b.number < firstReveal) expect(rows.size).toBe(0);
    }
    const vAt = seen.get(vUid)!;
    const sAt = seen.get(sUid)!;
    expect(vAt).toBeGreaterThanOrEqual(firstReveal);
    expect(vAt).toBeLessThanOrEqual(lastRevealBlock);
    expect(sAt).toBeGreaterThan(vAt); // retried until its later round's pulse arrived
    expect(sAt).toBeLessThanOrEqual(lastRevealBlock);
    const rows = await chain.getWeights(NETUID);
    expect(rows.get(vUid)).toEqual([
      [m1, 65535],
      [m2, 20000],
    ]);
    expect(rows.get(sUid)).toEqual([[m2, 65535]]);
    expect(rows.has(uids.get(wrong.ss58Address)!)).toBe(false);
    expect(rows.has(uids.get(garbage.ss58Address)!)).toBe(false);

    // Events, read through the client: one TimelockedWeightsRevealed per good commit, in the
    // block whose on_initialize revealed it; none for the forged ones.
    const revealed: [number, string][] = [];
    for (let b = firstReveal; b <= lastRevealBlock; b++) {
      const at = await chain.api.at(net.chain.blocks[b]!.hash);
      const records = (await at.query.system!.events!()) as unknown as {
        event: { method: string; data: { toString(): string }[] };
      }[];
      for (const e of records) {
        if (e.event.method === 'TimelockedWeightsRevealed') {
          revealed.push([b, e.event.data[1]!.toString()]);
        }
      }
    }
    expect(revealed).toEqual([
      [vAt, validator.ss58Address],
      [sAt, slow.ss58Address],
    ]);
    // What subtensor writes to its trace log, from localnet's observer: retries, then drops.
    const of = (k: Keypair) => outcomes.filter((o) => u8aToHex(o.who) === u8aToHex(k.publicKey));
    expect(of(slow).filter((o) => o.outcome === 'retry').length).toBeGreaterThan(
      of(validator).filter((o) => o.outcome === 'retry').length,
    );
    expect(of(wrong).at(-1)?.reason).toMatch(/HOTKEY_MISMATCH/);
    expect(of(garbage).at(-1)?.reason).toMatch(/MALFORMED_CIPHERTEXT|INVALID_POINT/);

    // The epoch at the end of the reveal epoch used the revealed weights: miners are paid.
    expect(isEpochBlock(lastRevealBlock)).toBe(true);
    const after = await chain.getMetagraph(NETUID);
    expect(after.incentive[m1]).toBeGreaterThan(0);
    expect(after.incentive[m2]).toBeGreaterThan(0);
    expect(after.incentive[m1]).toBeGreaterThan(after.incentive[m2]!);
  });
});

describe('timelocked weights on a wall-clock 250 ms localnet', () => {
  it('rounds follow real time: a commit made with blockTimeSeconds 0.25 is revealed in its reveal epoch', async () => {
    const outcomes: TimelockedRevealOutcome[] = [];
    const net = await createLocalnet(
      {
        blockTime: '250ms',
        genesis: {
          commitRevealWeightsVersion: 4,
          subnets: [
            {
              netuid: NETUID,
              params: {
                tempo: TEMPO,
                commitReveal: true,
                weightsSetRateLimit: 2,
                maxRegistrationsPerBlock: 10,
                targetRegistrationsPerInterval: 10,
              },
            },
          ],
        },
      },
      { onReveal: (o) => outcomes.push(o) },
    );
    const chain = await createSubtensorChain(
      { beacon: 'chain', blockTimeSeconds: 0.25, txTimeoutMs: 20_000 },
      { provider: net.provider() as never, logger: silentLogger() },
    );
    try {
      const v = Keypair.fromUri('//Alice//rt-validator');
      const m = Keypair.fromUri('//Bob//rt-miner');
      await chain.burnedRegister(alice, { netuid: NETUID, hotkey: v.ss58Address });
      const miner = await chain.burnedRegister(bob, { netuid: NETUID, hotkey: m.ss58Address });
      await chain.addStake(alice, { hotkey: v.ss58Address, netuid: NETUID, amount: 100n * TAO });
      const vUid = Number(await chain.getUid(NETUID, v.ss58Address));
      const end = Date.now() + 20_000;
      while (!(await chain.getMetagraph(NETUID)).validatorPermit[vUid] && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const r = await chain.submitWeights(v, {
        netuid: NETUID,
        uids: [Number(miner.uid)],
        weights: [65535],
      });
      expect(r.method).toBe('timelocked');
      const commitEpoch = epochOf(r.blockNumber) + (isEpochBlock(r.blockNumber) ? 1 : 0);
      while (!outcomes.some((o) => o.outcome !== 'retry') && Date.now() < end + 20_000) {
        await new Promise((res) => setTimeout(res, 100));
      }
      const done = outcomes.find((o) => o.outcome !== 'retry');
      expect(done?.outcome).toBe('revealed');
      expect(epochOf(done!.block)).toBe(commitEpoch + 1);
      expect((await chain.getWeights(NETUID)).get(vUid)).toEqual([[Number(miner.uid), 65535]]);
    } finally {
      await chain.close();
      await net.close();
    }
  }, 60_000);
});
