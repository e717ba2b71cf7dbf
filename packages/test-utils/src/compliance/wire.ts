/** Raw wire pieces of the compliance suite: Python-shaped requests, fake and dead servers. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  type AnySynapse,
  computeBodyHash,
  encodeSynapseBody,
  encodeSynapseHeaders,
  PROTOCOL_VERSION,
  requestMessage,
  requestValues,
  type TerminalInfo,
} from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';

export interface RawRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A request built field by field from the Python SDK's wire rules (what a Python dendrite
 * sends): headers with `bt_header_input_obj_*` placeholders, the pydantic-ordered JSON body,
 * the body hash of the required hash fields, and the sr25519 signature (omitted when
 * `signed` is false).
 */
export function pythonShapedRequest(
  protocol: AnySynapse,
  input: Record<string, unknown>,
  caller: Keypair,
  target: { ip: string; port: number; hotkey: string },
  options: { signed: boolean; timeout: number },
): RawRequest {
  const values = requestValues(protocol, input);
  const bodyHash = computeBodyHash(protocol, values);
  const nonce = BigInt(Date.now()) * 1_000_000n;
  const uuid = randomUUID();
  const dendrite: TerminalInfo = {
    ip: '127.0.0.1',
    version: PROTOCOL_VERSION,
    nonce,
    uuid,
    hotkey: caller.ss58Address,
  };
  if (options.signed) {
    const message = requestMessage(nonce, caller.ss58Address, target.hotkey, uuid, bodyHash);
    dendrite.signature = `0x${Buffer.from(caller.sign(message)).toString('hex')}`;
  }
  const axon: TerminalInfo = { ip: target.ip, port: target.port, hotkey: target.hotkey };
  const env = { timeout: options.timeout, dendrite, axon };
  return {
    url: `http://${target.ip}:${target.port}/${protocol.name}`,
    headers: {
      ...encodeSynapseHeaders(protocol, values, { ...env, bodyHash }),
      'content-type': 'application/json',
    },
    body: encodeSynapseBody(protocol, values, env),
  };
}

/** Sends a raw request (given up after `timeoutMs`); the body as text and, when it parses, JSON. */
export async function send(req: RawRequest, timeoutMs = 15_000) {
  const res = await fetch(req.url, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // kept as null
  }
  return { status: res.status, text, json: json as Record<string, unknown> | null };
}

/** An HTTP server on the synapse's route that answers 200 with `body` (no Python axon would). */
export async function garbageServer(body: string, contentType: string): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

export const portOf = (s: Server) => (s.address() as { port: number }).port;

/** A closed loopback port (bound, then released). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

export async function until<T>(
  what: string,
  f: () => Promise<T | undefined> | T | undefined,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`compliance: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
