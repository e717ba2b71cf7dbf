// A stub HTTP server on 127.0.0.1 for tests of backends that call out (an OpenAI-compatible
// API, an image service): each test sets `handler`, reads what was sent in `seen`, and can wait
// for a request's connection to close (a cancelled or timed-out call must close it).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stub received it, its body read in full. */
export interface StubRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Answers a request whose body has been read in full. */
export type StubHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

export interface StubServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly base: string;
  /** The current test's answer; the default answers 500 so a missing handler shows. */
  handler: StubHandler;
  /** Every request since the last `reset()`, in order. */
  readonly seen: StubRequest[];
  /** One promise per request since the last `reset()`, resolved when its connection closes. */
  readonly closed: Promise<void>[];
  /** Drops every open connection and forgets what was seen (call it after each test). */
  reset(): void;
  close(): Promise<void>;
}

const NO_HANDLER: StubHandler = (_req, _body, res) => {
  res.writeHead(500, { 'content-type': 'text/plain' });
  res.end('stub server: no handler set for this test');
};

export async function startStubServer(handler: StubHandler = NO_HANDLER): Promise<StubServer> {
  const seen: StubRequest[] = [];
  const closed: Promise<void>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    closed.push(new Promise((resolve) => res.on('close', () => resolve())));
    // One connection per request: no keep-alive socket outlives a test (reset() closes them
    // all, and a pooled one would then fail the next test's request).
    res.shouldKeepAlive = false;
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      stub.handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stub: StubServer = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handler,
    seen,
    closed,
    reset() {
      server.closeAllConnections();
      seen.length = 0;
      closed.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}
