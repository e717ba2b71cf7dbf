import { SubnetkitError } from '@subnetkit/core';

/** Stable error codes of this package. */
export type ImageErrorCode =
  | 'INVALID_ARGUMENT'
  | 'RENDER_FAILED'
  | 'POOL_FAILED'
  /** The miner's HTTP backend failed, timed out or answered something that is no image. */
  | 'BACKEND_FAILED';

/**
 * Every error this package throws: a stable `code` and, for bad input, the field at fault
 * (`field`, also in `details.field`).
 */
export class ImageSubnetError extends SubnetkitError<ImageErrorCode> {
  readonly field: string | undefined;

  constructor(
    code: ImageErrorCode,
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
