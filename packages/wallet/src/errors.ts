import { SubnetkitError } from '@subnetkit/core';

/** Stable error codes raised by `@subnetkit/wallet`. */
export type WalletErrorCode =
  | 'INVALID_HEX'
  | 'INVALID_LENGTH'
  | 'INVALID_SS58'
  | 'INVALID_SS58_CHECKSUM'
  | 'INVALID_SS58_PREFIX'
  | 'INVALID_MNEMONIC'
  | 'INVALID_DERIVATION_PATH'
  | 'INVALID_SECRET_KEY'
  | 'PUBLIC_KEY_ONLY'
  | 'KEYFILE_NOT_FOUND'
  | 'KEYFILE_UNREADABLE'
  | 'KEYFILE_EXISTS'
  | 'KEYFILE_MALFORMED'
  | 'KEYFILE_ENCRYPTED'
  | 'KEYFILE_UNSUPPORTED_FORMAT'
  | 'WRONG_PASSWORD'
  | 'PASSWORD_REQUIRED'
  | 'INVALID_WALLET_NAME'
  | 'WALLET_NOT_FOUND';

/**
 * Every error this package raises: `code` is stable, `message` names what is wrong.
 * `new WalletError(code, message, { details?, cause? })`, as every `SubnetkitError`.
 */
export class WalletError extends SubnetkitError<WalletErrorCode> {}
