import { ApiPromise } from '@polkadot/api';
import { createSubtensorChain, isChainError, type SubtensorChain } from '@subnetkit/chain';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalnet, type Localnet, TAO } from '../src/index.js';
import { epochIndex } from '../src/pallets/subtensor/weights.js';
import { signerFor } from './signer.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const charlie = Keypair.fromUri('//Charlie');
const dave = Keypair.fromUri('//Dave');
const miner = Keypair.fromUri('//Bob//miner');
const validator = Keypair.fromUri('//Charlie//validator');

/** Alice (sudo) sends `Sudo.sudo(AdminUtils.<setter>(1, value))` with a plain ApiPromise. */
async function sudo(net: Localnet, setter: string, value: number, wait = true): Promise<void> {
  const api = await ApiPromise.create({ provider: net.provider() as never, noInitWarn: true });
  try {
    const tx = api.tx.sudo!.sudo!(api.tx.adminUtils![setter]!(1, value));
    await new Promise<void>((resolve, reject) => {
      tx.signAndSend(alice.ss58Address, { signer: signerFor(alice) }, (r) => {
        if (!wait && r.status.isReady) resolve();
        if (r.status.isInBlock) resolve();
      }).catch(reject);
    });
  } finally {
    await api.disconnect();
  }
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

describe('SubtensorChain against localnet (no side doors)', () => {
  let net: Localnet;
  let chain: SubtensorChain;
  let paused = false;
  let timer: NodeJS.Timeout;
  beforeAll(async () => {
    net = await createLocalnet({
      blockTime: 'manual',
      genesis: {
        subnets: [
          {
            netuid: 1,
            params: { tempo: 4, commitReveal: false, weightsSetRateLimit: 3, immunityPeriod: 100 },
          },
          { netuid: 2, params: { tempo: 5, commitReveal: true, revealPeriodEpochs: 1 } },
        ],
      },
    });
    // Blocks every 50 ms, paused while a test lines transactions up in the pool.
    timer = setInterval(() => {
      if (!paused) net.produceBlock();
    }, 50);
    chain = await createSubtensorChain(
      { txTimeoutMs: 20_000 },
      { provider: net.provider() as never },
    );
  });
  afterAll(async () => {
    clearInterval(timer);
    await chain?.close();
    await net?.close();
  });

  it('registers, serves, stakes and reads the metagraph', async () => {
    const r1 = await chain.burnedRegister(bob, { netuid: 1, hotkey: miner.ss58Address });
    expect(r1.uid).toBe(1);
    const r2 = await chain.burnedRegister(charlie, { netuid: 1, hotkey: validator.ss58Address });
    expect(r2.uid).toBe(2);
    expect(await chain.getUid(1, validator.ss58Address)).toBe(2);
    expect(await chain.isRegistered(1, dave.ss58Address)).toBe(false);

    await chain.serveAxon(miner, { netuid: 1, ip: '192.168.1.7', port: 8091, version: 1002003 });
    await expect(
      chain.serveAxon(miner, { netuid: 1, ip: '127.0.0.1', port: 8091 }),
    ).rejects.toSatisfy((e: unknown) => isChainError(e));
    await chain.addStake(charlie, {
      hotkey: validator.ss58Address,
      netuid: 1,
      amount: 1000n * TAO,
    });

    const mg = await chain.getMetagraph(1);
    expect(mg.hotkeys).toEqual([alice.ss58Address, miner.ss58Address, validator.ss58Address]);
    expect(mg.coldkeys[2]).toBe(charlie.ss58Address);
    const axon = mg.axons[1] as { ip: string; port: number; version: number };
    expect(axon.ip).toBe('192.168.1.7');
    expect(axon.port).toBe(8091);
    expect(axon.version).toBe(1002003);
    const hp = await chain.getHyperparameters(1);
    expect(hp.tempo).toBe(4);
    expect(hp.commitRevealWeightsEnabled).toBe(false);
  });

  it('sets weights once a permit exists; too soon is refused by the client, and by the runtime as SettingWeightsTooFast', async () => {
    await until('validator permit', async () => {
      const mg = await chain.getMetagraph(1);
      return mg.validatorPermit[2] ? true : undefined;
    });
    const first = await chain.setWeights(validator, { netuid: 1, uids: [1], weights: [65535] });
    expect(first.events.some((e) => e.method === 'WeightsSet')).toBe(true);
    // Too soon now: the client refuses from the chain's LastUpdate and rate limit.
    await expect(
      chain.setWeights(validator, { netuid: 1, uids: [1], weights: [65535] }),
    ).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    // The chain itself: the owner (sudo) drops the limit to 0, the client's precheck passes,
    // then a sudo call queued before it puts the limit back up in the same block, so the
    // runtime fails the extrinsic with the module error.
    await sudo(net, 'sudoSetWeightsSetRateLimit', 0);
    paused = true;
    await sudo(net, 'sudoSetWeightsSetRateLimit', 1000, false);
    const second = chain.setWeights(validator, { netuid: 1, uids: [1], weights: [65535] });
    await until('both in pool', async () => (net.chain.poolSize === 2 ? true : undefined));
    paused = false;
    const failure = (await second.then(
      () => {
        throw new Error('expected SettingWeightsTooFast');
      },
      (e: unknown) => e,
    )) as { code: string; details?: { name?: string } };
    expect(failure.code).toBe('MODULE_ERROR');
    expect(failure.details?.name).toBe('SettingWeightsTooFast');
    expect(isChainError(failure)).toBe(true);

    const status = await chain.getWeightsStatus(1, validator.ss58Address);
    expect(status.uid).toBe(2);
    const weights = await chain.getWeights(1);
    expect(weights.get(2)).toEqual([[1, 65535]]);

    // After the next epoch the miner earns incentive and the validator dividends.
    await until('incentive', async () => {
      const mg = await chain.getMetagraph(1);
      return (mg.incentive[1] ?? 0) > 0 && (mg.dividends[2] ?? 0) > 0 ? true : undefined;
    });
  });

  it('commits and reveals weights (commit-reveal v2) and transfers TAO', async () => {
    const commit = await chain.commitWeights(alice, { netuid: 2, uids: [0], weights: [65535] });
    expect(commit.commitHash).toMatch(/^0x[0-9a-f]{64}$/);
    const commitBlock = BigInt(commit.blockNumber);
    await until('reveal window', async () => {
      const head = BigInt(net.chain.head.number + 1);
      return epochIndex(5, 2, head) === epochIndex(5, 2, commitBlock) + 1n ? true : undefined;
    });
    const reveal = await chain.revealWeights(alice, {
      netuid: 2,
      uids: [0],
      weights: [65535],
      salt: commit.salt,
    });
    expect(reveal.events.some((e) => e.method === 'WeightsRevealed')).toBe(true);
    expect((await chain.getWeights(2)).get(0)).toEqual([[0, 65535]]);

    const before = await chain.getBalance(dave.ss58Address);
    await chain.transfer(bob, { dest: dave.ss58Address, amount: 5n * TAO });
    const after = await chain.getBalance(dave.ss58Address);
    expect(JSON.stringify(after, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toBe(
      JSON.stringify(before, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    );
  });
});
