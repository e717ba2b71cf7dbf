// The Python type a zod schema stands for, as far as `str()` needs it: derived once, when a
// synapse is defined, so that types whose `str()` cannot be reproduced are refused up front.
import type { z } from 'zod';
import { TransportError } from './errors.js';

/** The Python type a zod schema stands for, as far as `str()` needs to know it. */
export type PyType =
  | { readonly kind: 'str' }
  | { readonly kind: 'int' }
  | { readonly kind: 'float' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'none' }
  | { readonly kind: 'list'; readonly item: PyType }
  | { readonly kind: 'tuple'; readonly items: readonly PyType[]; readonly rest: PyType | null }
  | { readonly kind: 'dict'; readonly value: PyType }
  | { readonly kind: 'model'; readonly fields: readonly (readonly [string, PyType])[] }
  | { readonly kind: 'union'; readonly members: readonly PyType[] };

const INT_FORMATS = new Set(['safeint', 'int32', 'uint32']);

interface ZodInternals {
  _zod: { def: Record<string, unknown> & { type: string } };
  format?: string | null;
  isInt?: boolean;
}

function internals(schema: z.ZodType): ZodInternals {
  return schema as unknown as ZodInternals;
}

function literalType(value: unknown, where: string): PyType {
  if (value === null) return { kind: 'none' };
  if (typeof value === 'string') return { kind: 'str' };
  if (typeof value === 'boolean') return { kind: 'bool' };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { kind: 'int' } : { kind: 'float' };
  throw new TransportError(
    'UNSUPPORTED_HASH_TYPE',
    `${where}: literal ${String(value)} has no Python str() equivalent we can reproduce`,
  );
}

/** The category a JavaScript runtime value falls in; a union may hold one member of each. */
export function category(t: PyType): string {
  switch (t.kind) {
    case 'int':
    case 'float':
      return 'number';
    case 'list':
    case 'tuple':
      return 'array';
    case 'dict':
    case 'model':
      return 'object';
    default:
      return t.kind;
  }
}

function makeUnion(members: PyType[], where: string): PyType {
  const flat: PyType[] = [];
  for (const m of members) {
    for (const inner of m.kind === 'union' ? m.members : [m]) {
      if (!flat.some((f) => sameType(f, inner))) flat.push(inner);
    }
  }
  if (flat.length === 1) return flat[0]!;
  const seen = new Map<string, PyType>();
  for (const m of flat) {
    const cat = category(m);
    const prior = seen.get(cat);
    if (prior) {
      throw new TransportError(
        'UNSUPPORTED_HASH_TYPE',
        `${where}: a union of ${prior.kind} and ${m.kind} is ambiguous once sent as JSON ` +
          '(Python would render the two differently); use one of them',
      );
    }
    seen.set(cat, m);
  }
  return { kind: 'union', members: flat };
}

function sameType(a: PyType, b: PyType): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'str' ||
    a.kind === 'int' ||
    a.kind === 'float' ||
    a.kind === 'bool' ||
    a.kind === 'none'
    ? true
    : JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Maps a zod schema to the Python type whose `str()` we reproduce. Throws
 * `UNSUPPORTED_HASH_TYPE` (naming `where`) for anything we cannot render exactly: `any`,
 * `unknown`, transforms, dates, bigints, maps, sets, lazy schemas, and unions whose members
 * JSON cannot tell apart (`int | float`, two object shapes, ...).
 */
export function pyTypeOf(schema: z.ZodType, where: string): PyType {
  const zi = internals(schema);
  const def = zi._zod.def;
  switch (def.type) {
    case 'string':
    case 'template_literal':
      return { kind: 'str' };
    case 'number': {
      const format = (def.format as string | undefined) ?? zi.format ?? undefined;
      return zi.isInt === true || (format !== undefined && INT_FORMATS.has(format))
        ? { kind: 'int' }
        : { kind: 'float' };
    }
    case 'nan':
      return { kind: 'float' };
    case 'boolean':
      return { kind: 'bool' };
    case 'null':
      return { kind: 'none' };
    case 'optional':
    case 'nullable':
      return makeUnion([pyTypeOf(def.innerType as z.ZodType, where), { kind: 'none' }], where);
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return pyTypeOf(def.innerType as z.ZodType, where);
    case 'array':
      return { kind: 'list', item: pyTypeOf(def.element as z.ZodType, `${where}[]`) };
    case 'tuple': {
      const items = (def.items as z.ZodType[]).map((s, i) => pyTypeOf(s, `${where}[${i}]`));
      const rest = def.rest ? pyTypeOf(def.rest as z.ZodType, `${where}[...]`) : null;
      return { kind: 'tuple', items, rest };
    }
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      return {
        kind: 'model',
        fields: Object.entries(shape).map(([k, s]) => [k, pyTypeOf(s, `${where}.${k}`)] as const),
      };
    }
    case 'record': {
      const key = pyTypeOf(def.keyType as z.ZodType, `${where}{key}`);
      if (key.kind !== 'str') {
        throw new TransportError(
          'UNSUPPORTED_HASH_TYPE',
          `${where}: only string-keyed records can be hashed (JSON object keys are strings)`,
        );
      }
      return { kind: 'dict', value: pyTypeOf(def.valueType as z.ZodType, `${where}{}`) };
    }
    case 'union':
      return makeUnion(
        (def.options as z.ZodType[]).map((s) => pyTypeOf(s, where)),
        where,
      );
    case 'literal':
      return makeUnion(
        (def.values as unknown[]).map((v) => literalType(v, where)),
        where,
      );
    case 'enum':
      return makeUnion(
        Object.values(def.entries as Record<string, unknown>).map((v) => literalType(v, where)),
        where,
      );
    default:
      throw new TransportError(
        'UNSUPPORTED_HASH_TYPE',
        `${where}: zod type "${def.type}" cannot be a hash field: its Python str() is not ` +
          'reproducible from JSON (use string, number, int, boolean, null, array, tuple, ' +
          'object, string-keyed record, literal, enum, or unions of distinct kinds)',
      );
  }
}
