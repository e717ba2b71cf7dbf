import { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { request } from 'undici';
import { z } from 'zod';
import {
  type AnySynapse,
  Axon,
  type AxonOptions,
  axonMessage,
  computeBodyHash,
  Dendrite,
  type DendriteOptions,
  defineSynapse,
  encodeSynapseBody,
  encodeSynapseHeaders,
  NonceClock,
  PROTOCOL_VERSION,
  requestMessage,
  requestValues,
  type SynapseHandlers,
  TransportMetrics,
  verifyWrapped,
  wrapBytes,
} from '../src/index.js';

export const silent = pino({ level: 'silent' });
const clock = new NonceClock();
export const alice = Keypair.fromUri('//Alice');
export const bob = Keypair.fromUri('//Bob');
export const charlie = Keypair.fromUri('//Charlie');

/** The subnet template's Dummy, with its input hashed (the template leaves hashing off). */
export const DummySynapse = defineSynapse({
  name: 'Dummy',
  input: { dummy_input: z.int() },
  output: { dummy_output: z.int().nullable() },
  hashFields: ['dummy_input'],
});

export async function startAxon<S extends AnySynapse>(
  def: S | undefined,
  handlers: SynapseHandlers<S> | undefined,
  options: Partial<AxonOptions> = {},
  metrics = new TransportMetrics(),
): Promise<{ axon: Axon; metrics: TransportMetrics; url: string }> {
  const axon = new Axon(
    { keypair: bob, host: '127.0.0.1', port: 0, verifyWorkers: 0, ...options },
    { logger: silent, metrics },
  );
  if (def && handlers) axon.attach(def, handlers);
  await axon.start();
  return { axon, metrics, url: `http://127.0.0.1:${axon.port}` };
}

export function newDendrite(options: Partial<DendriteOptions> = {}, metrics?: TransportMetrics) {
  return new Dendrite({ keypair: alice, ...options }, { logger: silent, metrics });
}

export interface CraftOptions {
  signer?: Keypair;
  /** The axon hotkey written into the signed message (default: bob, the test axon). */
  axonHotkey?: string;
  nonce?: bigint;
  uuid?: string;
  timeout?: number;
  /** Sign `<Bytes>msg</Bytes>` the way polkadot.js signRaw does. */
  wrap?: boolean;
  /** Replace the body's field values after signing. */
  tamper?: Record<string, unknown>;
  omit?: string[];
  signature?: string;
}

/** A signed request built by hand (for replay, tampering and other abuse cases). */
export function craft<S extends AnySynapse>(
  def: S,
  input: Record<string, unknown>,
  o: CraftOptions = {},
) {
  const signer = o.signer ?? alice;
  const nonce = o.nonce ?? clock.next();
  const uuid = o.uuid ?? 'test-uuid-1';
  const timeout = o.timeout ?? 12;
  const values = requestValues(def, input);
  const bodyHash = computeBodyHash(def, values);
  const message = requestMessage(
    nonce,
    signer.ss58Address,
    o.axonHotkey ?? bob.ss58Address,
    uuid,
    bodyHash,
  );
  const bytes = new TextEncoder().encode(message);
  const sig = signer.sign(o.wrap ? wrapBytes(bytes) : bytes);
  const dendrite = {
    ip: '10.0.0.1',
    version: PROTOCOL_VERSION,
    nonce,
    uuid,
    hotkey: signer.ss58Address,
    signature: o.signature ?? `0x${Buffer.from(sig).toString('hex')}`,
  };
  const axon = { ip: '127.0.0.1', port: 1, hotkey: o.axonHotkey ?? bob.ss58Address };
  const bodyValues = o.tamper ? { ...values, ...o.tamper } : values;
  const body = encodeSynapseBody(def, bodyValues, { timeout, dendrite, axon });
  const headers: Record<string, string> = {
    ...encodeSynapseHeaders(def, values, { timeout, dendrite, axon, bodyHash }),
    'content-type': 'application/json',
  };
  for (const h of o.omit ?? []) delete headers[h];
  return { headers, body, nonce, message };
}

export async function post(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
) {
  const res = await request(`${url}${path}`, { method: 'POST', headers, body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    json: json as Record<string, unknown>,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether a reply's `bt_header_axon_signature` is bob's signature (the test axon) over
 * `{axon.nonce}.{alice (the caller)}.{bob}.{axon.uuid}`.
 */
export function axonSignatureHolds(h: Record<string, string>): boolean {
  const msg = axonMessage(
    BigInt(h.bt_header_axon_nonce!),
    alice.ss58Address,
    bob.ss58Address,
    h.bt_header_axon_uuid!,
  );
  return verifyWrapped(
    new TextEncoder().encode(msg),
    Buffer.from(h.bt_header_axon_signature!.slice(2), 'hex'),
    bob.publicKey,
  );
}
