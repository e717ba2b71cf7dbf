import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { SubtensorChain, type SubtensorChainOptions } from '@subnetkit/chain';
import { type Logger, silentLogger } from '@subnetkit/core';
import type { FixtureNode } from './fixture-node.js';
import { InProcessProvider } from './providers.js';

export const quietLogger: Logger = silentLogger();

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
  // toU8a, not toHex: toHex of an integer codec is big-endian, not SCALE.
  return u8aToHex(api.registry.createType(typeName, value).toU8a());
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

/** SCALE bytes of one runtime event `pallet.name(args)`, indices found by name in the metadata. */
export function encodeEvent(
  api: ApiPromise,
  pallet: string,
  name: string,
  args: unknown[],
): Uint8Array {
  const palletMeta = api.runtimeMetadata.asLatest.pallets.find((p) => p.name.toString() === pallet);
  if (!palletMeta || palletMeta.events.isNone) throw new Error(`no events for ${pallet}`);
  const type = api.registry.lookup.getSiType(palletMeta.events.unwrap().type);
  const variant = type.def.asVariant.variants.find((v) => v.name.toString() === name);
  if (!variant) throw new Error(`no event ${pallet}.${name}`);
  if (variant.fields.length !== args.length)
    throw new Error(`${pallet}.${name} takes ${variant.fields.length} args`);
  const parts = variant.fields.map((field, i) =>
    api.registry.createType(api.registry.lookup.getTypeDef(field.type).type, args[i]).toU8a(),
  );
  return Uint8Array.from([
    palletMeta.index.toNumber(),
    variant.index.toNumber(),
    ...parts.flatMap((p) => [...p]),
  ]);
}

function compactLength(n: number): number[] {
  if (n < 64) return [n << 2];
  return [((n << 2) | 1) & 0xff, (n >> 6) & 0xff];
}

export interface EventSpec {
  pallet: string;
  name: string;
  args: unknown[];
}

/**
 * Encodes `System.Events` for one extrinsic at `index`: its events, then `ExtrinsicSuccess`
 * or `ExtrinsicFailed` with a module error chosen by name.
 */
export function encodeEvents(
  api: ApiPromise,
  index: number,
  outcome: { failedWith?: { pallet: string; error: string }; events?: EventSpec[] },
): string {
  const dispatchInfo = { weight: { refTime: 0, proofSize: 0 }, class: 'Normal', paysFee: 'Yes' };
  const events: Uint8Array[] = (outcome.events ?? []).map((e) =>
    encodeEvent(api, e.pallet, e.name, e.args),
  );
  if (outcome.failedWith) {
    const { pallet, error } = outcome.failedWith;
    const palletMeta = api.runtimeMetadata.asLatest.pallets.find(
      (p) => p.name.toString() === pallet,
    );
    if (!palletMeta || palletMeta.errors.isNone) throw new Error(`no errors for ${pallet}`);
    const errorType = api.registry.lookup.getSiType(palletMeta.errors.unwrap().type);
    const variant = errorType.def.asVariant.variants.find((v) => v.name.toString() === error);
    if (!variant) throw new Error(`no error ${pallet}.${error}`);
    const errorBytes = [variant.index.toNumber(), 0, 0, 0];
    events.push(
      encodeEvent(api, 'System', 'ExtrinsicFailed', [
        { Module: { index: palletMeta.index.toNumber(), error: errorBytes } },
        dispatchInfo,
      ]),
    );
  } else {
    events.push(encodeEvent(api, 'System', 'ExtrinsicSuccess', [dispatchInfo]));
  }
  const phase = [0x00, index & 0xff, (index >> 8) & 0xff, 0, 0]; // ApplyExtrinsic(u32)
  const bytes = [...compactLength(events.length)];
  for (const event of events) bytes.push(...phase, ...event, 0x00); // topics: empty Vec
  return u8aToHex(Uint8Array.from(bytes));
}
