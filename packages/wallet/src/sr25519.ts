// sr25519 (schnorrkel, Substrate signing context "substrate") on @polkadot-labs/schnorrkel-wasm:
// the same schnorrkel 0.11 as @polkadot/wasm-crypto, ~2× its verify and ~2.5× its sign rate on
// this machine (bench/sign-verify.ts), with byte-identical keys from seeds and hard derivation.
// It instantiates synchronously on import (no waitReady). Inputs pass sr25519-guard first,
// since that build panics where wasm-crypto answers false.
import { createRequire } from 'node:module';
import {
  sr25519_derive_keypair_hard,
  sr25519_derive_keypair_soft,
  sr25519_keypair_from_seed,
  sr25519_sign,
  sr25519_verify,
} from '@polkadot-labs/schnorrkel-wasm';
import { assertLength } from './bytes.js';
import { WalletError } from './errors.js';
import { isSchnorrkelSecret, isSchnorrkelSignature, isSr25519PublicKey } from './sr25519-guard.js';

export const SEED_LENGTH = 32;
export const SECRET_KEY_LENGTH = 64;
export const PUBLIC_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;
const CHAIN_CODE_LENGTH = 32;

/**
 * Absolute path of the CommonJS build of the same `@polkadot-labs/schnorrkel-wasm`, for a
 * worker thread to `require()`. Its `sr25519_verify(pub, msg, sig)` may only be given inputs
 * for which `sr25519Parses(sig, pub)` held; `sr25519_sign(pub, secret, msg)` a key pair for
 * which `isSchnorrkelSecret(secret)` and `isSr25519PublicKey(pub)` held (secret in the ed25519
 * form, see `canonicalToEd25519Secret`).
 */
export const SR25519_WASM_MODULE_PATH: string = createRequire(import.meta.url).resolve(
  '@polkadot-labs/schnorrkel-wasm',
);

/** 96 bytes: secret key (64, "half-ed25519" form: scalar × cofactor ‖ nonce) ‖ public key (32). */
export type RawKeypair = Uint8Array;

export function keypairFromSeed(seed: Uint8Array): RawKeypair {
  assertLength(seed, SEED_LENGTH, 'seed');
  return sr25519_keypair_from_seed(seed);
}

function assertPair(pair: RawKeypair, chainCode: Uint8Array): void {
  assertLength(pair, SECRET_KEY_LENGTH + PUBLIC_KEY_LENGTH, 'keypair');
  assertLength(chainCode, CHAIN_CODE_LENGTH, 'chain code');
  assertSecretKey(pair.subarray(0, SECRET_KEY_LENGTH));
  assertPublicKey(pair.subarray(SECRET_KEY_LENGTH));
}

export function deriveHard(pair: RawKeypair, chainCode: Uint8Array): RawKeypair {
  assertPair(pair, chainCode);
  return sr25519_derive_keypair_hard(pair, chainCode);
}

/** The child's key and public key are deterministic; its nonce is random (schnorrkel's HDKD). */
export function deriveSoft(pair: RawKeypair, chainCode: Uint8Array): RawKeypair {
  assertPair(pair, chainCode);
  return sr25519_derive_keypair_soft(pair, chainCode);
}

function assertSecretKey(secretKey: Uint8Array): void {
  if (!isSchnorrkelSecret(secretKey)) {
    throw new WalletError('INVALID_SECRET_KEY', 'secret scalar is not below the group order ℓ');
  }
}

function assertPublicKey(publicKey: Uint8Array): void {
  if (!isSr25519PublicKey(publicKey)) {
    throw new WalletError('INVALID_SECRET_KEY', 'public key is not a ristretto255 point');
  }
}

/** A randomized 64-byte signature; `secretKey` in the ed25519 form. Malformed input throws. */
export function sign(
  publicKey: Uint8Array,
  secretKey: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  assertLength(publicKey, PUBLIC_KEY_LENGTH, 'public key');
  assertLength(secretKey, SECRET_KEY_LENGTH, 'secret key');
  assertSecretKey(secretKey);
  assertPublicKey(publicKey);
  return sr25519_sign(publicKey, secretKey, message);
}

/** True when schnorrkel can parse both, so verifying them is a yes or no, never a panic. */
export const sr25519Parses = (signature: Uint8Array, publicKey: Uint8Array): boolean =>
  isSchnorrkelSignature(signature) && isSr25519PublicKey(publicKey);

/** Never throws: any malformed signature or key (length, encoding) is simply `false`. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return sr25519Parses(signature, publicKey) && sr25519_verify(publicKey, message, signature);
}

/**
 * schnorrkel stores a secret scalar two ways: canonical (`SecretKey::to_bytes`, what sp_core's
 * `to_raw_vec` and so btwallet's `privateKey` hold) and multiplied by the cofactor 8
 * (`to_ed25519_bytes`, what both wasm builds take). Converting is a 3-bit shift of the 256-bit
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
