import type { IKeyringPair } from '@polkadot/types/types';
import type { Keypair } from '@subnetkit/wallet';
import { ChainError } from './errors.js';

/** The `MultiSignature::Sr25519` variant index (Ed25519 = 0, Sr25519 = 1, Ecdsa = 2). */
export const SR25519_SIGNATURE_TYPE = 0x01;

/**
 * Adapts a wallet `Keypair` (sr25519) to the `IKeyringPair` @polkadot/api signs with.
 * With `{ withType: true }` (what the extrinsic payload asks for when the chain's signature
 * is the `MultiSignature` enum) the 64-byte signature gets the Sr25519 variant byte in front.
 * The payload arrives already hashed when it is longer than 256 bytes, as the chain expects.
 */
export function keypairToSigner(keypair: Keypair): IKeyringPair {
  if (!keypair.hasSecret) {
    throw new ChainError(
      'INVALID_INPUT',
      `signer: keypair ${keypair.ss58Address} has no secret key and cannot sign`,
      { details: { field: 'signer' } },
    );
  }
  return {
    address: keypair.ss58Address,
    addressRaw: keypair.publicKey,
    publicKey: keypair.publicKey,
    sign(data: Uint8Array, options?: { withType?: boolean }): Uint8Array {
      const signature = keypair.sign(data);
      if (!options?.withType) return signature;
      const typed = new Uint8Array(1 + signature.length);
      typed[0] = SR25519_SIGNATURE_TYPE;
      typed.set(signature, 1);
      return typed;
    },
  };
}
