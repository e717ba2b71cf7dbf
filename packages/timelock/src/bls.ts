import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { type BytesLike, toBytes, toU64, u64BE } from './bytes.js';
import { TimelockError } from './errors.js';

/**
 * Domain separation tag drand quicknet (scheme `bls-unchained-g1-rfc9380`) signs with, and the
 * one the `tle` crate's `TinyBLS381` engine hashes identities with (`QUICKNET_CTX`).
 */
export const QUICKNET_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

/** Compressed sizes (zcash/ark encoding): signatures on G1, public keys on G2. */
export const SIGNATURE_LENGTH = 48;
export const PUBLIC_KEY_LENGTH = 96;

export type G1Point = ReturnType<typeof bls12_381.G1.Point.fromBytes>;
export type G2Point = ReturnType<typeof bls12_381.G2.Point.fromBytes>;

/**
 * The message drand signs for `round` in unchained mode, which is also the `tle` identity that
 * bittensor-drand encrypts to: `sha256(round as u64 big-endian)`.
 */
export function roundMessage(round: number | bigint): Uint8Array {
  return sha256(u64BE(toU64(round, 'round')));
}

/** `H(roundMessage(round))` on G1 with {@link QUICKNET_DST} (RFC 9380 hash_to_curve). */
export function hashRoundToG1(round: number | bigint): G1Point {
  return bls12_381.G1.hashToCurve(roundMessage(round), { DST: QUICKNET_DST }) as G1Point;
}

/**
 * Decodes a compressed G1 point (48 bytes). noble checks the encoding flags, that the x
 * coordinate is canonical, that the point is on the curve and in the prime-order subgroup —
 * the same checks as ark-serialize's `deserialize_compressed` (validate = yes).
 */
export function decodeG1(value: BytesLike, field: string): G1Point {
  const bytes = toBytes(value, field, SIGNATURE_LENGTH);
  try {
    return bls12_381.G1.Point.fromBytes(bytes);
  } catch (cause) {
    throw new TimelockError('INVALID_POINT', `${field}: is not a valid compressed G1 point`, {
      details: { field },
      cause,
    });
  }
}

/** Decodes a compressed G2 point (96 bytes); see {@link decodeG1}. */
export function decodeG2(value: BytesLike, field: string): G2Point {
  const bytes = toBytes(value, field, PUBLIC_KEY_LENGTH);
  try {
    return bls12_381.G2.Point.fromBytes(bytes);
  } catch (cause) {
    throw new TimelockError('INVALID_POINT', `${field}: is not a valid compressed G2 point`, {
      details: { field },
      cause,
    });
  }
}

/**
 * Verifies a drand beacon of an unchained G1 scheme (quicknet): checks
 * `e(signature, g2) == e(H(sha256(round_be)), publicKey)`, the same equation as subtensor's
 * `pallet_drand` `QuicknetVerifier`.
 *
 * Returns `false` for a well-formed signature that does not verify (wrong round, wrong key).
 * Throws `INVALID_POINT` / `INVALID_INPUT` when the signature or key does not decode.
 */
export function verifyBeacon(
  round: number | bigint,
  signature: BytesLike,
  publicKey: BytesLike,
): boolean {
  const sig = decodeG1(signature, 'signature');
  const pk = decodeG2(publicKey, 'publicKey');
  return bls12_381.shortSignatures.verify(sig, hashRoundToG1(round), pk);
}
