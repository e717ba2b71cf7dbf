import type { TypeRegistry } from '@polkadot/types';

/** Paths compared by name only (they are recursive or differ on purpose as subsets). */
const OPAQUE = new Set([
  'node_subtensor_runtime::RuntimeCall',
  'node_subtensor_runtime::RuntimeEvent',
]);

/**
 * A canonical description of how a type encodes (plus its path, which polkadot-js uses to find
 * types): two types with the same shape encode every value to the same bytes.
 */
export function shape(registry: TypeRegistry, id: number): string {
  const si = registry.lookup.getSiType(id);
  const path = si.path.map(String).join('::');
  if (OPAQUE.has(path)) return path;
  const def = si.def;
  if (def.isPrimitive) return def.asPrimitive.type.toLowerCase();
  if (def.isCompact) return `Compact<${shape(registry, def.asCompact.type.toNumber())}>`;
  if (def.isSequence) return `Vec<${shape(registry, def.asSequence.type.toNumber())}>`;
  if (def.isArray) return `[${shape(registry, def.asArray.type.toNumber())};${def.asArray.len}]`;
  if (def.isTuple) return `(${def.asTuple.map((x) => shape(registry, x.toNumber())).join(',')})`;
  if (def.isComposite) {
    const fields = def.asComposite.fields.map(
      (f) =>
        `${f.name.isSome ? f.name.unwrap().toString() : ''}:${shape(registry, f.type.toNumber())}`,
    );
    return `${path}{${fields.join(',')}}`;
  }
  if (def.isVariant) {
    const vs = [...def.asVariant.variants]
      .sort((a, b) => a.index.toNumber() - b.index.toNumber())
      .map(
        (v) =>
          `${v.index.toNumber()}:${v.name.toString()}(${v.fields
            .map(
              (f) =>
                `${f.name.isSome ? f.name.unwrap().toString() : ''}:${shape(registry, f.type.toNumber())}`,
            )
            .join(',')})`,
      );
    return `${path}<${vs.join('|')}>`;
  }
  return `?${def.type}`;
}
