import { SubnetkitError, type SubnetkitErrorOptions } from '@subnetkit/core';

/** Stable error codes thrown by `@subnetkit/scoring`. */
export type ScoringErrorCode =
  | 'INVALID_NUMBER'
  | 'NEGATIVE_VALUE'
  | 'LENGTH_MISMATCH'
  | 'INVALID_UID'
  | 'INVALID_ARGUMENT'
  | 'OUT_OF_RANGE';

export type ScoringErrorDetails = {
  /** The offending argument, with an index when one element is at fault (`weights[3]`). */
  field: string;
};

/**
 * Error thrown for bad input. `code` is stable; `field` (`details.field`) names the offending
 * argument (with an index such as `weights[3]` when a single element is at fault), and the
 * message starts with it: `new ScoringError(code, 'weights[3]: …', { details: { field } })`.
 */
export class ScoringError extends SubnetkitError<ScoringErrorCode, ScoringErrorDetails> {
  declare readonly details: ScoringErrorDetails;

  constructor(
    code: ScoringErrorCode,
    message: string,
    options: SubnetkitErrorOptions<ScoringErrorDetails> & { details: ScoringErrorDetails },
  ) {
    super(code, message, options);
  }

  /** The offending argument (`details.field`). */
  get field(): string {
    return this.details.field;
  }
}

/** Throws `INVALID_NUMBER` naming the first NaN/±∞ element of `values`. */
export function assertFinite(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new ScoringError(
        'INVALID_NUMBER',
        `${field}[${i}]: must be a finite number, got ${v}`,
        { details: { field: `${field}[${i}]` } },
      );
    }
  }
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function assertInt(value: number, field: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ScoringError(
      'OUT_OF_RANGE',
      `${field}: must be an integer in [${min}, ${max}], got ${value}`,
      { details: { field } },
    );
  }
}
