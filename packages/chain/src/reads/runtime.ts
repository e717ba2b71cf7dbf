import type { ApiPromise } from '@polkadot/api';
import type { ApiDecoration } from '@polkadot/api/types';
import type { AnyCodec } from '../decode.js';
import { ChainError } from '../errors.js';

export function runtimeCall(
  at: ApiDecoration<'promise'>,
  api: string,
  method: string,
): ((...args: unknown[]) => Promise<AnyCodec>) | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: api.call is decorated from metadata
  const section = (at.call as any)[api];
  return section?.[method];
}

export function storage(at: ApiDecoration<'promise'>, name: string): AnyCodec | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: api.query is decorated from metadata
  return (at.query as any).subtensorModule?.[name];
}

export function requireStorage(at: ApiDecoration<'promise'>, name: string): AnyCodec {
  const item = storage(at, name);
  if (!item) {
    throw new ChainError(
      'UNSUPPORTED_RUNTIME',
      `the runtime has no SubtensorModule.${name} storage`,
    );
  }
  return item;
}

/** Number of fields of `SelectiveMetagraph`, from the metadata (74 in spec 343). */
export function selectiveFieldCount(api: ApiPromise): number | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: runtime API metadata (V15)
  const apis: any[] = (api.runtimeMetadata as any).asLatest?.apis ?? [];
  const subnetApi = apis.find((a) => a.name.toString() === 'SubnetInfoRuntimeApi');
  const method = subnetApi?.methods.find(
    (m: AnyCodec) =>
      m.name.toString() === 'get_selective_mechagraph' ||
      m.name.toString() === 'get_selective_metagraph',
  );
  if (!method) return undefined;
  const lookup = api.registry.lookup;
  const option = lookup.getSiType(method.output);
  if (!option.def.isVariant) return undefined;
  const some = option.def.asVariant.variants.find((v) => v.name.toString() === 'Some');
  const inner = some?.fields[0]?.type;
  if (inner === undefined) return undefined;
  const struct = lookup.getSiType(inner);
  return struct.def.isComposite ? struct.def.asComposite.fields.length : undefined;
}
