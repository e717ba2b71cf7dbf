// Failures on the dendrite's side and their SDK status codes (connection error → 503,
// timeout → 408, unparseable reply → 422, a cut stream → 400 like aiohttp's payload error).
import type { DendriteErrorCode } from './types.js';

/** A failed call: `status` becomes `dendrite.status_code`, `code` the result's `error`. */
export class Failure extends Error {
  constructor(
    readonly code: DendriteErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What the mapping needs to know about the call an error ended. */
export interface FailureContext {
  timedOut: boolean;
  aborted: boolean;
  /** The call timeout (s). */
  timeout: number;
  /** `ip:port/Name`, for the 503 message. */
  endpoint: string;
}

function textOf(err: unknown): string {
  return String((err as Error)?.message ?? err);
}

/** Any error of a call → its `Failure`; `fallback` names what an unknown error means here. */
export function toFailure(
  err: unknown,
  c: FailureContext,
  fallback: DendriteErrorCode = 'UNPARSEABLE_RESPONSE',
): Failure {
  if (err instanceof Failure) return err;
  if (c.timedOut) return new Failure('TIMEOUT', 408, `Request timeout after ${c.timeout} seconds`);
  if (c.aborted) return new Failure('CANCELLED', 408, 'Request aborted by the caller');
  const code =
    (err as { code?: string; cause?: { code?: string } })?.code ??
    (err as { cause?: { code?: string } })?.cause?.code;
  if (code && CONNECT_CODES.has(code)) {
    return new Failure('CONNECTION_FAILED', 503, `Service unavailable at ${c.endpoint}`);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new Failure('TIMEOUT', 408, `Request timeout after ${c.timeout} seconds`);
  }
  if (fallback === 'STREAM_CUT')
    return new Failure('STREAM_CUT', 400, `Payload error: ${textOf(err)}`);
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return new Failure('DISCONNECTED', 503, 'Service disconnected');
  }
  return new Failure(fallback, 422, `Failed to parse response: ${textOf(err)}`);
}
