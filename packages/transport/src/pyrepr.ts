// Python `str()` / `repr()` for the value types a synapse hash field may hold. The body hash of
// the Python SDK is SHA3-256 over `str(value)` of each hash field, so a TypeScript peer has to
// render every value byte for byte the way CPython does.
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
function category(t: PyType): string {
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

// --- float -------------------------------------------------------------------------------

/** Python `repr(float)`: shortest round-trip digits, exponent form when exp < -4 or ≥ 16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // Python's fixed-notation range; JS also writes these in fixed notation (1e-7 ≤ |x| < 1e21)
    // with the same shortest round-trip digits, only without Python's trailing `.0`.
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  if (abs >= 1e-6 && abs < 1e-4) {
    // JS still writes these as `0.0000ddd` (shortest digits); Python as `d.ddde-0N`.
    const text = String(abs);
    let zeros = 2; // past "0."
    while (text.charCodeAt(zeros) === 48) zeros++;
    const digits = text.slice(zeros);
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${x < 0 ? '-' : ''}${digits[0]}${frac}e-0${zeros - 1}`;
  }
  const sign = x < 0 ? '-' : '';
  // toExponential() with no argument gives the shortest digits that round-trip, like repr.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const absExp = Math.abs(exp);
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${absExp < 10 ? `0${absExp}` : absExp}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
  const fracPart = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
  return `${sign}${intPart}.${fracPart}`;
}

// --- str -----------------------------------------------------------------------------------

// CPython's Py_UNICODE_ISPRINTABLE: everything except categories Cc, Cf, Cs, Co, Cn, Zl, Zp,
// Zs (the ASCII space is handled before this test).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Python `repr(str)`: quote choice, backslash escapes, non-printables as \x, \u, \U. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f) out += ch;
    else if (!NON_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

// --- values ----------------------------------------------------------------------------------

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function mismatch(value: unknown, t: PyType, where: string): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new TransportError(
    'UNREPRESENTABLE_VALUE',
    `${where}: expected a value of Python type ${t.kind}, got ${got}`,
  );
}

function pickMember(value: unknown, t: { members: readonly PyType[] }, where: string): PyType {
  const cat =
    value === null || value === undefined
      ? 'none'
      : Array.isArray(value)
        ? 'array'
        : typeof value === 'number'
          ? 'number'
          : typeof value === 'string'
            ? 'str'
            : typeof value === 'boolean'
              ? 'bool'
              : typeof value === 'object'
                ? 'object'
                : 'unsupported';
  const member = t.members.find((m) => category(m) === cat);
  if (!member) mismatch(value, { kind: 'union', members: t.members }, where);
  return member;
}

/** Python `repr(value)` for a value of type `t`. `undefined` renders as `None`. */
export function pyRepr(value: unknown, t: PyType, where = 'value'): string {
  switch (t.kind) {
    case 'none':
      if (value === null || value === undefined) return 'None';
      return mismatch(value, t, where);
    case 'str':
      if (typeof value !== 'string') return mismatch(value, t, where);
      return pyStrRepr(value);
    case 'bool':
      if (typeof value !== 'boolean') return mismatch(value, t, where);
      return value ? 'True' : 'False';
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return mismatch(value, t, where);
      if (!Number.isSafeInteger(value)) {
        throw new TransportError(
          'UNREPRESENTABLE_VALUE',
          `${where}: integer ${value} is beyond 2^53 and lost precision in JavaScript`,
        );
      }
      return Object.is(value, -0) ? '0' : String(value);
    case 'float':
      if (typeof value !== 'number') return mismatch(value, t, where);
      return pyFloatRepr(value);
    case 'list':
      if (!Array.isArray(value)) return mismatch(value, t, where);
      return `[${value.map((v, i) => pyRepr(v, t.item, `${where}[${i}]`)).join(', ')}]`;
    case 'tuple': {
      if (!Array.isArray(value)) return mismatch(value, t, where);
      const parts = value.map((v, i) => {
        const it = i < t.items.length ? t.items[i] : t.rest;
        if (!it) {
          throw new TransportError('UNREPRESENTABLE_VALUE', `${where}: tuple has too many items`);
        }
        return pyRepr(v, it, `${where}[${i}]`);
      });
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case 'dict': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return mismatch(value, t, where);
      }
      const keys = Object.keys(value);
      if (keys.length > 1 && keys.some((k) => ARRAY_INDEX.test(k))) {
        throw new TransportError(
          'AMBIGUOUS_DICT_ORDER',
          `${where}: dict keys that look like integers (${keys.filter((k) => ARRAY_INDEX.test(k)).join(', ')}) ` +
            'are reordered by JavaScript, so the Python insertion order (and the hash) cannot be reproduced',
        );
      }
      const record = value as Record<string, unknown>;
      return `{${keys.map((k) => `${pyStrRepr(k)}: ${pyRepr(record[k], t.value, `${where}.${k}`)}`).join(', ')}}`;
    }
    case 'model': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return mismatch(value, t, where);
      }
      const record = value as Record<string, unknown>;
      // pydantic's model_dump() lists every declared field, in declaration order.
      return `{${t.fields.map(([k, ft]) => `${pyStrRepr(k)}: ${pyRepr(record[k], ft, `${where}.${k}`)}`).join(', ')}}`;
    }
    case 'union':
      return pyRepr(value, pickMember(value, t, where), where);
  }
}

/** Python `str(value)`: like repr, except a top-level string is itself. */
export function pyStr(value: unknown, t: PyType, where = 'value'): string {
  if (typeof value === 'string') {
    if (t.kind === 'str' || (t.kind === 'union' && t.members.some((m) => m.kind === 'str'))) {
      return value;
    }
    return mismatch(value, t, where);
  }
  return pyRepr(value, t, where);
}
