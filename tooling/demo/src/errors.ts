import { SubnetkitError } from '@subnetkit/core';

/** Stable codes of the market's failures. */
export type DemoErrorCode =
  | 'INVALID_OPTION'
  | 'CHILD_FAILED'
  | 'CHILD_EXITED'
  | 'STARTUP_TIMEOUT'
  | 'SETUP_FAILED'
  | 'INTERRUPTED'
  /** stdout closed under the market (EPIPE): it stops like an interrupt, exit 141. */
  | 'OUTPUT_CLOSED'
  | 'RUN_TIMEOUT'
  | 'NO_SUBNETS'
  | 'ROSTER_INVALID'
  | 'ENTRY_MISSING';

export type DemoErrorDetails = {
  /** The option at fault (`miners`, `tempo` …), for `INVALID_OPTION`. */
  field?: string;
};

/** `new DemoError(code, message, { details: { field }, cause })`, as every `SubnetkitError`. */
export class DemoError extends SubnetkitError<DemoErrorCode, DemoErrorDetails> {
  /** The option at fault (`details.field`), when one is. */
  get field(): string | undefined {
    return this.details?.field;
  }
}

/** True for a `DemoError` (with that `code`, when one is given). */
export function isDemoError(e: unknown, code?: DemoErrorCode): e is DemoError {
  return e instanceof DemoError && (code === undefined || e.code === code);
}
