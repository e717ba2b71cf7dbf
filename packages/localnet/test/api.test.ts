import { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalnet, type Localnet } from '../src/index.js';
import { signerFor } from './signer.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const bobHot = Keypair.fromUri('//Bob//hot');

/** Sends and waits for finalization, producing blocks by hand. */
async function send(
  net: Localnet,
  tx: SubmittableExtrinsic<'promise'>,
  who: Keypair,
): Promise<ISubmittableResult> {
  return new Promise((resolve, reject) => {
    tx.signAndSend(who.ss58Address, { signer: signerFor(who) }, (r) => {
      if (r.status.isReady) setImmediate(() => net.produceBlock());
      if (r.status.isFinalized) resolve(r);
    }).catch(reject);
  });
}

describe('ApiPromise over the in-process provider', () => {
  let net: Localnet;
  let api: ApiPromise;
  beforeAll(async () => {
    net = await createLocalnet({
      blockTime: 'manual',
      genesis: {
        subnets: [{ netuid: 1, params: { tempo: 5, commitReveal: false, weightsSetRateLimit: 3 } }],
      },
    });
    api = await ApiPromise.create({
      provider: net.provider() as never,
      noInitWarn: true,
      throwOnConnect: true,
    });
  });
  afterAll(async () => {
    await api.disconnect();
    await net.close();
  });

  it('comes up on V15 metadata with runtime APIs', async () => {
    expect(api.runtimeVersion.specName.toString()).toBe('node-subtensor');
    expect(api.runtimeMetadata.version).toBe(15);
    expect(typeof api.call.neuronInfoRuntimeApi?.getNeuronsLite).toBe('function');
    const neurons = await api.call.neuronInfoRuntimeApi!.getNeuronsLite!(1);
    expect((neurons as unknown as unknown[]).length).toBe(1);
  });

  it('registers, transfers, and fails set_weights by name when too fast', async () => {
    const reg = await send(
      net,
      api.tx.subtensorModule!.burnedRegister!(1, bobHot.ss58Address),
      bob,
    );
    const registered = reg.events.find((e) => e.event.method === 'NeuronRegistered');
    if (!registered)
      console.log(
        reg.events.map((e) => e.event.toHuman()),
        reg.dispatchError?.toHuman(),
      );
    expect(registered?.event.data[1]?.toString()).toBe('1');
    const uid = await api.query.subtensorModule!.uids!(1, bobHot.ss58Address);
    expect(uid.toJSON()).toBe(1);

    const before = (await api.query.system!.account!(bob.ss58Address)) as unknown as {
      data: { free: { toBigInt(): bigint } };
    };
    await send(net, api.tx.balances!.transferKeepAlive!(bob.ss58Address, 12345n), alice);
    const after = (await api.query.system!.account!(bob.ss58Address)) as unknown as {
      data: { free: { toBigInt(): bigint } };
    };
    expect(after.data.free.toBigInt() - before.data.free.toBigInt()).toBe(12345n);

    // Alice's hotkey (uid 0, the owner) may self-weight; the second one inside the limit fails.
    const ok = await send(net, api.tx.subtensorModule!.setWeights!(1, [0], [65535], 0), alice);
    expect(ok.dispatchError).toBeUndefined();
    const fast = await send(net, api.tx.subtensorModule!.setWeights!(1, [0], [65535], 0), alice);
    expect(fast.dispatchError?.isModule).toBe(true);
    const meta = api.registry.findMetaError(fast.dispatchError!.asModule);
    expect(`${meta.section}.${meta.name}`).toBe('subtensorModule.SettingWeightsTooFast');
  });

  it('rejects a replayed nonce and a bad signature in the pool like a node', async () => {
    const tx = api.tx.system!.remark!('0x01');
    await tx.signAsync(alice.ss58Address, { signer: signerFor(alice), nonce: 0 });
    await expect(api.rpc.author.submitExtrinsic(tx)).rejects.toThrow(
      /1010: Invalid Transaction: Transaction is outdated/,
    );
  });
});
