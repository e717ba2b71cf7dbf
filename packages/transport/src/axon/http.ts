// The axon's HTTP layer: a node:http server with the slow-client, header-size and connection
// bounds (admission in connections.ts), 4xx answers for malformed HTTP, and a size-capped body
// reader.
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import {
  ConnectionGate,
  type ConnectionRefusal,
  closingReply,
  installGate,
  lingerThenDestroy,
} from './connections.js';
import type { ResolvedAxonOptions } from './options.js';

/** `/<SynapseName>` with an optional trailing slash or query. */
const ROUTE_RE = /^\/([A-Za-z_][A-Za-z0-9_]*)\/?(?:\?.*)?$/;

/** The synapse name a request path addresses, or `undefined` when it names none. */
export function routeName(url: string | undefined): string | undefined {
  return ROUTE_RE.exec(url ?? '')?.[1];
}

/** Rejects `readBody` when the body passes the limit. */
export class BodyTooLarge extends Error {}

/** Rejects `readBody` when the bodies of all requests together would pass the budget. */
export class BodyOverBudget extends Error {}

/**
 * Request-body bytes held over every request at once (being read, parsed or served). A body is
 * counted from its first byte (its whole declared length up front) until its request ends, so
 * memory stays bounded by the budget, not by connections × `maxBodyBytes`.
 */
export class BodyBudget {
  #used = 0;
  constructor(readonly capacity: number) {}

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** Takes `n` bytes if they fit, else takes nothing and returns false. */
  take(n: number): boolean {
    if (this.#used + n > this.capacity) return false;
    this.#used += n;
    return true;
  }

  give(n: number): void {
    this.#used -= n;
  }
}

/** A body being read. */
export interface BodyRead {
  /** The whole body; rejects with `BodyTooLarge`, `BodyOverBudget` or a read error. */
  readonly body: Promise<Buffer>;
  /**
   * Stops reading (what follows is discarded as it arrives; `body` rejects if it was still
   * pending), drops what was read and gives its bytes back to the budget. Called when the
   * request ends; safe to call twice.
   */
  release(): void;
}

/**
 * Reads the whole body, failing with `BodyTooLarge` as soon as it passes `limit` bytes: the
 * chunks past the limit are never kept. A declared length (at most `limit`, checked by the
 * caller) is taken from the budget up front and read straight into one buffer of that size;
 * a chunked body takes its bytes chunk by chunk. Returns `undefined`, reading nothing, when the
 * declared length does not fit the budget.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  budget: BodyBudget,
  declared = 0,
): BodyRead | undefined {
  if (declared > 0 && !budget.take(declared)) return undefined;
  let held = declared;
  let size = 0;
  let whole: Buffer | undefined = declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
  let chunks: Buffer[] = [];
  let settled = false;
  let fail!: (err: Error) => void;
  const stop = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('aborted', onAborted);
    // Still flowing: what follows is read and dropped (or the connection closes).
    req.resume();
  };
  const drop = () => {
    whole = undefined;
    chunks = [];
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) return fail(new BodyTooLarge());
    if (size > held) {
      if (!budget.take(size - held)) return fail(new BodyOverBudget());
      held = size;
    }
    if (whole) chunk.copy(whole, size - chunk.length);
    else chunks.push(chunk);
  };
  let onEnd!: () => void;
  const onError = (err: Error) => fail(err);
  const onAborted = () => fail(new Error('request aborted'));
  const body = new Promise<Buffer>((resolve, reject) => {
    fail = (err) => {
      if (settled) return;
      settled = true;
      stop();
      drop();
      reject(err);
    };
    onEnd = () => {
      if (settled) return;
      settled = true;
      stop();
      const out = whole
        ? whole.subarray(0, size)
        : chunks.length === 1
          ? chunks[0]!
          : Buffer.concat(chunks, size);
      drop();
      resolve(out);
    };
  });
  req.on('data', onData);
  req.once('end', onEnd);
  req.once('error', onError);
  req.once('aborted', onAborted);
  return {
    body,
    release: () => {
      fail(new Error('request ended before its body was read'));
      budget.give(held);
      held = 0;
    },
  };
}

/** How long a closing connection still drops what its client sends (see `lingerOnClose`). */
export const LINGER_MS = 2_000;

/**
 * Makes the coming close of `socket` (after a reply with `connection: close`) a lingering one:
 * the reply goes out, the write side closes (FIN), and whatever the client still sends is read
 * and dropped until it closes its side or `ms` pass. Destroying the socket at once, with the rest
 * of a large body unread, makes the kernel answer with a reset, and a client still writing its
 * body often sees EPIPE or ECONNRESET instead of the 413 (or 503) it was sent.
 */
export function lingerOnClose(socket: Socket, ms = LINGER_MS): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    const timer = setTimeout(() => this.destroy(), ms);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.end();
    this.resume();
  };
}

const CLIENT_ERROR_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** A request or connection turned away below the pipeline (HTTP parser, timeouts, admission). */
export interface LowLevelRefusal {
  outcome: 'bad_request' | 'header_timeout' | ConnectionRefusal;
  /** The status answered; 0 when closed unanswered. */
  status: number;
  ip?: string;
}

/**
 * Malformed HTTP, oversized headers, headers not complete within `headersTimeoutMs`: answer
 * 4xx and close (what the client still sends is dropped for a moment, then the connection is
 * destroyed, even if the client keeps its side open); never crash.
 */
function answerClientError(
  err: NodeJS.ErrnoException,
  socket: Socket,
): LowLevelRefusal | undefined {
  socket.on('error', () => {});
  if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    // A reset or a vanished client, or a request already being answered (a body past
    // `requestTimeoutMs`, counted by its own exchange): nothing to answer.
    socket.destroy();
    return undefined;
  }
  // Node reports both of its timeouts as ERR_HTTP_REQUEST_TIMEOUT; with no request being
  // answered on the connection, the one that fired is the header deadline.
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const text = CLIENT_ERROR_TEXT[status]!;
  lingerThenDestroy(socket);
  socket.end(closingReply(status, text, text));
  return {
    outcome: status === 408 ? 'header_timeout' : 'bad_request',
    status,
    ...(socket.remoteAddress ? { ip: socket.remoteAddress } : {}),
  };
}

/**
 * How often node checks the header and request deadlines: a connection is cut between
 * `headersTimeoutMs` and `headersTimeoutMs` + this (10–11 s by default).
 */
export function deadlineCheckMs(headersTimeoutMs: number): number {
  return Math.min(1_000, Math.max(25, Math.floor(headersTimeoutMs / 10)));
}

/**
 * A node:http server bounded by the options, with connection admission in front of it (see
 * connections.ts); `onRefused` learns of every connection or malformed request turned away
 * below the pipeline.
 */
export function createAxonServer(
  o: ResolvedAxonOptions,
  onRequest: RequestListener,
  onRefused: (r: LowLevelRefusal) => void,
): { server: Server; gate: ConnectionGate } {
  const server = createServer(
    {
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      maxHeaderSize: o.maxHeaderBytes,
      connectionsCheckingInterval: deadlineCheckMs(o.headersTimeoutMs),
      noDelay: true,
    },
    onRequest,
  );
  // No `server.maxConnections`: node would close the connections past it unanswered (a reset
  // when the client has already written). The gate answers them instead.
  const gate = new ConnectionGate(
    {
      maxConnections: o.maxConnections,
      maxConnectionsPerIp: o.maxConnectionsPerIp,
      maxRefusing: MAX_REFUSING_FACTOR * o.maxConnections,
    },
    onRefused,
  );
  installGate(server, gate);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const refusal = answerClientError(err, socket);
    if (refusal) onRefused(refusal);
  });
  return { server, gate };
}

/**
 * Connections being refused at once, as a multiple of `maxConnections`; past it, more are
 * closed unanswered (`connection_dropped`). Each refusal lives at most `REFUSAL_LINGER_MS`.
 */
export const MAX_REFUSING_FACTOR = 4;

/** Listens, resolving once bound (rejecting if binding fails). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
