import type { LocalnetMetadata } from '../metadata/build.js';
import type { SubtensorError } from '../metadata/subtensor-errors.js';

/** A `sp_runtime::DispatchError` in the JSON form @polkadot/types encodes. */
export type DispatchErrorJson =
  | 'Other'
  | 'CannotLookup'
  | 'BadOrigin'
  | 'ConsumerRemaining'
  | 'NoProviders'
  | { Module: { index: number; error: Uint8Array } }
  | { Token: string }
  | { Arithmetic: string };

/** Thrown by a call handler: the extrinsic fails with this error, its state changes roll back. */
export class DispatchFailure extends Error {
  constructor(
    readonly error: DispatchErrorJson,
    readonly label: string,
  ) {
    super(label);
  }
}

export type ModuleErrorFn = (pallet: string, name: string) => DispatchFailure;

/** Looks module errors up by name in localnet's own metadata (so indices follow it). */
export function moduleErrors(meta: LocalnetMetadata): ModuleErrorFn {
  const table = new Map<string, { index: number; error: number }>();
  for (const p of meta.metadata.asV15.pallets) {
    if (p.errors.isNone) continue;
    const variants = meta.registry.lookup.getSiType(p.errors.unwrap().type).def.asVariant.variants;
    for (const v of variants) {
      table.set(`${p.name.toString()}.${v.name.toString()}`, {
        index: p.index.toNumber(),
        error: v.index.toNumber(),
      });
    }
  }
  return (pallet, name) => {
    const e = table.get(`${pallet}.${name}`);
    if (!e) throw new Error(`no error ${pallet}.${name} in the metadata`);
    return new DispatchFailure(
      { Module: { index: e.index, error: Uint8Array.of(e.error, 0, 0, 0) } },
      `${pallet}.${name}`,
    );
  };
}

export type SubtensorErrorFn = (name: SubtensorError) => DispatchFailure;
