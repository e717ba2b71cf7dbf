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
  /** The wallet's hotkey file is missing or unreadable (the message says how to create it). */
  | 'WALLET_MISSING'
  /** The hotkey is not registered on the subnet (the message gives the command to register). */
  | 'NOT_REGISTERED'
  /** The axon cannot be published on chain (address refused, no external IP known …). */
  | 'AXON_PUBLISH';

/** Where a config value came from. */
export type ConfigSourceKind = 'default' | 'program' | 'file' | 'env' | 'flag';

export interface ConfigSource {
  kind: ConfigSourceKind;
  /** `--neuron.sample_size`, `BT_WALLET_NAME`, `config.json: neuron.sample_size` … */
  name: string;
}

export interface NeuronErrorDetails {
  /** The dotted field (flag spelling, e.g. `neuron.sample_size`) when one is at fault. */
  field?: string;
  /** Where the offending value came from. */
  source?: ConfigSource;
  /** A file the error is about. */
  path?: string;
  /** Every problem when several were found at once (config validation). */
  problems?: string[];
}

/** Every error this package raises: `code` is stable, `message` names what is wrong. */
export class NeuronError extends Error {
  override readonly name = 'NeuronError';
  readonly details: NeuronErrorDetails;
  constructor(
    readonly code: NeuronErrorCode,
    message: string,
    details: NeuronErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.details = details;
  }
}

export function isNeuronError(error: unknown, code?: NeuronErrorCode): error is NeuronError {
  return error instanceof NeuronError && (code === undefined || error.code === code);
}
