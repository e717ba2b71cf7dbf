// The JSON body of a synapse, field for field what pydantic's `model_dump()` gives.
import { pyFloatRepr } from './pyrepr.js';
import { type AnySynapse, TERMINAL_FIELDS, type TerminalInfo } from './synapse.js';

function jsonTerminal(info: TerminalInfo | undefined): string {
  const i = info ?? {};
  const parts: string[] = [];
  for (const key of TERMINAL_FIELDS) {
    const v = i[key];
    let text: string;
    if (v === undefined || v === null) text = 'null';
    else if (key === 'nonce') text = (v as bigint).toString();
    else if (key === 'process_time') text = pyFloatRepr(v as number);
    else text = JSON.stringify(v);
    parts.push(`"${key}":${text}`);
  }
  return `{${parts.join(',')}}`;
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

/** The declared fields' part of a synapse body (`,"field":value...`), reusable across axons. */
export function encodeFieldsJson(def: AnySynapse, values: Record<string, unknown>): string {
  let out = '';
  const hashed = def.compiled.hashTypes;
  for (const field of def.compiled.fields) {
    const v = values[field];
    const text =
      v === undefined
        ? 'null'
        : hashed.some(([f]) => f === field)
          ? jsonKeepingNegativeZero(v)
          : JSON.stringify(v);
    out += `,${JSON.stringify(field)}:${text}`;
  }
  return out;
}

const NEG_ZERO = '\u0000-0';

/** JSON.stringify, except -0 is written `-0.0` (Python's str() tells -0.0 from 0.0). */
export function jsonKeepingNegativeZero(value: unknown): string {
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
