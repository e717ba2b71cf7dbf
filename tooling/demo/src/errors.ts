/** Stable codes of the market's failures. */
export type DemoErrorCode =
  | 'INVALID_OPTION'
  | 'CHILD_FAILED'
  | 'CHILD_EXITED'
  | 'STARTUP_TIMEOUT'
  | 'SETUP_FAILED'
  | 'INTERRUPTED'
  | 'RUN_TIMEOUT'
  | 'NO_SUBNETS'
  | 'ROSTER_INVALID'
  | 'ENTRY_MISSING';

export class DemoError extends Error {
  override readonly name = 'DemoError';
  readonly code: DemoErrorCode;
  readonly field: string | undefined;

  constructor(
    code: DemoErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

export function isDemoError(e: unknown): e is DemoError {
  return e instanceof DemoError;
}
