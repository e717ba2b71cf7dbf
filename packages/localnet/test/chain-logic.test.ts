import { ApiPromise } from '@polkadot/api';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitHash, createLocalnet, type Localnet, TAO } from '../src/index.js';
import { runBlock } from './helpers.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const dave = Keypair.fromUri('//Dave');
const hk = (name: string) => Keypair.fromUri(`//Bob//${name}`);

describe('subtensor rules on localnet', () => {
  let net: Localnet;
  let api: ApiPromise;
  beforeAll(async () => {
    net = await createLocalnet({
      blockTime: 'manual',
      genesis: {
        subnets: [
          {
            netuid: 1,
            params: {
              tempo: 100,
              maxAllowedUids: 3,
              immunityPeriod: 3,
              maxRegistrationsPerBlock: 10,
              targetRegistrationsPerInterval: 10,
              commitReveal: false,
              weightsSetRateLimit: 0,
              minAllowedWeights: 2,
              weightsVersionKey: 7,
            },
          },
          {
            netuid: 2,
            started: false,
            params: { tempo: 4, commitReveal: true, weightsSetRateLimit: 0 },
          },
          { netuid: 3, params: { maxRegistrationsPerBlock: 1 } },
        ],
      },
    });
    api = await ApiPromise.create({ provider: net.provider() as never, noInitWarn: true });
  });
  afterAll(async () => {
    await api.disconnect();
    await net.close();
  });
  const st = () => api.tx.subtensorModule!;

  it('registration burns the cost, rejects duplicates, limits per block, and prunes when full', async () => {
    const burn = BigInt(String((await api.query.subtensorModule!.burn!(1)).toJSON()));
    const before = net.chain.items.system.account.get(
      net.chain.head.state as never,
      bob.publicKey,
    ).free;
    const r = await runBlock(api, net, [
      [st().burnedRegister!(1, hk('a').ss58Address), bob],
      [st().burnedRegister!(1, hk('a').ss58Address), bob],
      [st().burnedRegister!(3, hk('x').ss58Address), bob],
      [st().burnedRegister!(3, hk('y').ss58Address), bob],
      [st().burnedRegister!(9, hk('z').ss58Address), bob],
      [st().burnedRegister!(1, hk('b').ss58Address), dave],
    ]);
    expect(r.errors).toEqual([
      null,
      'subtensorModule.HotKeyAlreadyRegisteredInSubNet',
      null,
      'subtensorModule.TooManyRegistrationsThisBlock',
      'subtensorModule.SubnetNotExists',
      null,
    ]);
    const after = net.chain.items.system.account.get(
      net.chain.head.state as never,
      bob.publicKey,
    ).free;
    expect(before - after).toBe(2n * burn);
    // Subnet 1 is now full (owner, a, b). While everyone is immune the oldest immune non-owner
    // goes; once immunity passes, the lowest pruning score (then the oldest) goes.
    net.produceBlock();
    net.produceBlock();
    net.produceBlock();
    const c = await runBlock(api, net, [[st().burnedRegister!(1, hk('c').ss58Address), bob]]);
    expect(c.errors).toEqual([null]);
    const uid = async (k: Keypair) =>
      (await api.query.subtensorModule!.uids!(1, k.ss58Address)).toJSON();
    expect(await uid(hk('a'))).toBeNull();
    expect(await uid(hk('c'))).toBe(1);
    expect(await uid(hk('b'))).toBe(2);
    expect(Number((await api.query.subtensorModule!.subnetworkN!(1)).toJSON())).toBe(3);
  });

  it('set_weights checks version key, validator permit, lengths and commit-reveal, by name', async () => {
    // The owner hotkey (uid 0) has a permit from being the owner only after an epoch; self weight works.
    const r = await runBlock(api, net, [
      [st().setWeights!(1, [0], [65535], 6), alice],
      [st().setWeights!(1, [0], [65535], 7), alice],
      [st().setWeights!(1, [0, 2], [1, 1], 7), hk('c')],
      [st().setWeights!(1, [1], [1], 7), hk('b')],
      [st().setWeights!(1, [1, 1], [1, 1], 7), alice],
      [st().setWeights!(1, [0, 1], [1], 7), alice],
      [st().setWeights!(2, [0], [1], 0), alice],
    ]);
    expect(r.errors).toEqual([
      'subtensorModule.IncorrectWeightVersionKey',
      null,
      'subtensorModule.NeuronNoValidatorPermit',
      'subtensorModule.NeuronNoValidatorPermit',
      'subtensorModule.NeuronNoValidatorPermit',
      'subtensorModule.WeightVecNotEqualSize',
      'subtensorModule.CommitRevealEnabled',
    ]);
  });

  it('staking needs a started subnet and enough balance; serving checks ip and port', async () => {
    const r = await runBlock(api, net, [
      [st().addStake!(hk('c').ss58Address, 2, TAO), bob],
      [st().addStake!(hk('c').ss58Address, 1, 1000n), bob],
      [st().addStake!(hk('c').ss58Address, 1, 10n ** 18n), bob],
      [st().addStake!(hk('c').ss58Address, 1, 3n * TAO), bob],
      [st().removeStake!(hk('c').ss58Address, 1, TAO), bob],
      [st().removeStake!(hk('c').ss58Address, 1, 100n * TAO), bob],
    ]);
    expect(r.errors).toEqual([
      'subtensorModule.SubtokenDisabled',
      'subtensorModule.AmountTooLow',
      'subtensorModule.NotEnoughBalanceToStake',
      null,
      null,
      'subtensorModule.NotEnoughStakeToWithdraw',
    ]);
    expect(
      BigInt(
        String(
          (await api.query.subtensorModule!.totalHotkeyAlpha!(hk('c').ss58Address, 1)).toJSON(),
        ),
      ),
    ).toBe(2n * TAO);
    // Pool-level rejections (Custom error N), as subtensor's transaction extension gives them.
    const reject = async (tx: ReturnType<typeof st>['serveAxon'], who: Keypair) => {
      const signed = await (
        tx as never as { signAsync: (a: string, o: unknown) => Promise<unknown> }
      ).signAsync(who.ss58Address, { signer: (await import('./signer.js')).signerFor(who) });
      return api.rpc.author.submitExtrinsic(signed as never).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    };
    expect(
      await reject(st().serveAxon!(1, 1, 0x7f000001n, 8091, 4, 4, 0, 0) as never, hk('c')),
    ).toMatch(/1010: Invalid Transaction: Custom error: 11/);
    expect(
      await reject(st().serveAxon!(1, 1, 0x0a000001n, 0, 4, 4, 0, 0) as never, hk('c')),
    ).toMatch(/Custom error: 13/);
    expect(await reject(st().serveAxon!(1, 1, 0x0a000001n, 1, 4, 4, 0, 0) as never, dave)).toMatch(
      /Custom error: 10/,
    );
  });

  it('commit-reveal v2: too early, wrong hash, in-window reveal, then expired', async () => {
    // netuid 2: tempo 4, reveal period 1 epoch. Epoch index = (block + 3) / 5.
    const salt = [9, 8, 7];
    const hash = commitHash(alice.publicKey, 2, [0], [65535], salt, 0n);
    const hex = `0x${Buffer.from(hash).toString('hex')}`;
    const c = await runBlock(api, net, [[st().commitWeights!(2, hex), alice]]);
    expect(c.errors).toEqual([null]);
    const commitBlock = net.chain.head.number;
    const epoch = (b: number) => Math.floor((b + 3) / 5);
    const early = await runBlock(api, net, [
      [st().revealWeights!(2, [0], [65535], salt, 0), alice],
    ]).catch((e: Error) => e.message);
    // Rejected in the pool: CommitBlockNotInRevealRange (Custom error 17) before the window opens.
    expect(String(early)).toMatch(/Custom error: 17/);
    while (epoch(net.chain.head.number + 1) !== epoch(commitBlock) + 1) net.produceBlock();
    const wrong = await runBlock(api, net, [
      [st().revealWeights!(2, [0], [65534], salt, 0), alice],
    ]).catch((e: Error) => e.message);
    expect(String(wrong)).toMatch(/Custom error: 16/);
    const ok = await runBlock(api, net, [[st().revealWeights!(2, [0], [65535], salt, 0), alice]]);
    expect(ok.errors).toEqual([null]);
    expect(ok.events).toContain('subtensorModule.WeightsRevealed');
    expect((await api.query.subtensorModule!.weights!(2, 0)).toJSON()).toEqual([[0, 65535]]);
    // A second commit left past its window expires.
    const hash2 = commitHash(alice.publicKey, 2, [0], [1], salt, 0n);
    const c2 = await runBlock(api, net, [
      [st().commitWeights!(2, `0x${Buffer.from(hash2).toString('hex')}`), alice],
    ]);
    expect(c2.errors).toEqual([null]);
    const commit2 = net.chain.head.number;
    while (epoch(net.chain.head.number + 1) <= epoch(commit2) + 1) net.produceBlock();
    const late = await runBlock(api, net, [
      [st().revealWeights!(2, [0], [1], salt, 0), alice],
    ]).catch((e: Error) => e.message);
    expect(String(late)).toMatch(/Custom error: 17/);
  });
});
