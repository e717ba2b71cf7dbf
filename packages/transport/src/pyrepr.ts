// Python `str()` / `repr()` for the value types a synapse hash field may hold. The body hash of
// the Python SDK is SHA3-256 over `str(value)` of each hash field, so a TypeScript peer has to
// render every value byte for byte the way CPython does.
import { TransportError } from './errors.js';
import { category, type PyType } from './pytype.js';

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

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * Every character `repr(str)` may not copy as it is: both quotes and the backslash (one of the
 * quotes is copied after all), and what CPython's Py_UNICODE_ISPRINTABLE calls non-printable:
 * categories Cc (ASCII controls and DEL among them), Cf, Cs, Co, Cn, Zl, Zp and Zs,
 * except the ASCII space (the lookahead). The text between two matches is copied in one slice,
 * so a long plain string (a base64 image) costs one regex scan and one copy.
 */
const NEEDS_CARE = /(?! )['"\\\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/gu;
/** The first character that is not printable ASCII other than a quote or backslash (fast scan). */
const NOT_PLAIN_ASCII = /[^\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]/;

/** Python `repr(str)`: quote choice, backslash escapes, non-printables as \x, \u, \U. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  // Slices joined once at the end: appending character by character would build a rope of one
  // node per character (hundreds of MB for a 20 MB string) and take seconds to flatten.
  const first = s.search(NOT_PLAIN_ASCII);
  if (first === -1) return `${quote}${s}${quote}`;
  const parts: string[] = [quote];
  const re = new RegExp(NEEDS_CARE);
  re.lastIndex = first;
  let last = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const ch = m[0];
    const at = m.index;
    if (at > last) parts.push(s.slice(last, at));
    last = at + ch.length;
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') parts.push(`\\${ch}`);
    else if (ch === "'" || ch === '"') parts.push(ch);
    else if (ch === '\t') parts.push('\\t');
    else if (ch === '\n') parts.push('\\n');
    else if (ch === '\r') parts.push('\\r');
    else if (cp <= 0xff) parts.push(`\\x${hex(cp, 2)}`);
    else if (cp <= 0xffff) parts.push(`\\u${hex(cp, 4)}`);
    else parts.push(`\\U${hex(cp, 8)}`);
  }
  if (last < s.length) parts.push(s.slice(last));
  parts.push(quote);
  return parts.join('');
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
