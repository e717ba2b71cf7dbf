// The dendrite's options and results.

import type { Logger } from '@subnetkit/core';
import type { Keypair } from '@subnetkit/wallet';
import type { Dispatcher } from 'undici';
import type { AxonTarget, WireName } from '../axon/types.js';
import type { TransportMetricsHooks } from '../metrics.js';
import type { AnySynapse, InputOf, OutputOf, TerminalInfo } from '../synapse.js';

/** Why a call failed on the dendrite's side (the axon's own codes are in `dendrite.status_code`). */
export type DendriteErrorCode =
  | 'CONNECTION_FAILED'
  | 'DISCONNECTED'
  | 'TIMEOUT'
  | 'RESPONSE_TOO_LARGE'
  | 'STREAM_TOO_LONG'
  | 'STREAM_CUT'
  | 'UNPARSEABLE_RESPONSE'
  | 'INVALID_OUTPUT'
  | 'BAD_AXON_SIGNATURE'
  | 'MISSING_AXON_SIGNATURE'
  | 'CANCELLED'
  /** The request could not be signed for the target (on a signed wire: its hotkey is no ss58). */
  | 'BAD_TARGET';

/** One axon's answer. Never thrown: failures are results with a status code. */
export interface QueryResult<S extends AnySynapse> {
  name: string;
  /** The call timeout (s), as sent. */
  timeout: number;
  target: AxonTarget;
  /** The wire the call went over. */
  wire: WireName;
  input: InputOf<S>;
  /** The axon's output fields, present when `ok`. */
  output: OutputOf<S> | undefined;
  /** `status_code`/`status_message`/`process_time` as the SDK sets them, plus what we sent. */
  dendrite: TerminalInfo & { status_code: number; status_message: string; process_time: number };
  /** What the axon reported about itself (headers), over what we knew. */
  axon: TerminalInfo;
  /** `dendrite.status_code === 200`. */
  ok: boolean;
  /** Set when the failure happened on our side. */
  error?: DendriteErrorCode;
}

export interface DendriteOptions {
  keypair: Keypair;
  /** The IP we announce in `bt_header_dendrite_ip` (the axon replaces it with the TCP peer). */
  ip?: string;
  /** `version_as_int` we announce (≥ 7002000 for timestamp nonces). */
  version?: number;
  /** Largest non-streaming response accepted (bytes). Default 16 MiB. */
  maxResponseBytes?: number;
  /** Largest streamed response accepted (bytes). Default 64 MiB. */
  maxStreamBytes?: number;
  /** Keep-alive connections per axon. Default 4. */
  connectionsPerAxon?: number;
  /**
   * The HTTP client of non-streaming calls: `h1`, the dendrite's own keep-alive HTTP/1.1 client
   * (the default: about half the CPU per call of undici's, see the README), or `undici`.
   * Streams always go over undici; with `components.dispatcher` every call does.
   */
  unaryClient?: 'h1' | 'undici';
  /** Idle keep-alive connections close after this. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Check `bt_header_axon_signature` when an axon sends one. Default true. */
  verifyAxonSignature?: boolean;
  /** Treat replies without an axon signature as failures (Python axons don't sign 200s). */
  requireAxonSignature?: boolean;
  /**
   * The wire spoken to targets that name none (`AxonTarget.wire`). Default `synapse`. On
   * btauth, Epistula and Fiber the body is the input fields as plain JSON, signed for the
   * target's hotkey, and the reply the output fields as plain JSON (unsigned on those wires).
   */
  wire?: WireName;
}

export interface DendriteComponents {
  logger?: Logger;
  metrics?: TransportMetricsHooks;
  /** An undici dispatcher to use instead of the dendrite's own keep-alive Agent. */
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  /** Seconds; covers connect, send, wait and the whole body (or stream). Default 12. */
  timeout?: number;
  signal?: AbortSignal;
}

/** A streamed call: iterate the chunks, then `await result` for the final synapse. */
export interface DendriteStream<S extends AnySynapse> extends AsyncIterable<string | Uint8Array> {
  /** Resolves when the stream is over (completed, failed or abandoned). */
  readonly result: Promise<QueryResult<S>>;
}
