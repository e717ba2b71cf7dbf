// Synapse headers: the SDK's `to_headers()` (`bt_header_*`, `input_obj` placeholders, sizes,
// body hash) and the parsing of `bt_header_<axon|dendrite>_*` back into TerminalInfo.
import { pyFloatRepr } from './pyrepr.js';
import { type AnySynapse, TERMINAL_FIELDS, type TerminalInfo } from './synapse.js';
import type { Envelope } from './synapse-json.js';

const HEADER_UNSAFE = /[^\x20-\x7e]/g;
const HEADER_UNSAFE_ANY = /[^\x20-\x7e]/;

/** Header values must be visible ASCII: anything else becomes `?`. */
export function headerSafe(value: string): string {
  return HEADER_UNSAFE_ANY.test(value) ? value.replace(HEADER_UNSAFE, '?') : value;
}

function terminalHeaderValue(key: (typeof TERMINAL_FIELDS)[number], v: unknown): string {
  if (key === 'process_time') return pyFloatRepr(v as number);
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  return headerSafe(String(v));
}

/** `bt_header_<prefix>_<field>` for each TerminalInfo field, in TERMINAL_FIELDS order. */
const HEADER_NAMES = {
  axon: TERMINAL_FIELDS.map((key) => `bt_header_axon_${key}`),
  dendrite: TERMINAL_FIELDS.map((key) => `bt_header_dendrite_${key}`),
} as const;

/** `bt_header_<prefix>_<field>` headers for every set TerminalInfo field. */
export function terminalHeaders(
  prefix: 'axon' | 'dendrite',
  info: TerminalInfo | undefined,
  into: Record<string, string>,
): void {
  if (!info) return;
  const names = HEADER_NAMES[prefix];
  for (let i = 0; i < TERMINAL_FIELDS.length; i++) {
    const key = TERMINAL_FIELDS[i]!;
    const v = info[key];
    if (v !== undefined && v !== null) into[names[i]!] = terminalHeaderValue(key, v);
  }
}

/** base64 of each placeholder below. */
const EMPTY_BASE64: Record<string, string> = Object.fromEntries(
  ['""', 'false', '0', '0.0', '[]', '{}'].map((json) => [
    json,
    Buffer.from(json).toString('base64'),
  ]),
);

/** The placeholder the SDK puts in `bt_header_input_obj_<field>`: JSON of an empty value. */
function emptyJsonOf(def: AnySynapse, field: string, value: unknown): string | undefined {
  if (typeof value === 'string') return '""';
  if (typeof value === 'boolean') return 'false';
  if (typeof value === 'number') {
    const kind = def.compiled.numberKind.get(field) ?? (Number.isInteger(value) ? 'int' : 'float');
    return kind === 'int' ? '0' : '0.0';
  }
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return undefined;
}

/**
 * The SDK's `to_headers()`: name, timeout, `bt_header_axon_*`, `bt_header_dendrite_*`,
 * `bt_header_input_obj_*` for required fields (a Python axon builds the synapse from headers
 * first and fails without them), header_size, total_size and computed_body_hash.
 */
export function encodeSynapseHeaders(
  def: AnySynapse,
  values: Record<string, unknown>,
  env: Envelope & { bodyHash: string },
): Record<string, string> {
  const headers: Record<string, string> = { name: def.name, timeout: pyFloatRepr(env.timeout) };
  terminalHeaders('axon', env.axon, headers);
  terminalHeaders('dendrite', env.dendrite, headers);
  for (const field of def.compiled.requiredInputs) {
    const v = values[field];
    if (v === undefined || v === null) continue;
    const empty = emptyJsonOf(def, field, v);
    if (empty !== undefined) headers[`bt_header_input_obj_${field}`] = EMPTY_BASE64[empty]!;
  }
  headers.header_size = String(env.headerSize ?? 0);
  headers.total_size = String(env.totalSize ?? 0);
  headers.computed_body_hash = env.bodyHash;
  return headers;
}

export type HeaderBag = Record<string, string | string[] | undefined>;

const INT_RE = /^-?\d{1,15}$/;
const NONCE_RE = /^\d{1,30}$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|nan)$/i;

/** Parses a Python `str(float)` header value (also plain ints); `undefined` if malformed. */
export function parseFloatHeader(text: string | undefined): number | undefined {
  if (text === undefined || !FLOAT_RE.test(text.trim())) return undefined;
  const t = text.trim().toLowerCase();
  if (t.endsWith('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  if (t.endsWith('nan')) return Number.NaN;
  return Number(t);
}

/**
 * TerminalInfo from `bt_header_<prefix>_*` headers (names are lower case, as node gives them).
 * Malformed values are listed in `errors` and left out.
 */
export function parseTerminalHeaders(
  headers: HeaderBag,
  prefix: 'axon' | 'dendrite',
): { info: TerminalInfo; errors: string[] } {
  const info: TerminalInfo = {};
  const errors: string[] = [];
  const names = HEADER_NAMES[prefix];
  for (let i = 0; i < TERMINAL_FIELDS.length; i++) {
    const key = TERMINAL_FIELDS[i]!;
    const name = names[i]!;
    const text = headers[name];
    if (text === undefined) continue;
    if (typeof text !== 'string') {
      errors.push(`${name} appears more than once`);
      continue;
    }
    switch (key) {
      case 'status_code':
      case 'port':
      case 'version':
        if (INT_RE.test(text)) info[key] = Number(text);
        else errors.push(`${name} is not an integer`);
        break;
      case 'nonce':
        if (NONCE_RE.test(text)) info.nonce = BigInt(text);
        else errors.push(`${name} is not a non-negative integer`);
        break;
      case 'process_time': {
        const v = parseFloatHeader(text);
        if (v !== undefined && Number.isFinite(v)) info.process_time = v;
        else errors.push(`${name} is not a number`);
        break;
      }
      default:
        info[key] = text;
    }
  }
  return { info, errors };
}
