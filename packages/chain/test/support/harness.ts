import type { ApiPromise } from '@polkadot/api';
import { type ChainLogger, SubtensorChain, type SubtensorChainOptions } from '@subnetkit/chain';
import type { FixtureNode } from './fixture-node.js';
import { InProcessProvider } from './providers.js';

export const quietLogger: ChainLogger = { info: () => {}, warn: () => {} };

export async function connectInProcess(
  node: FixtureNode,
  options: SubtensorChainOptions = {},
): Promise<SubtensorChain> {
  return SubtensorChain.connect(
    { connectTimeoutMs: 20_000, ...options },
    { provider: new InProcessProvider(node), logger: quietLogger },
  );
}

/** Hex of a storage value encoded with the metadata's own type for `pallet.item`. */
export function encodeStorageValue(
  api: ApiPromise,
  pallet: string,
  item: string,
  value: unknown,
): string {
  // biome-ignore lint/suspicious/noExplicitAny: decorated storage
  const entry = (api.query as any)[pallet][item];
  const typeName = entry.creator.meta.type.isPlain
    ? api.registry.lookup.getTypeDef(entry.creator.meta.type.asPlain).type
    : api.registry.lookup.getTypeDef(entry.creator.meta.type.asMap.value).type;
  return api.registry.createType(typeName, value).toHex();
}

/** Sets `pallet.item(...keys) = value` in the node's storage, encoded with the metadata. */
export function setStorage(
  node: FixtureNode,
  api: ApiPromise,
  pallet: string,
  item: string,
  keys: unknown[],
  value: unknown,
): void {
  // biome-ignore lint/suspicious/noExplicitAny: decorated storage
  const key: string = (api.query as any)[pallet][item].key(...keys);
  node.storage.set(key.toLowerCase(), encodeStorageValue(api, pallet, item, value));
}

/** Encodes `System.Events` for one extrinsic at `index`: its events then Success/Failed. */
export function encodeEvents(
  api: ApiPromise,
  index: number,
  outcome: {
    failedWith?: { pallet: string; error: string };
    events?: Array<Record<string, unknown>>;
  },
): string {
  const dispatchInfo = { weight: { refTime: 0, proofSize: 0 }, class: 'Normal', paysFee: 'Yes' };
  const records: unknown[] = (outcome.events ?? []).map((event) => ({
    phase: { ApplyExtrinsic: index },
    event,
    topics: [],
  }));
  if (outcome.failedWith) {
    const { pallet, error } = outcome.failedWith;
    const palletMeta = api.runtimeMetadata.asLatest.pallets.find(
      (p) => p.name.toString() === pallet,
    );
    if (!palletMeta || palletMeta.errors.isNone) throw new Error(`no errors for ${pallet}`);
    const errorType = api.registry.lookup.getSiType(palletMeta.errors.unwrap().type);
    const variant = errorType.def.asVariant.variants.find((v) => v.name.toString() === error);
    if (!variant) throw new Error(`no error ${pallet}.${error}`);
    const errorBytes = new Uint8Array(4);
    errorBytes[0] = variant.index.toNumber();
    records.push({
      phase: { ApplyExtrinsic: index },
      event: {
        System: {
          ExtrinsicFailed: {
            dispatchError: { Module: { index: palletMeta.index.toNumber(), error: errorBytes } },
            dispatchInfo,
          },
        },
      },
      topics: [],
    });
  } else {
    records.push({
      phase: { ApplyExtrinsic: index },
      event: { System: { ExtrinsicSuccess: { dispatchInfo } } },
      topics: [],
    });
  }
  // biome-ignore lint/suspicious/noExplicitAny: decorated storage
  const eventsType = (api.query as any).system.events.creator.meta.type.asPlain;
  return api.registry.createType(api.registry.lookup.getTypeDef(eventsType).type, records).toHex();
}
