import { ApiPromise } from '@polkadot/api';
import { type YumaInput, yumaEpoch } from '@subnetkit/scoring';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalnet, type Localnet, TAO } from '../src/index.js';
import { inOneBlock } from './helpers.js';

const NETUID = 1;
const TEMPO = 9;
const bob = Keypair.fromUri('//Bob');
const charlie = Keypair.fromUri('//Charlie');
const miners = [1, 2, 3, 4].map((i) => Keypair.fromUri(`//Bob//miner${i}`));
const validators = [1, 2, 3].map((i) => Keypair.fromUri(`//Charlie//validator${i}`));

type Vec<T> = { toJSON(): T };

describe('an epoch on localnet equals @subnetkit/scoring’s Yuma on the same inputs', () => {
  let net: Localnet;
  let api: ApiPromise;
  const epochBlocks: number[] = [];
  beforeAll(async () => {
    net = await createLocalnet(
      {
        blockTime: 'manual',
        genesis: {
          subnets: [
            {
              netuid: NETUID,
              params: {
                tempo: TEMPO,
                commitReveal: false,
                weightsSetRateLimit: 0,
                maxRegistrationsPerBlock: 16,
                targetRegistrationsPerInterval: 16,
              },
            },
          ],
        },
      },
      { onEpoch: (_n, input) => epochBlocks.push(input.currentBlock) },
    );
    api = await ApiPromise.create({ provider: net.provider() as never, noInitWarn: true });
  });
  afterAll(async () => {
    await api.disconnect();
    await net.close();
  });

  const untilEpochNext = () => {
    // subtensor's blocks_until_next_epoch: block b runs the epoch when (b + netuid + 1) % (tempo + 1) == tempo.
    while ((net.chain.head.number + 1 + NETUID + 1) % (TEMPO + 1) !== TEMPO) net.produceBlock();
  };

  it('matches incentive, dividends, consensus and emission exactly', async () => {
    const st = api.tx.subtensorModule!;
    await inOneBlock(api, net, [
      ...miners.map((m) => [st.burnedRegister!(NETUID, m.ss58Address), bob] as [never, Keypair]),
      ...validators.map(
        (v) => [st.burnedRegister!(NETUID, v.ss58Address), charlie] as [never, Keypair],
      ),
    ]);
    await inOneBlock(
      api,
      net,
      validators.map((v, k) => [
        st.addStake!(v.ss58Address, NETUID, BigInt(100 * (k + 1)) * TAO),
        charlie,
      ]),
    );
    untilEpochNext();
    net.produceBlock(); // first epoch: validator permits for the staked hotkeys
    const w = [
      [40000, 30000, 20000, 10000],
      [10000, 30000, 40000, 20000],
      [65535, 0, 0, 65535],
    ];
    const uidOf = (k: Keypair) => 1 + [...miners, ...validators].indexOf(k);
    await inOneBlock(
      api,
      net,
      validators.map((v, k) => [st.setWeights!(NETUID, miners.map(uidOf), w[k] as number[], 0), v]),
    );
    // Two epochs so bonds carry over from one epoch to the next.
    for (let round = 0; round < 2; round++) {
      untilEpochNext();
      const at = await api.at(net.chain.head.hash);
      const q = at.query.subtensorModule!;
      const n = Number((await q.subnetworkN!(NETUID)).toJSON());
      const hotkeys = await Promise.all(
        Array.from({ length: n }, async (_, uid) => (await q.keys!(NETUID, uid)).toString()),
      );
      const epochBlock = net.chain.head.number + 1;
      const input: YumaInput = {
        n,
        stake: await Promise.all(
          hotkeys.map(async (h) => BigInt(String((await q.totalHotkeyAlpha!(h, NETUID)).toJSON()))),
        ),
        weights: await Promise.all(
          Array.from(
            { length: n },
            async (_, uid) => (await q.weights!(NETUID, uid)).toJSON() as [number, number][],
          ),
        ),
        bonds: await Promise.all(
          Array.from(
            { length: n },
            async (_, uid) => (await q.bonds!(NETUID, uid)).toJSON() as [number, number][],
          ),
        ),
        lastUpdate: ((await q.lastUpdate!(NETUID)) as Vec<number[]>).toJSON(),
        blockAtRegistration: await Promise.all(
          Array.from({ length: n }, async (_, uid) =>
            Number((await q.blockAtRegistration!(NETUID, uid)).toJSON()),
          ),
        ),
        validatorPermit: ((await q.validatorPermit!(NETUID)) as Vec<boolean[]>).toJSON(),
        currentBlock: epochBlock,
        ownerUid: 0,
        emission:
          BigInt(String((await q.pendingServerEmission!(NETUID)).toJSON())) +
          BigInt(String((await q.pendingValidatorEmission!(NETUID)).toJSON())) +
          // this block's own emission accrues before the epoch runs (owner cut taken out)
          1_000_000_000n -
          (1_000_000_000n * 11_796n) / 65_535n,
        hyperparams: {
          tempo: TEMPO,
          kappa: 32767,
          bondsMovingAverage: 900_000,
          maxAllowedValidators: 128,
        },
      };
      const expected = yumaEpoch(input);
      const block = net.produceBlock();
      expect(epochBlocks.at(-1)).toBe(block.number);
      const after = (await api.at(block.hash)).query.subtensorModule!;
      const read = async (item: 'incentive' | 'dividends' | 'consensus' | 'validatorTrust') =>
        ((await after[item]!(NETUID)) as Vec<number[]>).toJSON();
      expect(await read('incentive')).toEqual([...expected.incentive.u16]);
      expect(await read('dividends')).toEqual([...expected.dividends.u16]);
      expect(await read('consensus')).toEqual([...expected.consensus.u16]);
      expect(await read('validatorTrust')).toEqual([...expected.validatorTrust.u16]);
      const emission = ((await after.emission!(NETUID)) as Vec<(number | string)[]>)
        .toJSON()
        .map((x) => BigInt(x));
      expect(emission).toEqual(expected.emission);
      // The miners who were weighted earn; validators earn dividends.
      expect(expected.incentive.u16.slice(1, 5).some((x) => x > 0)).toBe(true);
      expect(expected.dividends.u16.slice(5).every((x) => x > 0)).toBe(true);
    }
  });
});
