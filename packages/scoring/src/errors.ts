/** Stable error codes thrown by `@subnetkit/scoring`. */
export type ScoringErrorCode =
  | 'INVALID_NUMBER'
  | 'NEGATIVE_VALUE'
  | 'LENGTH_MISMATCH'
  | 'INVALID_UID'
  | 'INVALID_ARGUMENT'
  | 'OUT_OF_RANGE';

/**
 * Error thrown for bad input. `code` is stable; `field` names the offending argument (with
 * an index such as `weights[3]` when a single element is at fault).
 */
export class ScoringError extends Error {
  override readonly name = 'ScoringError';
  readonly code: ScoringErrorCode;
  readonly field: string;

  constructor(code: ScoringErrorCode, field: string, message: string) {
    super(`${field}: ${message}`);
    this.code = code;
    this.field = field;
  }
}

/** Throws `INVALID_NUMBER` naming the first NaN/±∞ element of `values`. */
export function assertFinite(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new ScoringError(
        'INVALID_NUMBER',
        `${field}[${i}]`,
        `must be a finite number, got ${v}`,
      );
    }
  }
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function assertInt(value: number, field: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ScoringError(
      'OUT_OF_RANGE',
      field,
      `must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
}
