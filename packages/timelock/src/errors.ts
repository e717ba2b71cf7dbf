/**
 * Stable error codes thrown by `@subnetkit/timelock`.
 *
 * - `INVALID_INPUT`: an argument is malformed (wrong length, not an integer, out of range...).
 * - `INVALID_POINT`: bytes that should be a compressed BLS12-381 point are not a valid point of
 *   the prime-order subgroup (public key, signature, or the ciphertext's `U`).
 * - `MALFORMED_CIPHERTEXT`: the ciphertext bytes do not parse as a serialized `TLECiphertext`
 *   (subtensor: "error deserializing the commit").
 * - `WRONG_KEY`: the IBE layer rejected the signature: it is not the signature for the round the
 *   ciphertext was made for, or the header was tampered with (tle: `InvalidSignature`).
 * - `MALFORMED_BODY`: the symmetric body does not parse as an `AESOutput` (tle:
 *   `DeserializationError`).
 * - `DECRYPTION_FAILED`: AES-256-GCM rejected the body: tampered ciphertext or tag, or a nonce
 *   that is not 12 bytes (tle: `DecryptionError`).
 * - `MALFORMED_PAYLOAD`: decrypted bytes are not a SCALE weights payload.
 * - `HOTKEY_MISMATCH`: the payload's hotkey is not the committer's.
 */
export type TimelockErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_POINT'
  | 'MALFORMED_CIPHERTEXT'
  | 'WRONG_KEY'
  | 'MALFORMED_BODY'
  | 'DECRYPTION_FAILED'
  | 'MALFORMED_PAYLOAD'
  | 'HOTKEY_MISMATCH';

/** Error thrown by this package. `code` is stable; `field` names the offending argument. */
export class TimelockError extends Error {
  override readonly name = 'TimelockError';
  readonly code: TimelockErrorCode;
  readonly field: string;

  constructor(code: TimelockErrorCode, field: string, message: string, options?: ErrorOptions) {
    super(`${field}: ${message}`, options);
    this.code = code;
    this.field = field;
  }
}
