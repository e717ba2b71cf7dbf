import type { LocalnetMetadata } from '../metadata/build.js';
import * as s from '../scale/scale.js';

interface EventDef {
  prefix: Uint8Array;
  fields: { name: string | null; type: string }[];
}

const camel = (x: string) => x.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * Encodes `{ Pallet: { Event: fields } }` to RuntimeEvent bytes: pallet index, event index, then
 * each field with its metadata type (fields as an array, or an object keyed by camelCase name).
 */
export function eventEncoder(
  meta: LocalnetMetadata,
): (event: Record<string, unknown>) => Uint8Array {
  const defs = new Map<string, EventDef>();
  const reg = meta.registry;
  for (const p of meta.metadata.asV15.pallets) {
    if (p.events.isNone) continue;
    for (const v of reg.lookup.getSiType(p.events.unwrap().type).def.asVariant.variants) {
      defs.set(`${p.name.toString()}.${v.name.toString()}`, {
        prefix: Uint8Array.of(p.index.toNumber(), v.index.toNumber()),
        fields: v.fields.map((f) => ({
          name: f.name.isSome ? camel(f.name.unwrap().toString()) : null,
          type: reg.createLookupType(f.type),
        })),
      });
    }
  }
  return (event) => {
    const [pallet, inner] = Object.entries(event)[0] as [string, Record<string, unknown>];
    const [name, value] = Object.entries(inner)[0] as [string, unknown];
    const def = defs.get(`${pallet}.${name}`);
    if (!def) throw new Error(`no event ${pallet}.${name} in the metadata`);
    const values = Array.isArray(value)
      ? value
      : def.fields.map((f) => (value as Record<string, unknown>)[f.name as string]);
    return s.concat(
      def.prefix,
      ...def.fields.map((f, k) => reg.createType(f.type, values[k]).toU8a()),
    );
  };
}

export function encodePhase(
  phase: { ApplyExtrinsic: number } | 'Initialization' | 'Finalization',
): Uint8Array {
  if (typeof phase === 'object') return s.concat(Uint8Array.of(0), s.u32(phase.ApplyExtrinsic));
  return Uint8Array.of(phase === 'Finalization' ? 1 : 2);
}
