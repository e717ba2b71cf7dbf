export type LocalnetErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_CONFIG'
  | 'SCALE_DECODE'
  | 'STATE_DISCARDED'
  | 'UNKNOWN_BLOCK'
  | 'CLOSED'
  | 'INTERNAL';

/** Every error localnet throws at its callers carries a stable `code`. */
export class LocalnetError extends Error {
  override readonly name = 'LocalnetError';
  constructor(
    readonly code: LocalnetErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class ScaleError extends LocalnetError {
  constructor(
    readonly what: string,
    detail: string,
  ) {
    super('SCALE_DECODE', `cannot decode ${what}: ${detail}`);
  }
}

/** Bad user input: names the field. */
export const invalidOption = (field: string, detail: string): LocalnetError =>
  new LocalnetError('INVALID_OPTION', `${field}: ${detail}`);
