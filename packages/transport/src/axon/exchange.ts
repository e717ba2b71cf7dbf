// Per-request state shared by the pipeline steps, and the rejection that ends a request early.
import { randomUUID } from 'node:crypto';
import type { AxonOutcome } from '../metrics.js';
import type { TerminalInfo } from '../synapse.js';
import type { WireName } from './types.js';

/** Per-request state shared by the pipeline steps. */
export interface Exchange {
  route: string;
  start: number;
  outcome: AxonOutcome;
  status: number;
  hotkey?: string;
  dendrite?: TerminalInfo;
  timeout?: number;
  axonNonce?: bigint;
  axonSignature?: string;
  /** The request's wire, once told from its headers (replies then follow that wire). */
  wire?: WireName;
  /** Replies carry no `bt_header_*` (every wire but synapse, and requests of no known wire). */
  plain?: boolean;
  /** The wire module's refusal code, when a wire verifier refused the request. */
  reason?: string;
  /** Ends the body read and gives its bytes back to the budget (set once reading started). */
  releaseBody?: () => void;
}

/**
 * Thrown by a pipeline step: answered with `status` and `{ message }`, counted as `outcome`;
 * `close` asks to close the connection (its body will not be read).
 * An expected answer, not a fault: it carries no stack trace, whose capture was the largest
 * single cost of turning away an unsigned request.
 */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly outcome: AxonOutcome,
    message: string,
    readonly close = false,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** The SDK's 500 message: a fresh id to find in the logs, never the error itself. */
export function internalErrorMessage(): string {
  return `Internal Server Error #${randomUUID()}`;
}

/** A 500 for a handler that threw or answered wrongly. */
export function handlerError(): Rejection {
  return new Rejection(500, 'handler_error', internalErrorMessage());
}

/** `Not Verified with error: …` (the SDK's 401 wording). */
export function notVerified(outcome: AxonOutcome, why: string, status = 401): Rejection {
  return new Rejection(status, outcome, `Not Verified with error: ${why}`);
}

/** 503 when the bodies in flight would pass `maxBodyBytesInFlight` (the connection closes). */
export function overBudget(limit: number): Rejection {
  return new Rejection(
    503,
    'overloaded',
    `Service at capacity: request bodies in flight would pass ${limit} bytes, try again later`,
    true,
  );
}
