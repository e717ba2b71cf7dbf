// The dendrite's own HTTP/1.1 client for non-streaming calls: keep-alive sockets per origin,
// one request per socket at a time, the request head written as one string and the reply
// parsed by h1-parser.ts. It speaks undici's handler API (`dispatch(options, handler)` with
// onRequestStart / onResponseStart / onResponseData / onResponseEnd / onResponseError), so
// UnaryExchange runs on it or on any undici dispatcher alike. It exists for cost: undici's
// general machinery (request objects, header validation per field, llhttp callbacks per header)
// was about half of a fan-out call's CPU besides sr25519.
import type { IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { ParseError, ResponseParser } from './h1-parser.js';

export interface H1AgentOptions {
  /** Sockets per origin at most; further requests wait for one. */
  connections: number;
  /** Idle sockets close after this unless the server's `Keep-Alive: timeout` says sooner. */
  keepAliveTimeoutMs: number;
  /** Cap on what a server's `Keep-Alive: timeout` may ask for. */
  keepAliveMaxTimeoutMs: number;
}

/** What UnaryExchange needs of a dispatcher. */
export type UnaryDispatcher = Pick<Dispatcher, 'dispatch'>;

/** Closed sockets and cut replies, with the code `toFailure` maps to DISCONNECTED. */
export class SocketClosed extends Error {
  readonly code = 'UND_ERR_SOCKET';
}

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE_RE = /[\r\n\0]/;
const PATH_RE = /^\/[\x21-\x7e]*$/;
/** Bodies up to this many characters go out in one string with the head (one write). */
const ONE_WRITE_MAX = 64 * 1024;
/** Closing idle sockets this long before the server's announced timeout, as undici does. */
const KEEP_ALIVE_THRESHOLD_MS = 2_000;

class Controller implements Dispatcher.DispatchController {
  aborted = false;
  paused = false;
  reason: Error | null = null;
  constructor(private readonly onAbort: (reason: Error) => void) {}
  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.onAbort(reason);
  }
  pause(): void {}
  resume(): void {}
}

/** One request from dispatch to its end. */
class Exchange {
  readonly controller: Controller;
  conn: Conn | undefined;
  #over = false;

  constructor(
    readonly head: string,
    readonly body: string | Buffer | undefined,
    readonly handler: Dispatcher.DispatchHandler,
    private readonly pool: OriginPool,
  ) {
    this.controller = new Controller((reason) => this.fail(reason));
  }

  get over(): boolean {
    return this.#over;
  }

  fail(err: Error): void {
    if (this.#over) return;
    this.#over = true;
    if (this.conn) this.conn.destroy();
    else this.pool.unqueue(this);
    this.handler.onResponseError?.(this.controller, err);
  }

  end(): void {
    if (this.#over) return;
    this.#over = true;
    this.handler.onResponseEnd?.(this.controller, {});
  }
}

class Conn {
  readonly socket: Socket;
  #exchange: Exchange | undefined;
  #parser: ResponseParser | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #idleMs: number;
  #dead = false;

  constructor(
    private readonly pool: OriginPool,
    host: string,
    port: number,
  ) {
    this.#idleMs = pool.options.keepAliveTimeoutMs;
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.socket.on('error', (err) => this.#onGone(err));
    this.socket.on('close', () => this.#onGone(new SocketClosed('other side closed')));
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** Sends `ex` on this socket (queued by node until it is connected). */
  run(ex: Exchange): void {
    clearTimeout(this.#idleTimer);
    ex.handler.onRequestStart?.(ex.controller, {});
    if (ex.over) {
      // Cancelled while it waited for a socket: nothing was sent, the socket stays good.
      this.#park();
      return;
    }
    this.#exchange = ex;
    ex.conn = this;
    this.#parser = new ResponseParser({
      head: (status, headers, keepAlive) => this.#onHead(status, headers, keepAlive),
      data: (chunk) => {
        if (!ex.over) ex.handler.onResponseData?.(ex.controller, chunk);
      },
      end: (keepAlive) => this.#onEnd(keepAlive),
    });
    if (ex.body === undefined) this.socket.write(ex.head);
    else if (typeof ex.body === 'string' && ex.body.length <= ONE_WRITE_MAX) {
      this.socket.write(ex.head + ex.body);
    } else {
      // A large body is not copied into one string with the head first.
      this.socket.cork();
      this.socket.write(ex.head);
      this.socket.write(ex.body);
      this.socket.uncork();
    }
  }

  destroy(): void {
    if (this.#dead) return;
    this.#dead = true;
    clearTimeout(this.#idleTimer);
    this.socket.destroy();
    this.pool.gone(this);
  }

  #onHead(status: number, headers: IncomingHttpHeaders, keepAlive: boolean): void {
    const hint = keepAlive ? keepAliveHintMs(headers['keep-alive']) : undefined;
    if (hint !== undefined) {
      this.#idleMs = Math.min(
        hint - KEEP_ALIVE_THRESHOLD_MS,
        this.pool.options.keepAliveMaxTimeoutMs,
      );
    }
    const ex = this.#exchange;
    if (ex && !ex.over) ex.handler.onResponseStart?.(ex.controller, status, headers, '');
  }

  #onEnd(keepAlive: boolean): void {
    const ex = this.#exchange;
    this.#exchange = undefined;
    this.#parser = undefined;
    if (keepAlive && this.#idleMs > 0 && !this.pool.closed) {
      ex?.end();
      this.#park();
    } else {
      this.destroy();
      ex?.end();
    }
  }

  /** Back to the pool, for the next waiting request or idle until `#idleMs` has passed. */
  #park(): void {
    this.#idleTimer = setTimeout(() => this.destroy(), this.#idleMs);
    this.#idleTimer.unref();
    this.pool.release(this);
  }

  #onData(chunk: Buffer): void {
    const parser = this.#parser;
    if (!parser) {
      // Bytes on an idle socket: nothing was asked, so nothing can be trusted on it.
      this.destroy();
      return;
    }
    try {
      parser.feed(chunk);
    } catch (err) {
      this.#exchange?.fail(err as Error);
      this.destroy();
    }
  }

  #onGone(err: Error): void {
    const ex = this.#exchange;
    const parser = this.#parser;
    // A body framed by the end of the connection is complete when it closes cleanly.
    if (ex && parser && !(err instanceof SocketClosed && parser.close())) ex.fail(err);
    this.#exchange = undefined;
    this.destroy();
  }
}

function keepAliveHintMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /timeout=(\d+)/i.exec(value);
  return m ? Number(m[1]) * 1000 : undefined;
}

class OriginPool {
  readonly #idle: Conn[] = [];
  readonly #queue: Exchange[] = [];
  #open = 0;
  readonly #host: string;
  readonly #port: number;
  readonly #hostHeader: string;

  constructor(
    readonly origin: string,
    readonly options: H1AgentOptions,
    private readonly agent: H1Agent,
  ) {
    const url = new URL(origin);
    if (url.protocol !== 'http:') throw new TypeError(`unsupported origin ${origin}`);
    this.#host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.#port = Number(url.port || 80);
    this.#hostHeader = url.host;
  }

  get closed(): boolean {
    return this.agent.closed;
  }

  get busy(): boolean {
    return this.#open > this.#idle.length || this.#queue.length > 0;
  }

  request(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    const body = opts.body as string | Buffer | null | undefined;
    if (body != null && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      throw new TypeError('the dendrite client sends string or Buffer bodies only');
    }
    if (!PATH_RE.test(opts.path))
      throw new TypeError(`invalid request path ${JSON.stringify(opts.path)}`);
    let head = `${opts.method} ${opts.path} HTTP/1.1\r\nhost: ${this.#hostHeader}\r\nconnection: keep-alive\r\n`;
    if (body != null) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
    const headers = (opts.headers ?? {}) as Record<string, string>;
    for (const name in headers) {
      const value = headers[name]!;
      if (!TOKEN_RE.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
      if (BAD_VALUE_RE.test(value)) throw new TypeError(`invalid ${name} header`);
      head += `${name}: ${value}\r\n`;
    }
    const ex = new Exchange(`${head}\r\n`, body ?? undefined, handler, this);
    const conn = this.#take();
    if (conn) conn.run(ex);
    else if (this.#open < this.options.connections) {
      this.#open++;
      new Conn(this, this.#host, this.#port).run(ex);
    } else this.#queue.push(ex);
  }

  #take(): Conn | undefined {
    for (let conn = this.#idle.pop(); conn; conn = this.#idle.pop()) {
      if (!conn.dead && !conn.socket.destroyed) return conn;
    }
    return undefined;
  }

  /** A socket finished its reply and may serve the next request. */
  release(conn: Conn): void {
    const next = this.#queue.shift();
    if (next) conn.run(next);
    else this.#idle.push(conn);
    this.agent.settle();
  }

  gone(conn: Conn): void {
    this.#open--;
    const i = this.#idle.indexOf(conn);
    if (i >= 0) this.#idle.splice(i, 1);
    const next = this.#queue.shift();
    if (next && !this.closed) {
      this.#open++;
      new Conn(this, this.#host, this.#port).run(next);
    } else if (next) {
      next.fail(new SocketClosed('dendrite closed'));
    }
    if (this.#open === 0 && this.#queue.length === 0) this.agent.forget(this.origin, this);
    this.agent.settle();
  }

  unqueue(ex: Exchange): void {
    const i = this.#queue.indexOf(ex);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  closeIdle(): void {
    for (const conn of this.#idle.splice(0)) conn.destroy();
  }
}

export class H1Agent implements UnaryDispatcher {
  readonly #pools = new Map<string, OriginPool>();
  #closed = false;
  #onSettled: (() => void) | undefined;

  constructor(private readonly options: H1AgentOptions) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** Origins with a socket open or a request waiting (for tests and diagnostics). */
  get origins(): number {
    return this.#pools.size;
  }

  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    try {
      if (this.#closed) throw new SocketClosed('dendrite closed');
      const origin = String(opts.origin);
      let pool = this.#pools.get(origin);
      if (!pool) {
        pool = new OriginPool(origin, this.options, this);
        this.#pools.set(origin, pool);
      }
      pool.request(opts, handler);
    } catch (err) {
      const controller = new Controller(() => {});
      handler.onResponseError?.(controller, err instanceof ParseError ? err : (err as Error));
    }
    return true;
  }

  /** Closes idle sockets now and the others once their replies are in. */
  close(): Promise<void> {
    this.#closed = true;
    for (const pool of this.#pools.values()) pool.closeIdle();
    return new Promise((resolve) => {
      this.#onSettled = resolve;
      this.settle();
    });
  }

  /** A pool with no socket left is dropped (axons come and go with the metagraph). */
  forget(origin: string, pool: OriginPool): void {
    if (this.#pools.get(origin) === pool) this.#pools.delete(origin);
  }

  /** Called when a socket is released or gone: resolves `close()` once nothing is busy. */
  settle(): void {
    if (!this.#closed || !this.#onSettled) return;
    for (const pool of this.#pools.values()) {
      pool.closeIdle();
      if (pool.busy) return;
    }
    const done = this.#onSettled;
    this.#onSettled = undefined;
    done();
  }
}
