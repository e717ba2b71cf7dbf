import { SubnetkitError, type SubnetkitErrorOptions } from '@subnetkit/core';

/** Stable error codes raised by `@subnetkit/neuron`. */
export type NeuronErrorCode =
  /** A config schema uses a zod type the flag/env parser cannot read. */
  | 'CONFIG_SCHEMA'
  /** A flag the schema does not define. */
  | 'CONFIG_UNKNOWN_FLAG'
  /** A value (flag, env, file, default) fails the schema or cannot be read as its type. */
  | 'CONFIG_INVALID'
  /** The config file is missing, unreadable, not JSON, or has unknown keys. */
  | 'CONFIG_FILE'
  /** The state file is not valid JSON or fails the state schema. */
  | 'STATE_CORRUPT'
  /** The state file was written by a newer format version. */
  | 'STATE_VERSION'
  /** The state belongs to another netuid or hotkey. */
  | 'STATE_MISMATCH'
  /** Reading or writing a state, secret or evidence file failed. */
  | 'IO_ERROR'
  /** The validator secret file exists but is malformed. */
  | 'SECRET_INVALID'
  /** A function got an argument outside its domain (the message names it). */
  | 'INVALID_ARGUMENT'
  /** Work was offered after shutdown began. */
  | 'SHUTTING_DOWN'
  /** The chain went back (restarted, rolled back) or is another chain: the neuron stops. */
  | 'CHAIN_CHANGED'
  /** The wallet's hotkey file is missing or unreadable (the message says how to create it). */
  | 'WALLET_MISSING'
  /** The hotkey is not registered on the subnet (the message gives the command to register). */
  | 'NOT_REGISTERED'
  /** The axon cannot be published on chain (address refused, no external IP known …). */
  | 'AXON_PUBLISH'
  /** The coldkey's free balance is below the TAO to stake. */
  | 'INSUFFICIENT_BALANCE'
  /** The coldkey has less stake on the hotkey than the amount to remove. */
  | 'INSUFFICIENT_STAKE';

/** Where a config value came from. */
export type ConfigSourceKind = 'default' | 'program' | 'file' | 'env' | 'flag';

export interface ConfigSource {
  kind: ConfigSourceKind;
  /** `--neuron.sample_size`, `BT_WALLET_NAME`, `config.json: neuron.sample_size` … */
  name: string;
}

export type NeuronErrorDetails = {
  /** The dotted field (flag spelling, e.g. `neuron.sample_size`) when one is at fault. */
  field?: string;
  /** Where the offending value came from. */
  source?: ConfigSource;
  /** A file the error is about. */
  path?: string;
  /** Every problem when several were found at once (config validation). */
  problems?: string[];
};

/**
 * Every error this package raises: `code` is stable, `message` names what is wrong.
 *
 * `new NeuronError(code, message, { details?, cause? })`, as every `SubnetkitError` from
 * `@subnetkit/core`; `details` is always an object here (`{}` when none were given).
 *
 * The old shape `new NeuronError(code, message, details?, { cause? })` is still accepted
 * (deprecated): a third argument without a `details` or `cause` key is read as the details
 * (their keys, `field`/`source`/`path`/`problems`, never overlap those two).
 */
export class NeuronError extends SubnetkitError<NeuronErrorCode, NeuronErrorDetails> {
  declare readonly details: NeuronErrorDetails;

  constructor(
    code: NeuronErrorCode,
    message: string,
    options?: SubnetkitErrorOptions<NeuronErrorDetails>,
  );
  /** @deprecated Use `new NeuronError(code, message, { details, cause })`. */
  constructor(
    code: NeuronErrorCode,
    message: string,
    details: NeuronErrorDetails,
    options?: { cause?: unknown },
  );
  constructor(
    code: NeuronErrorCode,
    message: string,
    third: SubnetkitErrorOptions<NeuronErrorDetails> | NeuronErrorDetails = {},
    fourth?: { cause?: unknown },
  ) {
    const options: SubnetkitErrorOptions<NeuronErrorDetails> =
      fourth !== undefined || !isOptions(third)
        ? { ...fourth, details: third as NeuronErrorDetails }
        : third;
    super(code, message, { ...options, details: options.details ?? {} });
  }
}

function isOptions(
  value: SubnetkitErrorOptions<NeuronErrorDetails> | NeuronErrorDetails,
): value is SubnetkitErrorOptions<NeuronErrorDetails> {
  return 'details' in value || 'cause' in value;
}

export function isNeuronError(error: unknown, code?: NeuronErrorCode): error is NeuronError {
  return error instanceof NeuronError && (code === undefined || error.code === code);
}
