import { SubnetkitError, type SubnetkitErrorOptions } from '@subnetkit/core';

/**
 * Every failure this package raises is a `ChainError` with a stable `code`.
 *
 * - Codes in UPPER_SNAKE_CASE are ours (connection, input, timeouts, ...).
 * - `MODULE_ERROR` carries the pallet error **name** decoded from the metadata
 *   (`registry.findMetaError`), e.g. `SettingWeightsTooFast`, never its index.
 * - `POOL_REJECTED` carries the transaction-pool reason: for subtensor's
 *   `Invalid Transaction: Custom error: N` the name of `CustomTransactionError` N.
 */
export type ChainErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_NETWORK'
  | 'CONNECT_TIMEOUT'
  /** Nothing listens at the endpoint (ECONNREFUSED): the node is down or the port is wrong. */
  | 'CONNECTION_REFUSED'
  | 'DISCONNECTED'
  | 'CLOSED'
  | 'REQUEST_TIMEOUT'
  | 'RPC_ERROR'
  | 'UNSUPPORTED_RUNTIME'
  | 'UNKNOWN_TX_EXTENSION'
  | 'MISSING_CALL'
  | 'NOT_REGISTERED'
  | 'RATE_LIMITED'
  | 'COMMIT_REVEAL_ENABLED'
  | 'COMMIT_REVEAL_DISABLED'
  | 'COMMIT_REVEAL_V2_REQUIRED'
  | 'BEACON_MISMATCH'
  | 'AXON_REFUSED'
  | 'MODULE_ERROR'
  | 'DISPATCH_ERROR'
  | 'POOL_REJECTED'
  | 'TX_TIMEOUT'
  | 'TX_DROPPED'
  | 'TX_OUTCOME_UNKNOWN'
  | 'TX_INVALID'
  | 'DECODE_ERROR';

export type ChainErrorDetails = {
  /** Pallet section of a module error (`subtensorModule`). */
  section?: string;
  /** Error or custom-error name (`SettingWeightsTooFast`, `RateLimitExceeded`). */
  name?: string;
  /** Documentation of the error from the runtime metadata. */
  docs?: string;
  /** Numeric custom transaction error, for pool rejections. */
  customCode?: number;
  /** JSON-RPC error code (1010, 1014, ...). */
  rpcCode?: number;
  /** Hash of the extrinsic concerned, when one was submitted. */
  txHash?: string;
  /** Block the extrinsic was included in, for in-block failures. */
  blockHash?: string;
  /** For `RATE_LIMITED`: blocks left before the action is allowed. */
  blocksLeft?: number;
  /** The field of bad input. */
  field?: string;
};

/**
 * `new ChainError(code, message, { details?, cause? })`, as every `SubnetkitError`; `details` is
 * always an object here (`{}` when none were given), so `error.details.name` needs no `?.`.
 */
export class ChainError extends SubnetkitError<ChainErrorCode, ChainErrorDetails> {
  declare readonly details: ChainErrorDetails;

  constructor(
    code: ChainErrorCode,
    message: string,
    options: SubnetkitErrorOptions<ChainErrorDetails> = {},
  ) {
    super(code, message, { ...options, details: options.details ?? {} });
  }

  /** For module errors and pool rejections: the decoded name; otherwise the code. */
  get errorName(): string {
    return this.details.name ?? this.code;
  }
}

export function invalidInput(field: string, message: string): ChainError {
  return new ChainError('INVALID_INPUT', `${field}: ${message}`, { details: { field } });
}

export function isChainError(error: unknown, code?: ChainErrorCode): error is ChainError {
  return error instanceof ChainError && (code === undefined || error.code === code);
}
