/** Structured facts about an error (the offending `field`, a `path`, a `txHash` …). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/** The third argument of every subnetkit error constructor. */
export interface SubnetkitErrorOptions<Details extends ErrorDetails = ErrorDetails> {
  /** Structured facts for programs and logs; the message already says them in words. */
  details?: Details;
  /** The underlying failure (standard `ErrorOptions.cause`). */
  cause?: unknown;
}

/** What {@link SubnetkitError.toJSON} returns: one log-friendly record. */
export interface SubnetkitErrorJSON {
  name: string;
  code: string;
  message: string;
  details?: ErrorDetails;
}

/**
 * Marks subnetkit errors so {@link isSubnetkitError} also recognises one created by another
 * copy of this package (e.g. `dist/` and `src/` loaded in the same process).
 */
const BRAND = Symbol.for('@subnetkit/core/SubnetkitError');

/**
 * The base class of every error a subnetkit package throws.
 *
 * One constructor shape everywhere: `new XError(code, message, { details?, cause? })`.
 * `code` is stable (programs branch on it), `message` says what is wrong in words, `details`
 * carries the same facts for programs (e.g. `{ field: 'netuid' }`), `cause` is the standard
 * `Error.cause`. `name` is the subclass's name (`'ChainError'`, `'WalletError'` …).
 *
 * A package subclasses it with its own code union:
 *
 * ```ts
 * export class WalletError extends SubnetkitError<WalletErrorCode> {}
 * ```
 *
 * A second type parameter types `details` (`SubnetkitError<ChainErrorCode, ChainErrorDetails>`);
 * it must be a type alias, not an interface (interfaces are not `Record<string, unknown>`).
 */
export class SubnetkitError<
  Code extends string = string,
  Details extends ErrorDetails = ErrorDetails,
> extends Error {
  readonly code: Code;
  declare readonly details?: Details;

  constructor(code: Code, message: string, options: SubnetkitErrorOptions<Details> = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    });
    Object.defineProperty(this, BRAND, { value: true });
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }

  /** `{ name, code, message, details }`: what a log line or a JSON reply should carry. */
  toJSON(): SubnetkitErrorJSON {
    const json: SubnetkitErrorJSON = { name: this.name, code: this.code, message: this.message };
    if (this.details !== undefined) json.details = this.details;
    return json;
  }
}

/**
 * True when `error` is a {@link SubnetkitError} (of any package), and, when `code` is given,
 * has that code.
 */
export function isSubnetkitError<Code extends string = string>(
  error: unknown,
  code?: Code,
): error is SubnetkitError<Code> {
  const branded =
    error instanceof SubnetkitError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[BRAND] === true);
  return branded && (code === undefined || (error as SubnetkitError).code === code);
}
