/** Stable error codes of this package. */
export type ImageErrorCode =
  | 'INVALID_ARGUMENT'
  | 'RENDER_FAILED'
  | 'POOL_FAILED'
  /** The miner's HTTP backend failed, timed out or answered something that is no image. */
  | 'BACKEND_FAILED';

/** Every error this package throws: a stable `code` and, for bad input, the field at fault. */
export class ImageSubnetError extends Error {
  override readonly name = 'ImageSubnetError';
  readonly code: ImageErrorCode;
  readonly field: string | undefined;

  constructor(
    code: ImageErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}
