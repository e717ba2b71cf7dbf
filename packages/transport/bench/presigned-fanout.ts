// Pre-signed fan-out requests for the aiohttp baseline (which cannot sign sr25519): for each
// round, one request per axon exactly as our dendrite sends it (same headers, same body), on a
// lane uuid of its own so its nonces never meet the dendrite's.
import { type AxonTarget, NonceClock } from '../src/index.js';
import { type SignedRequest, signedSynapseRequest } from './signed-requests.js';

export type { SignedRequest };

export function presignedFanout(
  axons: readonly AxonTarget[],
  rounds: number,
  uuid: string,
  timeout = 30,
): SignedRequest[][] {
  const clock = new NonceClock();
  const out: SignedRequest[][] = [];
  for (let r = 0; r < rounds; r++) {
    out.push(
      axons.map((axon) =>
        signedSynapseRequest(
          r,
          clock.next(),
          uuid,
          { ip: axon.ip, port: axon.port, hotkey: axon.hotkey },
          { timeout, totalSize: true },
        ),
      ),
    );
  }
  return out;
}
