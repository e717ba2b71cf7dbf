// The sr25519 fast path: @polkadot/wasm-crypto called directly (no util-crypto wrappers).
// Top-level await makes every export of this package usable synchronously once imported.
import {
  sr25519DeriveKeypairHard,
  sr25519DeriveKeypairSoft,
  sr25519KeypairFromSeed,
  sr25519Sign,
  sr25519Verify,
  waitReady,
} from '@polkadot/wasm-crypto';

if (!(await waitReady())) {
  throw new Error('@polkadot/wasm-crypto failed to initialise its WebAssembly module');
}

export const SEED_LENGTH = 32;
export const SECRET_KEY_LENGTH = 64;
export const PUBLIC_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;

/** 96 bytes: secret key (64, "half-ed25519" form: scalar × cofactor ‖ nonce) ‖ public key (32). */
export type RawKeypair = Uint8Array;

export const keypairFromSeed = (seed: Uint8Array): RawKeypair => sr25519KeypairFromSeed(seed);
export const deriveHard = (pair: RawKeypair, chainCode: Uint8Array): RawKeypair =>
  sr25519DeriveKeypairHard(pair, chainCode);
export const deriveSoft = (pair: RawKeypair, chainCode: Uint8Array): RawKeypair =>
  sr25519DeriveKeypairSoft(pair, chainCode);
export const sign = (publicKey: Uint8Array, secretKey: Uint8Array, message: Uint8Array) =>
  sr25519Sign(publicKey, secretKey, message);
export const verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) =>
  sr25519Verify(signature, message, publicKey);

/**
 * schnorrkel stores a secret scalar two ways: canonical (`SecretKey::to_bytes`, what sp_core's
 * `to_raw_vec` and so btwallet's `privateKey` hold) and multiplied by the cofactor 8
 * (`to_ed25519_bytes`, what wasm-crypto takes). Converting is a 3-bit shift of the 256-bit
 * little-endian scalar; the 32-byte nonce is unchanged.
 */
export function canonicalToEd25519Secret(secret: Uint8Array): Uint8Array {
  const out = secret.slice();
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const byte = secret[i]!;
    out[i] = ((byte << 3) | carry) & 0xff;
    carry = byte >> 5;
  }
  return out;
}

export function ed25519ToCanonicalSecret(secret: Uint8Array): Uint8Array {
  const out = secret.slice();
  for (let i = 0; i < 32; i++) {
    const next = i < 31 ? secret[i + 1]! : 0;
    out[i] = ((secret[i]! >> 3) | (next << 5)) & 0xff;
  }
  return out;
}
