import type { Signer, SignerResult } from '@polkadot/api/types';
import type { SignerPayloadRaw } from '@polkadot/types/types';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import type { Keypair } from '@subnetkit/wallet';

let id = 0;

/** A polkadot-js Signer over a subnetkit wallet keypair (sr25519). */
export function signerFor(pair: Keypair): Signer {
  return {
    signRaw: async (payload: SignerPayloadRaw): Promise<SignerResult> => {
      const sig = pair.sign(hexToU8a(payload.data));
      return { id: ++id, signature: u8aToHex(Uint8Array.of(1, ...sig)) };
    },
  };
}
