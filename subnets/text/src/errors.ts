import { SubnetkitError } from '@subnetkit/core';

/** Stable error codes of this package. */
export type TextErrorCode =
  | 'INVALID_ARGUMENT'
  /** The reference model artifact is unreadable, truncated or of another format version. */
  | 'MODEL_INVALID'
  /** The bundled corpus package is missing or holds no text. */
  | 'CORPUS_UNAVAILABLE'
  /** A miner was asked for a model its backend does not serve. */
  | 'MODEL_NOT_SERVED'
  /** The miner's HTTP backend failed, timed out or answered something malformed. */
  | 'BACKEND_FAILED';

/**
 * Every error this package throws: a stable `code` and, for bad input, the field at fault
 * (`field`, also in `details.field`).
 */
export class TextSubnetError extends SubnetkitError<TextErrorCode> {
  readonly field: string | undefined;

  constructor(
    code: TextErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(code, message, {
      ...(options.field === undefined ? {} : { details: { field: options.field } }),
      ...('cause' in options ? { cause: options.cause } : {}),
    });
    this.field = options.field;
  }
}
