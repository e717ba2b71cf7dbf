import { SubnetkitError, type SubnetkitErrorOptions } from '@subnetkit/core';

export type LocalnetErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_CONFIG'
  | 'SCALE_DECODE'
  | 'STATE_DISCARDED'
  | 'UNKNOWN_BLOCK'
  | 'CLOSED'
  | 'INTERNAL';

/**
 * Every error localnet throws at its callers carries a stable `code`:
 * `new LocalnetError(code, message, { details?, cause? })`, as every `SubnetkitError`.
 * (The JSON-RPC errors it replies with are `RpcError`s: numeric Substrate codes, not these.)
 */
export class LocalnetError extends SubnetkitError<LocalnetErrorCode> {}

export type ScaleErrorDetails = {
  /** What was being decoded (`compact`, `bool`, `vec`, a type name …). */
  what: string;
};

/** A SCALE decoding failure: `new ScaleError('SCALE_DECODE', 'cannot decode …', { details: { what } })`. */
export class ScaleError extends LocalnetError {
  declare readonly details: ScaleErrorDetails;

  constructor(
    code: 'SCALE_DECODE',
    message: string,
    options: SubnetkitErrorOptions<ScaleErrorDetails> & { details: ScaleErrorDetails },
  ) {
    super(code, message, options);
  }

  /** What was being decoded (`details.what`). */
  get what(): string {
    return this.details.what;
  }
}

/** Bad user input: names the field (in the message and in `details.field`). */
export const invalidOption = (field: string, detail: string): LocalnetError =>
  new LocalnetError('INVALID_OPTION', `${field}: ${detail}`, { details: { field } });
