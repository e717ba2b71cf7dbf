import { SubnetkitError, type SubnetkitErrorOptions } from '@subnetkit/core';

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

export type TimelockErrorDetails = {
  /** The offending argument (`ciphertext`, `signature`, `options.random` …). */
  field: string;
};

/**
 * Error thrown by this package. `code` is stable; `field` (`details.field`) names the offending
 * argument and the message starts with it:
 * `new TimelockError(code, 'signature: …', { details: { field: 'signature' }, cause? })`.
 */
export class TimelockError extends SubnetkitError<TimelockErrorCode, TimelockErrorDetails> {
  declare readonly details: TimelockErrorDetails;

  constructor(
    code: TimelockErrorCode,
    message: string,
    options: SubnetkitErrorOptions<TimelockErrorDetails> & { details: TimelockErrorDetails },
  ) {
    super(code, message, options);
  }

  /** The offending argument (`details.field`). */
  get field(): string {
    return this.details.field;
  }
}
