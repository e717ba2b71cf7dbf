import type { Signer, SignerResult } from '@polkadot/api/types';
import type { SignerPayloadRaw } from '@polkadot/types/types';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { Keypair } from '@subnetkit/wallet';

let id = 0;

/** A polkadot-js Signer over a subnetkit wallet keypair (sr25519). */
export function signerFor(pair: Keypair): Signer {
  return {
    signRaw: async (payload: SignerPayloadRaw): Promise<SignerResult> => {
      // Payloads over 256 bytes are signed as their blake2-256 hash (as polkadot-js does).
      const data = hexToU8a(payload.data);
      const sig = pair.sign(data.length > 256 ? blake2AsU8a(data, 256) : data);
      return { id: ++id, signature: u8aToHex(Uint8Array.of(1, ...sig)) };
    },
  };
}
