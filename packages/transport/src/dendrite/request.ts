// Building requests: the input is checked and hashed once per query, then each axon gets its
// own signed envelope (nonce, lane uuid, signature) around the shared fields JSON.
import type { Keypair } from '@subnetkit/wallet';
import type { AxonTarget, WireName } from '../axon/types.js';
import { TransportError } from '../errors.js';
import { requestMessage } from '../signing.js';
import {
  type AnySynapse,
  computeBodyHash,
  DEFAULT_TIMEOUT_S,
  type InputInitOf,
  type InputOf,
  requestValues,
  type TerminalInfo,
} from '../synapse.js';
import { encodeSynapseHeaders } from '../synapse-headers.js';
import { encodeFieldsJson, encodeSynapseBody } from '../synapse-json.js';
import { signBtauth } from '../wires/btauth.js';
import { signEpistula } from '../wires/epistula.js';
import { signFiber } from '../wires/fiber.js';
import type { CallOptions } from './types.js';

/** What every axon of a query shares: checked input, field values, body hash and fields JSON. */
export interface Prepared<S extends AnySynapse> {
  timeout: number;
  input: InputOf<S>;
  values: Record<string, unknown>;
  bodyHash: string;
  fieldsJson: string;
  /** The input fields as plain JSON, once a signed wire needed it. */
  plainBody?: Buffer;
}

/**
 * Checks the timeout and the input against the schema and hashes it. Errors here (bad input,
 * unrepresentable values) concern every axon alike: they are thrown.
 */
export function prepare<S extends AnySynapse>(
  def: S,
  input: InputInitOf<S>,
  options: CallOptions,
): Prepared<S> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_S;
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new TransportError(
      'INVALID_OPTIONS',
      `dendrite: timeout must be a positive number of seconds, got ${timeout}`,
    );
  }
  const parsed = def.input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TransportError(
      'INVALID_SYNAPSE_DATA',
      `${def.name}: field "${issue?.path.join('.')}": ${issue?.message ?? 'invalid'}`,
    );
  }
  const parsedInput = parsed.data as InputOf<S>;
  const values = requestValues(def, parsedInput as Record<string, unknown>);
  const bodyHash = computeBodyHash(def, values);
  return {
    timeout,
    input: parsedInput,
    values,
    bodyHash,
    fieldsJson: encodeFieldsJson(def, values),
  };
}

/** `[ip]` for IPv6 literals, for URLs. */
export function hostOf(ip: string): string {
  return ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
}

/**
 * Signs the request for one axon (setting `dendrite.signature`) and encodes its body and
 * headers. `dendrite` already holds our ip, version, nonce, lane uuid and hotkey.
 */
export function signedRequest(
  keypair: Keypair,
  def: AnySynapse,
  prepared: Prepared<AnySynapse>,
  dendrite: TerminalInfo,
  axon: AxonTarget,
): { headers: Record<string, string>; body: string } {
  const signature = keypair.sign(
    requestMessage(
      dendrite.nonce!,
      dendrite.hotkey!,
      axon.hotkey,
      dendrite.uuid!,
      prepared.bodyHash,
    ),
  );
  dendrite.signature = `0x${Buffer.from(signature).toString('hex')}`;
  const env = {
    timeout: prepared.timeout,
    dendrite,
    axon: { ip: axon.ip, port: axon.port, hotkey: axon.hotkey },
  };
  const body = encodeSynapseBody(def, prepared.values, env, prepared.fieldsJson);
  const headers = encodeSynapseHeaders(def, prepared.values, {
    ...env,
    bodyHash: prepared.bodyHash,
    totalSize: Buffer.byteLength(body),
  });
  headers['content-type'] = 'application/json';
  return { headers, body };
}

/** The input fields as plain JSON: the body on the signed wires (encoded once per query). */
export function plainBody(def: AnySynapse, prepared: Prepared<AnySynapse>): Buffer {
  if (prepared.plainBody) return prepared.plainBody;
  const fields: Record<string, unknown> = {};
  const input = prepared.input as Record<string, unknown>;
  for (const field of def.compiled.inputFields) {
    if (input[field] !== undefined) fields[field] = input[field];
  }
  prepared.plainBody = Buffer.from(JSON.stringify(fields), 'utf8');
  return prepared.plainBody;
}

/**
 * A request on a signed wire for one axon: the input fields as JSON, signed over exactly those
 * bytes for the target's hotkey (btauth receiver, Epistula signed-for, Fiber miner hotkey), plus
 * an unsigned `timeout` hint (our axon caps its handler deadline by it; others ignore it).
 */
export function wireRequest(
  keypair: Keypair,
  def: AnySynapse,
  prepared: Prepared<AnySynapse>,
  wire: Exclude<WireName, 'synapse'>,
  axon: AxonTarget,
  path: string,
): { headers: Record<string, string>; body: Buffer } {
  const body = plainBody(def, prepared);
  const signed =
    wire === 'btauth'
      ? signBtauth({ method: 'POST', pathAndQuery: path, body, keypair, receiver: axon.hotkey })
      : wire === 'epistula'
        ? signEpistula(keypair, body, { signedFor: axon.hotkey })
        : signFiber(keypair, body, { minerHotkey: axon.hotkey });
  return {
    headers: {
      ...signed,
      'content-type': 'application/json',
      timeout: String(prepared.timeout),
    },
    body,
  };
}
