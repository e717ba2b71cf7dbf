import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Keypair } from '@subnetkit/wallet';
import type { Localnet } from '../src/index.js';
import { signerFor } from './signer.js';

type Txs = [SubmittableExtrinsic<'promise'>, Keypair][];

/**
 * Signs each `[tx, signer]` with consecutive nonces, submits them all (a pool rejection
 * throws), seals one block, and returns the event names and each extrinsic's outcome: `null`
 * for success or the error as `section.Name`, decoded by name from the metadata.
 */
export async function runBlock(
  api: ApiPromise,
  net: Localnet,
  txs: Txs,
): Promise<{ events: string[]; errors: (string | null)[] }> {
  const nonces = new Map<string, number>();
  for (const [tx, pair] of txs) {
    const nonce = nonces.get(pair.ss58Address) ?? net.chain.nextIndex(pair.publicKey);
    nonces.set(pair.ss58Address, nonce + 1);
    await tx.signAsync(pair.ss58Address, { signer: signerFor(pair), nonce });
    await api.rpc.author.submitExtrinsic(tx);
  }
  const block = net.produceBlock();
  const records = (await (
    await api.at(block.hash)
  ).query.system!.events!()) as unknown as {
    phase: { isApplyExtrinsic: boolean; asApplyExtrinsic: { toNumber(): number } };
    event: { section: string; method: string; data: unknown[] };
  }[];
  const errors: (string | null)[] = txs.map(() => null);
  for (const r of records) {
    if (r.event.method !== 'ExtrinsicFailed' || !r.phase.isApplyExtrinsic) continue;
    // The block opens with the timestamp inherent and any drand write_pulse extrinsics.
    const index = r.phase.asApplyExtrinsic.toNumber() - (block.extrinsics.length - txs.length);
    if (index < 0) continue;
    const err = r.event.data[0] as { isModule: boolean; asModule: never; toString(): string };
    if (err.isModule) {
      const meta = api.registry.findMetaError(err.asModule);
      errors[index] = `${meta.section}.${meta.name}`;
    } else {
      errors[index] = err.toString();
    }
  }
  return { events: records.map((e) => `${e.event.section}.${e.event.method}`), errors };
}

/** runBlock that throws unless every extrinsic succeeded; returns the event names. */
export async function inOneBlock(api: ApiPromise, net: Localnet, txs: Txs): Promise<string[]> {
  const { events, errors } = await runBlock(api, net, txs);
  if (errors.some((e) => e !== null))
    throw new Error(`extrinsic failed: ${JSON.stringify(errors)}`);
  return events;
}
