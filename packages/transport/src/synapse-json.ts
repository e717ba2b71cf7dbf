// The JSON body of a synapse, field for field what pydantic's `model_dump()` gives.
import { pyFloatRepr } from './pyrepr.js';
import { type AnySynapse, TERMINAL_FIELDS, type TerminalInfo } from './synapse.js';

/** `"key":` of each TerminalInfo field, in TERMINAL_FIELDS order. */
const TERMINAL_KEYS = TERMINAL_FIELDS.map((key) => `"${key}":`);

function jsonTerminal(info: TerminalInfo | undefined): string {
  const i = info ?? {};
  let out = '{';
  for (let k = 0; k < TERMINAL_FIELDS.length; k++) {
    const key = TERMINAL_FIELDS[k]!;
    const v = i[key];
    let text: string;
    if (v === undefined || v === null) text = 'null';
    else if (key === 'nonce') text = (v as bigint).toString();
    else if (key === 'process_time') text = pyFloatRepr(v as number);
    else text = JSON.stringify(v);
    out += k === 0 ? TERMINAL_KEYS[k]! + text : `,${TERMINAL_KEYS[k]!}${text}`;
  }
  return `${out}}`;
}

export interface Envelope {
  timeout: number;
  dendrite?: TerminalInfo;
  axon?: TerminalInfo;
  totalSize?: number;
  headerSize?: number;
}

/**
 * The JSON body of a synapse, field for field what pydantic's `model_dump()` holds: the base
 * model (name, timeout, sizes, dendrite, axon, computed_body_hash) then every declared field
 * (`undefined` → `null`). Nonces are written as exact integers.
 */
export function encodeSynapseBody(
  def: AnySynapse,
  values: Record<string, unknown>,
  env: Envelope,
  fieldsJson: string = encodeFieldsJson(def, values),
): string {
  return (
    `{"name":${JSON.stringify(def.name)},"timeout":${pyFloatRepr(env.timeout)},` +
    `"total_size":${env.totalSize ?? 0},"header_size":${env.headerSize ?? 0},` +
    `"dendrite":${jsonTerminal(env.dendrite)},"axon":${jsonTerminal(env.axon)},"computed_body_hash":""` +
    `${fieldsJson}}`
  );
}

/** Per synapse: each declared field's `,"field":` and whether it is hashed (kept `-0.0`). */
const FIELD_PLANS = new WeakMap<AnySynapse, readonly (readonly [string, string, boolean])[]>();

function fieldPlan(def: AnySynapse): readonly (readonly [string, string, boolean])[] {
  let plan = FIELD_PLANS.get(def);
  if (!plan) {
    const hashed = new Set(def.compiled.hashTypes.map(([f]) => f));
    plan = def.compiled.fields.map((f) => [f, `,${JSON.stringify(f)}:`, hashed.has(f)] as const);
    FIELD_PLANS.set(def, plan);
  }
  return plan;
}

/** The declared fields' part of a synapse body (`,"field":value...`), reusable across axons. */
export function encodeFieldsJson(def: AnySynapse, values: Record<string, unknown>): string {
  let out = '';
  for (const [field, prefix, hashed] of fieldPlan(def)) {
    const v = values[field];
    out +=
      prefix + (v === undefined ? 'null' : hashed ? jsonKeepingNegativeZero(v) : JSON.stringify(v));
  }
  return out;
}

const NEG_ZERO = '\u0000-0';

/** JSON.stringify, except -0 is written `-0.0` (Python's str() tells -0.0 from 0.0). */
export function jsonKeepingNegativeZero(value: unknown): string {
  // Scalars need no replacer (a replacer call per value is most of the cost of a small body).
  if (typeof value === 'number') return Object.is(value, -0) ? '-0.0' : JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let seen = false;
  const text = JSON.stringify(value, (_k, v) => {
    if (Object.is(v, -0)) {
      seen = true;
      return NEG_ZERO;
    }
    return v;
  });
  return seen ? text.replaceAll('"\\u0000-0"', '-0.0') : text;
}
