// Pre-signed fan-out requests for the aiohttp baseline (which cannot sign sr25519): for each
// round, one request per axon exactly as our dendrite sends it (same headers, same body), on a
// lane uuid of its own so its nonces never meet the dendrite's.
import {
  type AxonTarget,
  computeBodyHash,
  encodeSynapseBody,
  encodeSynapseHeaders,
  NonceClock,
  PROTOCOL_VERSION,
  requestMessage,
  requestValues,
} from '../src/index.js';
import { alice, Dummy } from './signed-requests.js';

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export function presignedFanout(
  axons: readonly AxonTarget[],
  rounds: number,
  uuid: string,
  timeout = 30,
): SignedRequest[][] {
  const clock = new NonceClock();
  const out: SignedRequest[][] = [];
  for (let r = 0; r < rounds; r++) {
    const values = requestValues(Dummy, { dummy_input: r });
    const bodyHash = computeBodyHash(Dummy, values);
    out.push(
      axons.map((axon) => {
        const nonce = clock.next();
        const sig = alice.sign(
          requestMessage(nonce, alice.ss58Address, axon.hotkey, uuid, bodyHash),
        );
        const dendrite = {
          ip: '127.0.0.1',
          version: PROTOCOL_VERSION,
          nonce,
          uuid,
          hotkey: alice.ss58Address,
          signature: `0x${Buffer.from(sig).toString('hex')}`,
        };
        const env = {
          timeout,
          dendrite,
          axon: { ip: axon.ip, port: axon.port, hotkey: axon.hotkey },
        };
        const body = encodeSynapseBody(Dummy, values, env);
        return {
          headers: {
            ...encodeSynapseHeaders(Dummy, values, {
              ...env,
              bodyHash,
              totalSize: Buffer.byteLength(body),
            }),
            'content-type': 'application/json',
          },
          body,
        };
      }),
    );
  }
  return out;
}
