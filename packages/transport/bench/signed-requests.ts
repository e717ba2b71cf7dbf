// Pre-signed requests for the load generator: one (uuid, increasing nonce) lane per connection,
// each request used once. Run directly to write a file: `signed-requests.ts <count> <file>`.
// `signedWireRequests` does the same on btauth/1, Epistula v2 and Fiber (bench/wires.ts).
import { writeFileSync } from 'node:fs';
import {
  computeBodyHash,
  encodeSynapseBody,
  encodeSynapseHeaders,
  NonceClock,
  PROTOCOL_VERSION,
  requestMessage,
  requestValues,
} from '../src/index.js';
import { fiberNonce, signBtauth, signEpistula, signFiber } from '../src/wires/index.js';

// The tests' fixtures: alice (the caller), bob (the axon) and the template's Dummy synapse.
import { alice, bob, DummySynapse as Dummy } from '../test/helpers.js';

export { alice, bob, Dummy };

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * One Synapse request from alice to `axon`, headers and body exactly as our dendrite sends
 * them; `totalSize` adds the body length header the dendrite sets.
 */
export function signedSynapseRequest(
  input: number,
  nonce: ReturnType<NonceClock['next']>,
  uuid: string,
  axon: { ip: string; port: number; hotkey: string },
  options: { timeout: number; totalSize?: boolean },
): SignedRequest {
  const values = requestValues(Dummy, { dummy_input: input });
  const bodyHash = computeBodyHash(Dummy, values);
  const sig = alice.sign(requestMessage(nonce, alice.ss58Address, axon.hotkey, uuid, bodyHash));
  const dendrite = {
    ip: '127.0.0.1',
    version: PROTOCOL_VERSION,
    nonce,
    uuid,
    hotkey: alice.ss58Address,
    signature: `0x${Buffer.from(sig).toString('hex')}`,
  };
  const env = { timeout: options.timeout, dendrite, axon };
  const body = encodeSynapseBody(Dummy, values, env);
  const size = options.totalSize ? { totalSize: Buffer.byteLength(body) } : {};
  return {
    headers: {
      ...encodeSynapseHeaders(Dummy, values, { ...env, bodyHash, ...size }),
      'content-type': 'application/json',
    },
    body,
  };
}

/** `total` requests from alice to bob's axon, split over `connections` lanes, as JSON. */
export function signedRequests(total: number, connections: number): string {
  const clock = new NonceClock();
  const perLane = Math.ceil(total / connections);
  const axon = { ip: '127.0.0.1', port: 0, hotkey: bob.ss58Address };
  const lanes = [];
  for (let c = 0; c < connections; c++) {
    const uuid = `bench-${process.pid}-${Date.now()}-${c}`;
    const lane = [];
    for (let k = 0; k < perLane; k++) {
      lane.push(signedSynapseRequest(k, clock.next(), uuid, axon, { timeout: 60 }));
    }
    lanes.push(lane);
  }
  return JSON.stringify(lanes);
}

/**
 * `total` requests from alice to bob's axon at `path` on a signed wire, split over `connections`
 * lanes, as JSON. The body is Dummy's input as plain JSON, signed as sent. Requests are signed
 * round-robin over the lanes, so the ones sent last were signed last: with btauth's and
 * Epistula's short windows, the oldest request in flight stays as young as the run allows.
 */
export function signedWireRequests(
  wire: 'btauth' | 'epistula' | 'fiber',
  total: number,
  connections: number,
  path = '/Dummy',
): string {
  const clock = new NonceClock();
  const perLane = Math.ceil(total / connections);
  const receiver = bob.ss58Address;
  const lanes: SignedRequest[][] = Array.from({ length: connections }, () => []);
  for (let k = 0; k < perLane; k++) {
    for (const lane of lanes) {
      const body = JSON.stringify({ dummy_input: k });
      const signed =
        wire === 'btauth'
          ? signBtauth({
              method: 'POST',
              pathAndQuery: path,
              body,
              keypair: alice,
              receiver,
              nonce: clock.next(),
            })
          : wire === 'epistula'
            ? signEpistula(alice, body, { signedFor: receiver })
            : signFiber(alice, body, { minerHotkey: receiver, nonce: fiberNonce(clock.next()) });
      lane.push({ headers: { ...signed, 'content-type': 'application/json' }, body });
    }
  }
  return JSON.stringify(lanes);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(process.argv[3]!, signedRequests(Number(process.argv[2]), 32));
}
