// The axon's HTTP layer: a node:http server with the slow-client, header-size and connection
// bounds, 4xx answers for malformed HTTP, and a size-capped body reader.
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ResolvedAxonOptions } from './options.js';

/** `/<SynapseName>` with an optional trailing slash or query. */
const ROUTE_RE = /^\/([A-Za-z_][A-Za-z0-9_]*)\/?(?:\?.*)?$/;

/** The synapse name a request path addresses, or `undefined` when it names none. */
export function routeName(url: string | undefined): string | undefined {
  return ROUTE_RE.exec(url ?? '')?.[1];
}

/** Rejects `readBody` when the body passes the limit. */
export class BodyTooLarge extends Error {}

/** Reads the whole body, failing with `BodyTooLarge` as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}

const CLIENT_ERROR_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Malformed HTTP, oversized headers, slow clients: answer 4xx and close, never crash. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): number | undefined {
  if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return undefined;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const text = CLIENT_ERROR_TEXT[status]!;
  const body = JSON.stringify({ message: text });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  return status;
}

/**
 * A node:http server bounded by the options; `onClientError` learns the status of every
 * malformed request answered at the HTTP level.
 */
export function createAxonServer(
  o: ResolvedAxonOptions,
  onRequest: RequestListener,
  onClientError: (status: number) => void,
): Server {
  const server = createServer(
    {
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      maxHeaderSize: o.maxHeaderBytes,
      connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs),
      noDelay: true,
    },
    onRequest,
  );
  server.maxConnections = o.maxConnections;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const status = answerClientError(err, socket);
    if (status !== undefined) onClientError(status);
  });
  return server;
}

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
