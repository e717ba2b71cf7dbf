import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Keypair } from '@subnetkit/wallet';
import type { Localnet } from '../src/index.js';
import { signerFor } from './signer.js';

/**
 * Signs each `[tx, signer]` with consecutive nonces, submits them all, seals one block, and
 * returns the names of the events in it (throwing if any extrinsic failed).
 */
export async function inOneBlock(
  api: ApiPromise,
  net: Localnet,
  txs: [SubmittableExtrinsic<'promise'>, Keypair][],
): Promise<string[]> {
  const nonces = new Map<string, number>();
  for (const [tx, pair] of txs) {
    const nonce = nonces.get(pair.ss58Address) ?? net.chain.nextIndex(pair.publicKey);
    nonces.set(pair.ss58Address, nonce + 1);
    await tx.signAsync(pair.ss58Address, { signer: signerFor(pair), nonce });
    await api.rpc.author.submitExtrinsic(tx);
  }
  const block = net.produceBlock();
  const events = (await (
    await api.at(block.hash)
  ).query.system!.events!()) as unknown as {
    event: { section: string; method: string; data: { toHuman(): unknown } };
  }[];
  const failed = events.filter((e) => e.event.method === 'ExtrinsicFailed');
  if (failed.length > 0) {
    throw new Error(
      `extrinsic failed: ${JSON.stringify(failed.map((f) => f.event.data.toHuman()))}`,
    );
  }
  return events.map((e) => `${e.event.section}.${e.event.method}`);
}
