import { SubnetkitError } from '@subnetkit/core';

/** Stable error codes raised by `@subnetkit/transport`. */
export type TransportErrorCode =
  /** A synapse definition uses a name, field or type the wire format cannot carry exactly. */
  | 'INVALID_SYNAPSE_DEFINITION'
  /** A hash field's zod type has no exact Python `str()` rendering (rejected at definition). */
  | 'UNSUPPORTED_HASH_TYPE'
  /** A value cannot be rendered the way Python would (e.g. a lone UTF-16 surrogate). */
  | 'UNREPRESENTABLE_VALUE'
  /** A dict with integer-like keys: JavaScript reorders them, Python keeps insertion order. */
  | 'AMBIGUOUS_DICT_ORDER'
  /** A request or response did not match the synapse schema. */
  | 'INVALID_SYNAPSE_DATA'
  /** Bad options passed to a factory. */
  | 'INVALID_OPTIONS'
  /** The synapse name is already attached to this axon. */
  | 'DUPLICATE_ROUTE'
  /** The axon is not running (or already stopped). */
  | 'NOT_RUNNING'
  /** The signature worker pool failed or was closed. */
  | 'VERIFY_POOL_FAILED';

/**
 * Every error this package raises: `code` is stable, `message` names what is wrong.
 * `new TransportError(code, message, { details?, cause? })`, as every `SubnetkitError`.
 */
export class TransportError extends SubnetkitError<TransportErrorCode> {}
