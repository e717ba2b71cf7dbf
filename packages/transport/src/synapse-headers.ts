// Synapse headers: the SDK's `to_headers()` (`bt_header_*`, `input_obj` placeholders, sizes,
// body hash) and the parsing of `bt_header_<axon|dendrite>_*` back into TerminalInfo.
import { pyFloatRepr } from './pyrepr.js';
import { type AnySynapse, TERMINAL_FIELDS, type TerminalInfo } from './synapse.js';
import type { Envelope } from './synapse-json.js';

const HEADER_UNSAFE = /[^\x20-\x7e]/g;

/** Header values must be visible ASCII: anything else becomes `?`. */
export function headerSafe(value: string): string {
  return value.replace(HEADER_UNSAFE, '?');
}

function terminalHeaderValue(key: (typeof TERMINAL_FIELDS)[number], v: unknown): string {
  if (key === 'process_time') return pyFloatRepr(v as number);
  if (typeof v === 'bigint') return v.toString();
  return headerSafe(String(v));
}

/** `bt_header_<prefix>_<field>` headers for every set TerminalInfo field. */
export function terminalHeaders(
  prefix: 'axon' | 'dendrite',
  info: TerminalInfo | undefined,
  into: Record<string, string>,
): void {
  if (!info) return;
  for (const key of TERMINAL_FIELDS) {
    const v = info[key];
    if (v !== undefined && v !== null)
      into[`bt_header_${prefix}_${key}`] = terminalHeaderValue(key, v);
  }
}

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
    if (empty !== undefined)
      headers[`bt_header_input_obj_${field}`] = Buffer.from(empty).toString('base64');
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

function single(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? undefined : v;
}

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
  for (const key of TERMINAL_FIELDS) {
    const name = `bt_header_${prefix}_${key}`;
    const raw = headers[name];
    if (raw === undefined) continue;
    const text = single(headers, name);
    if (text === undefined) {
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
