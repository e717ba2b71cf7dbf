import type { ApiPromise } from '@polkadot/api';
import { delay } from './calls.js';
import type { AnyCodec } from './decode.js';
import { ChainError } from './errors.js';
import { decodeDispatchError } from './tx-errors.js';
import type { TxEvent, TxResult } from './types.js';

/** What the inclusion lookups need from the chain instance. */
export interface InclusionContext {
  api: ApiPromise;
  /** Whether the provider is connected now. */
  isConnected: () => boolean;
  /** How many blocks back to look for a submitted extrinsic. */
  searchDepth: number;
}

/** Reads the outcome of `txHash` in `blockHash` from that block's events. */
export async function completion(
  ctx: InclusionContext,
  txHash: string,
  blockHash: string,
): Promise<TxResult> {
  const found = await findIncluded(ctx, txHash, -1, blockHash);
  if (!found) {
    throw new ChainError(
      'TX_OUTCOME_UNKNOWN',
      `the node reported extrinsic ${txHash} in block ${blockHash}, but the block does not contain it`,
      { details: { txHash, blockHash } },
    );
  }
  return found;
}

/** Looks for `txHash` in blocks after `fromBlock`; decodes its outcome from the events. */
export async function findIncluded(
  ctx: InclusionContext,
  txHash: string,
  fromBlock: number,
  onlyBlock?: string,
): Promise<TxResult | undefined> {
  // Walk by the hashes the node gives (head, then parent hashes).
  let blockHash = onlyBlock ?? (await ctx.api.rpc.chain.getBlockHash()).toHex();
  const depthLimit = onlyBlock ? 1 : ctx.searchDepth;
  for (let depth = 0; depth < depthLimit; depth++) {
    const block = await ctx.api.rpc.chain.getBlock(blockHash);
    const header = block.block.header;
    const number = header.number.toNumber();
    if (number <= fromBlock) return undefined;
    const index = block.block.extrinsics.findIndex((ext) => ext.hash.toHex() === txHash);
    if (index >= 0) return outcomeAt(ctx, txHash, blockHash, number, index);
    blockHash = header.parentHash.toHex();
  }
  return undefined;
}

/** The outcome of the extrinsic at `index` of a block, from that block's events. */
export async function outcomeAt(
  ctx: InclusionContext,
  txHash: string,
  blockHash: string,
  number: number,
  index: number,
): Promise<TxResult> {
  // biome-ignore lint/suspicious/noExplicitAny: System.Events is decorated from metadata
  let records: any[];
  try {
    const at = await ctx.api.at(blockHash);
    // biome-ignore lint/suspicious/noExplicitAny: System.Events is decorated from metadata
    records = [...(await (at.query as any).system.events())];
  } catch (error) {
    if (!ctx.isConnected()) throw error;
    throw new ChainError(
      'TX_OUTCOME_UNKNOWN',
      `extrinsic ${txHash} is in block ${blockHash} but its events could not be decoded: ${(error as Error).message}`,
      { details: { txHash, blockHash }, cause: error },
    );
  }
  const mine = records.filter(
    (r) => r.phase.isApplyExtrinsic && r.phase.asApplyExtrinsic.toNumber() === index,
  );
  const settled = mine.some(
    (r) =>
      r.event.section === 'system' &&
      (r.event.method === 'ExtrinsicSuccess' || r.event.method === 'ExtrinsicFailed'),
  );
  if (!settled) {
    throw new ChainError(
      'TX_OUTCOME_UNKNOWN',
      `extrinsic ${txHash} is in block ${blockHash} but its events could not be read`,
      { details: { txHash, blockHash } },
    );
  }
  const failed = mine.find(
    (r) => r.event.section === 'system' && r.event.method === 'ExtrinsicFailed',
  );
  if (failed) {
    throw decodeDispatchError(ctx.api.registry, failed.event.data[0], { txHash, blockHash });
  }
  const events: TxEvent[] = mine.map((r) => ({
    section: r.event.section,
    method: r.event.method,
    data: r.event.data.map((d: AnyCodec) => d.toPrimitive()),
  }));
  return { txHash, blockHash, blockNumber: number, events };
}

export async function pollIncluded(
  ctx: InclusionContext,
  txHash: string,
  fromBlock: number,
  deadline: number,
  keepWaiting: boolean,
): Promise<TxResult | undefined> {
  for (;;) {
    const found = await findIncluded(ctx, txHash, fromBlock);
    if (found || !keepWaiting || Date.now() >= deadline) return found;
    await delay(Math.min(1_000, Math.max(0, deadline - Date.now())));
  }
}
