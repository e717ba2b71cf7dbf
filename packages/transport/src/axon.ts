// The axon: an HTTP server speaking the Python SDK's synapse protocol, strictly.
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Keypair } from '@subnetkit/wallet';
import { type Logger, pino } from 'pino';
import { TransportError } from './errors.js';
import type { AxonOutcome, TransportMetricsHooks } from './metrics.js';
import { NonceClock, NonceStore } from './nonce.js';
import { pyFloatRepr } from './pyrepr.js';
import { RateLimiter, type RateLimitOptions } from './ratelimit.js';
import {
  axonMessage,
  createInlineVerifier,
  createVerifierPool,
  HotkeyCache,
  parseSignature,
  requestMessage,
  type SignatureVerifier,
  type VerifyOutcome,
} from './signing.js';
import {
  type AnySynapse,
  computeBodyHash,
  DEFAULT_TIMEOUT_S,
  encodeSynapseBody,
  encodeSynapseHeaders,
  headerSafe,
  type InputOf,
  type OutputInitOf,
  PingSynapse,
  PROTOCOL_VERSION,
  parseFields,
  parseFloatHeader,
  parseTerminalHeaders,
  type SynapseDefinition,
  type TerminalInfo,
  terminalHeaders,
} from './synapse.js';

const utf8 = new TextEncoder();

/** The verified caller of a request, as the handlers see it. */
export interface CallerInfo extends TerminalInfo {
  hotkey: string;
  uuid: string;
  nonce: bigint;
  /** TCP peer address (the header value is replaced, as the SDK does). */
  ip: string;
  port: number;
}

/** What blacklist functions see: header-derived data only (the body is not read yet). */
export interface RequestInfo {
  /** The synapse (route) name. */
  name: string;
  /** The caller's hotkey as claimed (not yet verified when blacklist runs). */
  dendrite: CallerInfo;
  /** The call timeout in seconds (the caller's, capped by `maxTimeoutS`). */
  timeout: number;
  headers: IncomingHttpHeaders;
}

/** What handlers see: the verified request plus an AbortSignal (timeout or caller gone). */
export interface HandlerContext extends RequestInfo {
  signal: AbortSignal;
}

export type BlacklistVerdict =
  | boolean
  | readonly [blacklisted: boolean, reason: string]
  | { blacklisted: boolean; reason?: string };

export type StreamChunk = string | Uint8Array;

type ForwardResult<S extends AnySynapse> = S['streaming'] extends true
  ? AsyncIterable<StreamChunk>
  : OutputInitOf<S>;

export interface SynapseHandlers<S extends AnySynapse> {
  /** Answers a verified request. Streaming synapses return an async iterable of chunks. */
  forward(input: InputOf<S>, ctx: HandlerContext): ForwardResult<S> | Promise<ForwardResult<S>>;
  /** Runs before verification (SDK order); true → 403. */
  blacklist?(info: RequestInfo): BlacklistVerdict | Promise<BlacklistVerdict>;
  /** Extra verification after the built-in one (which always runs); throwing → 401. */
  verify?(input: InputOf<S>, info: RequestInfo): void | Promise<void>;
  /** Higher runs first when requests have to queue. */
  priority?(input: InputOf<S>, info: RequestInfo): number | Promise<number>;
}

export interface AxonOptions {
  /** The miner's hotkey: requests must be addressed (signed) to it; replies are signed by it. */
  keypair: Keypair;
  /** Bind address (the SDK always binds 0.0.0.0). */
  host?: string;
  /** Port; 0 picks a free one. Default 8091. */
  port?: number;
  /** Announced in `info()`; defaults to host/port. */
  externalIp?: string;
  externalPort?: number;
  /** Largest request body accepted (413 above). Default 8 MiB. */
  maxBodyBytes?: number;
  /** Largest header block (node answers 431 above). Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Time for a client to send its headers (slowloris bound). Default 10 s. */
  headersTimeoutMs?: number;
  /** Time for a client to send the whole request. Default 30 s. */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this. Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** Open connections at most; more are refused at accept. Default 1024. */
  maxConnections?: number;
  /** Handlers running at once. Default 64. */
  maxConcurrency?: number;
  /** Verified requests waiting for a handler slot; more get 503. Default 256. */
  maxQueue?: number;
  /** Timeout when the caller sends none. Default 12 s. */
  defaultTimeoutS?: number;
  /** Caps the caller's timeout (handler deadline and nonce window). Default 60 s. */
  maxTimeoutS?: number;
  /** Nonce window: age allowed beyond the timeout (SDK: 4000 ms) and future skew allowed. */
  nonceDeltaMs?: number;
  nonceMaxFutureMs?: number;
  nonceMaxEntries?: number;
  /** Requests per caller hotkey (429 above), or false. Default 50/s, burst 100. */
  rateLimit?: RateLimitOptions | false;
  /** Signature checks on worker threads (0 = inline on the event loop). */
  verifyWorkers?: number;
  /** `version_as_int` we announce. */
  version?: number;
  /** Whether to serve the SDK's default `/Synapse` ping. Default true. */
  ping?: boolean;
}

export interface AxonComponents {
  logger?: Logger;
  metrics?: TransportMetricsHooks;
}

/**
 * Signature checks (and the reply's countersignature) run on one worker thread by default. In
 * bench/run.ts on the 2-core reference VM, one or two workers beat inline verification in every
 * run (the event loop keeps parsing HTTP while the second core does the sr25519 work); see the
 * README for the numbers. Use 0 for inline checks (e.g. many axons in one process), more on
 * machines with cores to spare.
 */
export const DEFAULT_VERIFY_WORKERS = 1;

/** On-chain style description of where an axon is, for dendrites. */
export interface AxonTarget {
  ip: string;
  port: number;
  hotkey: string;
}

interface Route {
  def: AnySynapse;
  handlers: SynapseHandlers<AnySynapse>;
}

interface Waiter {
  priority: number;
  seq: number;
  resolve: (granted: boolean) => void;
  timer: NodeJS.Timeout;
}

class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly outcome: AxonOutcome,
    message: string,
  ) {
    super(message);
  }
}

class BodyTooLarge extends Error {}

/** Per-request state shared by the pipeline steps. */
interface Exchange {
  route: string;
  start: number;
  outcome: AxonOutcome;
  status: number;
  hotkey?: string;
  dendrite?: TerminalInfo;
  timeout?: number;
  axonNonce?: bigint;
  axonSignature?: string;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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

const ROUTE_RE = /^\/([A-Za-z_][A-Za-z0-9_]*)\/?(?:\?.*)?$/;

export class Axon {
  readonly keypair: Keypair;
  readonly uuid = randomUUID();
  readonly #options: Required<
    Omit<AxonOptions, 'externalIp' | 'externalPort' | 'rateLimit' | 'verifyWorkers'>
  > & { rateLimit: RateLimitOptions | false; verifyWorkers: number };
  readonly #externalIp: string | undefined;
  readonly #externalPort: number | undefined;
  readonly #logger: Logger;
  readonly #metrics: TransportMetricsHooks | undefined;
  readonly #routes = new Map<string, Route>();
  readonly #nonces: NonceStore;
  readonly #clock = new NonceClock();
  readonly #hotkeys = new HotkeyCache();
  readonly #rateLimiter: RateLimiter | undefined;
  #server: Server | undefined;
  #verifier: SignatureVerifier | undefined;
  #inflight = 0;
  #draining = false;
  #drained: (() => void) | undefined;
  #active = 0;
  #waiting: Waiter[] = [];
  #seq = 0;
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: AxonOptions, components: AxonComponents = {}) {
    if (!options?.keypair?.hasSecret) {
      throw new TransportError(
        'INVALID_OPTIONS',
        'axon: options.keypair must be a keypair with a secret key',
      );
    }
    this.keypair = options.keypair;
    const o = {
      host: options.host ?? '0.0.0.0',
      port: options.port ?? 8091,
      maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
      maxHeaderBytes: options.maxHeaderBytes ?? 16 * 1024,
      headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 5_000,
      maxConnections: options.maxConnections ?? 1024,
      maxConcurrency: options.maxConcurrency ?? 64,
      maxQueue: options.maxQueue ?? 256,
      defaultTimeoutS: options.defaultTimeoutS ?? DEFAULT_TIMEOUT_S,
      maxTimeoutS: options.maxTimeoutS ?? 60,
      nonceDeltaMs: options.nonceDeltaMs ?? 4_000,
      nonceMaxFutureMs: options.nonceMaxFutureMs ?? 4_000,
      nonceMaxEntries: options.nonceMaxEntries ?? 200_000,
      rateLimit: options.rateLimit ?? { perSecond: 50, burst: 100 },
      verifyWorkers: options.verifyWorkers ?? DEFAULT_VERIFY_WORKERS,
      version: options.version ?? PROTOCOL_VERSION,
      ping: options.ping ?? true,
      keypair: options.keypair,
    };
    for (const key of [
      'maxBodyBytes',
      'maxHeaderBytes',
      'headersTimeoutMs',
      'requestTimeoutMs',
      'maxConnections',
      'maxConcurrency',
      'defaultTimeoutS',
      'maxTimeoutS',
    ] as const) {
      if (!(Number.isFinite(o[key]) && o[key] > 0)) {
        throw new TransportError(
          'INVALID_OPTIONS',
          `axon: options.${key} must be a positive number`,
        );
      }
    }
    if (!(Number.isInteger(o.verifyWorkers) && o.verifyWorkers >= 0)) {
      throw new TransportError(
        'INVALID_OPTIONS',
        'axon: options.verifyWorkers must be an integer ≥ 0',
      );
    }
    this.#options = o;
    this.#externalIp = options.externalIp;
    this.#externalPort = options.externalPort;
    this.#logger = components.logger ?? pino({ name: 'axon' });
    this.#metrics = components.metrics;
    this.#nonces = new NonceStore({
      allowedDeltaNs: BigInt(Math.round(o.nonceDeltaMs * 1e6)),
      maxFutureNs: BigInt(Math.round(o.nonceMaxFutureMs * 1e6)),
      maxTimeoutS: o.maxTimeoutS,
      maxEntries: o.nonceMaxEntries,
    });
    this.#rateLimiter = o.rateLimit ? new RateLimiter(o.rateLimit) : undefined;
    if (o.ping) this.attach(PingSynapse, { forward: () => ({}) });
  }

  /** Serves `def` at `/<def.name>` (GET and POST, as the SDK does). */
  attach<S extends AnySynapse>(def: S, handlers: SynapseHandlers<S>): this {
    if (this.#routes.has(def.name)) {
      throw new TransportError('DUPLICATE_ROUTE', `axon: synapse ${def.name} is already attached`);
    }
    if (typeof handlers?.forward !== 'function') {
      throw new TransportError(
        'INVALID_OPTIONS',
        `axon: handlers.forward for ${def.name} must be a function`,
      );
    }
    this.#routes.set(def.name, {
      def,
      handlers: handlers as unknown as SynapseHandlers<AnySynapse>,
    });
    return this;
  }

  /** Starts listening; resolves once bound. */
  async start(): Promise<this> {
    if (this.#server) return this;
    const o = this.#options;
    this.#verifier =
      o.verifyWorkers > 0
        ? await createVerifierPool({ size: o.verifyWorkers, signer: this.keypair })
        : createInlineVerifier(this.keypair);
    const server = createServer(
      {
        headersTimeout: o.headersTimeoutMs,
        requestTimeout: o.requestTimeoutMs,
        keepAliveTimeout: o.keepAliveTimeoutMs,
        maxHeaderSize: o.maxHeaderBytes,
        connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs),
        noDelay: true,
      },
      (req, res) => this.#handle(req, res),
    );
    server.maxConnections = o.maxConnections;
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Malformed HTTP, oversized headers, slow clients: answer 4xx and close, never crash.
      if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
        socket.destroy();
        return;
      }
      const status =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? 431
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? 408
            : 400;
      const text =
        status === 431
          ? 'Request Header Fields Too Large'
          : status === 408
            ? 'Request Timeout'
            : 'Bad Request';
      const body = JSON.stringify({ message: text });
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      this.#metrics?.onAxonRequest?.({ route: '', status, outcome: 'bad_request', durationMs: 0 });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#sweepTimer = setInterval(() => this.#nonces.sweep(), 30_000);
    this.#sweepTimer.unref();
    this.#logger.info({ port: this.port, routes: [...this.#routes.keys()] }, 'axon listening');
    return this;
  }

  /** The bound port (after start). */
  get port(): number {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new TransportError('NOT_RUNNING', 'axon is not listening');
    return address.port;
  }

  /** Requests being processed (including queued ones). */
  get inflight(): number {
    return this.#inflight;
  }

  /** Where dendrites reach this axon. */
  info(): AxonTarget & { version: number } {
    const host = this.#options.host;
    return {
      ip: this.#externalIp ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host),
      port: this.#externalPort ?? this.port,
      hotkey: this.keypair.ss58Address,
      version: this.#options.version,
    };
  }

  /**
   * Graceful shutdown: stop accepting, let in-flight requests finish (up to `graceMs`, default
   * 10 s), then close every connection and the verifier workers.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.#inflight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.graceMs ?? 10_000);
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    server.closeAllConnections();
    await closed;
    clearInterval(this.#sweepTimer);
    await this.#verifier?.close();
    this.#server = undefined;
    this.#draining = false;
    this.#logger.info('axon stopped');
  }

  // --- request pipeline --------------------------------------------------------------------

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const ex: Exchange = { route: '', start: performance.now(), outcome: 'ok', status: 200 };
    this.#inflight++;
    res.once('close', () => {
      this.#inflight--;
      if (!res.writableFinished && ex.outcome === 'ok') ex.outcome = 'client_closed';
      try {
        this.#metrics?.onAxonRequest?.({
          route: ex.route,
          status: ex.status,
          outcome: ex.outcome,
          durationMs: performance.now() - ex.start,
          ...(ex.hotkey ? { hotkey: ex.hotkey } : {}),
        });
      } catch (err) {
        this.#logger.warn({ err }, 'metrics hook threw');
      }
      if (this.#inflight === 0 && this.#drained) this.#drained();
    });
    this.#pipeline(req, res, ex).catch((err: unknown) => {
      if (err instanceof Rejection) {
        this.#reject(res, ex, err.status, err.outcome, err.message);
        return;
      }
      this.#logger.error({ err, route: ex.route }, 'axon internal error');
      if (!res.headersSent)
        this.#reject(res, ex, 500, 'handler_error', `Internal Server Error #${randomUUID()}`);
      else res.destroy();
    });
  }

  async #pipeline(req: IncomingMessage, res: ServerResponse, ex: Exchange): Promise<void> {
    const o = this.#options;
    const match = ROUTE_RE.exec(req.url ?? '');
    const route = match ? this.#routes.get(match[1]!) : undefined;
    if (!route)
      throw new Rejection(404, 'not_found', `Synapse name '${match?.[1] ?? req.url}' not found`);
    ex.route = route.def.name;
    if (req.method !== 'POST' && req.method !== 'GET') {
      throw new Rejection(405, 'method_not_allowed', `Method ${req.method} not allowed`);
    }
    if (this.#draining) throw new Rejection(503, 'shutting_down', 'Axon is shutting down');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > o.maxBodyBytes) {
      throw new Rejection(413, 'body_too_large', `Request body over ${o.maxBodyBytes} bytes`);
    }
    const bodyPromise = readBody(req, o.maxBodyBytes);
    bodyPromise.catch(() => {});

    // Headers → caller info. Unsigned or malformed auth headers are always 401.
    const headers = req.headers;
    const timeoutText = headers.timeout;
    let timeout = o.defaultTimeoutS;
    if (timeoutText !== undefined) {
      const t = parseFloatHeader(Array.isArray(timeoutText) ? undefined : timeoutText);
      if (t === undefined || !Number.isFinite(t) || t <= 0) {
        throw new Rejection(400, 'bad_request', 'Header "timeout" is not a positive number');
      }
      timeout = Math.min(t, o.maxTimeoutS);
    }
    ex.timeout = timeout;
    const { info: dendrite, errors } = parseTerminalHeaders(headers, 'dendrite');
    dendrite.ip = req.socket.remoteAddress ?? '';
    dendrite.port = req.socket.remotePort ?? 0;
    ex.dendrite = dendrite;
    if (!dendrite.hotkey)
      throw new Rejection(401, 'unsigned', 'Not Verified with error: missing dendrite hotkey');
    ex.hotkey = dendrite.hotkey;
    const bodyHashHeader = headers.computed_body_hash;
    const missing = [
      dendrite.nonce === undefined && 'nonce',
      !dendrite.uuid && 'uuid',
      !dendrite.signature && 'signature',
      typeof bodyHashHeader !== 'string' && 'computed_body_hash',
    ].filter(Boolean);
    if (errors.length > 0 || missing.length > 0) {
      const why = errors.length > 0 ? errors.join('; ') : `missing ${missing.join(', ')}`;
      throw new Rejection(401, 'unsigned', `Not Verified with error: ${why}`);
    }
    const caller = dendrite as CallerInfo;
    const info: RequestInfo = { name: route.def.name, dendrite: caller, timeout, headers };

    // Blacklist (403), on headers only, as the SDK does.
    if (route.handlers.blacklist) {
      const verdict = await route.handlers.blacklist(info);
      const [blacklisted, reason] =
        typeof verdict === 'boolean'
          ? [verdict, '']
          : Array.isArray(verdict)
            ? verdict
            : [
                (verdict as { blacklisted: boolean }).blacklisted,
                (verdict as { reason?: string }).reason ?? '',
              ];
      if (blacklisted)
        throw new Rejection(403, 'blacklisted', `Forbidden. Key is blacklisted: ${reason}.`);
    }

    // Verify (401): nonce window, signature addressed to *our* hotkey, then body hash.
    const endpointKey = `${caller.hotkey}:${caller.uuid}`;
    const early = this.#nonces.check(endpointKey, caller.nonce, timeout);
    if (early) throw new Rejection(401, 'stale_nonce', `Not Verified with error: ${early}`);
    const publicKey = this.#hotkeys.publicKey(caller.hotkey);
    const signature = parseSignature(caller.signature);
    if (!publicKey || !signature) {
      throw new Rejection(
        401,
        'bad_signature',
        'Not Verified with error: malformed hotkey or signature',
      );
    }
    const bodyHash = bodyHashHeader as string;
    const message = requestMessage(
      caller.nonce,
      caller.hotkey,
      this.keypair.ss58Address,
      caller.uuid,
      bodyHash,
    );
    ex.axonNonce = this.#clock.next();
    const countersign = utf8.encode(
      axonMessage(ex.axonNonce, caller.hotkey, this.keypair.ss58Address, this.uuid),
    );
    let outcome: VerifyOutcome;
    try {
      outcome = await this.#verifier!.run(
        { message: utf8.encode(message), signature, publicKey, countersign },
        endpointKey,
      );
    } catch (err) {
      this.#logger.warn({ err }, 'verifier pool failed; verifying inline');
      outcome = await createInlineVerifier(this.keypair).run(
        { message: utf8.encode(message), signature, publicKey, countersign },
        endpointKey,
      );
    }
    if (!outcome.ok)
      throw new Rejection(401, 'bad_signature', 'Not Verified with error: Signature mismatch');
    ex.axonSignature = outcome.countersignature
      ? `0x${Buffer.from(outcome.countersignature).toString('hex')}`
      : undefined;

    let raw: Buffer;
    try {
      raw = await bodyPromise;
    } catch (err) {
      if (err instanceof BodyTooLarge)
        throw new Rejection(413, 'body_too_large', `Request body over ${o.maxBodyBytes} bytes`);
      throw new Rejection(400, 'client_closed', 'Request body not received');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new Rejection(400, 'bad_request', 'Request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Rejection(400, 'bad_request', 'Request body must be a JSON object');
    }
    const parsed = parseFields(route.def, route.def.input, body as Record<string, unknown>);
    if (!parsed.ok)
      throw new Rejection(400, 'bad_request', `Invalid ${route.def.name}: ${parsed.error}`);
    const input = parsed.value as Record<string, unknown>;
    let recomputed: string;
    try {
      const values: Record<string, unknown> = { ...input };
      for (const f of route.def.compiled.outputFields)
        values[f] = (body as Record<string, unknown>)[f];
      recomputed = computeBodyHash(route.def, values);
    } catch (err) {
      throw new Rejection(
        400,
        'bad_request',
        `Cannot hash ${route.def.name}: ${(err as Error).message}`,
      );
    }
    if (recomputed !== bodyHash) {
      throw new Rejection(
        401,
        'bad_body_hash',
        'Not Verified with error: body hash does not match computed_body_hash',
      );
    }
    const late = this.#nonces.commit(endpointKey, caller.nonce, timeout);
    if (late) {
      throw new Rejection(
        late === 'NONCE_STORE_FULL' ? 503 : 401,
        'stale_nonce',
        `Not Verified with error: ${late}`,
      );
    }
    if (route.handlers.verify) {
      try {
        await route.handlers.verify(input, info);
      } catch (err) {
        throw new Rejection(
          401,
          'bad_signature',
          `Not Verified with error: ${(err as Error)?.message ?? err}`,
        );
      }
    }

    // Rate limit per verified hotkey (429).
    if (this.#rateLimiter && !this.#rateLimiter.take(caller.hotkey)) {
      throw new Rejection(429, 'rate_limited', 'Too many requests from this hotkey');
    }

    // Priority (503 queue full, 408 waited past the timeout).
    const deadline = ex.start + timeout * 1000;
    const priority = route.handlers.priority
      ? Number(await route.handlers.priority(input, info))
      : 0;
    const granted = await this.#acquire(Number.isFinite(priority) ? priority : 0, deadline);
    if (granted === 'full')
      throw new Rejection(503, 'overloaded', 'Service at capacity, try again later');
    if (granted === 'timeout')
      throw new Rejection(408, 'queue_timeout', `Response timeout after: ${timeout}s`);

    // Forward (408 past the deadline, 500 when the handler throws).
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.#release();
      }
    };
    const abort = new AbortController();
    const onClose = () => abort.abort(new Error('client closed the connection'));
    res.once('close', onClose);
    const remaining = Math.max(0, deadline - performance.now());
    const timer = setTimeout(() => abort.abort(new Error('handler timeout')), remaining);
    const ctx: HandlerContext = { ...info, signal: abort.signal };
    try {
      const aborted = new Promise<never>((_, reject) =>
        abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true }),
      );
      aborted.catch(() => {});
      let result: unknown;
      try {
        result = await Promise.race([
          Promise.resolve().then(() => route.handlers.forward(input, ctx)),
          aborted,
        ]);
      } catch (err) {
        if (abort.signal.aborted) {
          if (res.destroyed) return;
          throw new Rejection(408, 'handler_timeout', `Response timeout after: ${timeout}s`);
        }
        this.#logger.error({ err, route: ex.route, hotkey: caller.hotkey }, 'handler threw');
        throw new Rejection(500, 'handler_error', `Internal Server Error #${randomUUID()}`);
      }
      if (route.def.streaming) {
        await this.#stream(
          res,
          ex,
          route.def,
          input,
          result as AsyncIterable<StreamChunk>,
          abort.signal,
        );
        return;
      }
      const out = route.def.output.safeParse(result ?? {});
      if (!out.success) {
        this.#logger.error(
          { route: ex.route, issues: out.error.issues },
          'handler returned an invalid output',
        );
        throw new Rejection(500, 'handler_error', `Internal Server Error #${randomUUID()}`);
      }
      this.#respond(res, ex, route.def, { ...input, ...(out.data as Record<string, unknown>) });
    } finally {
      clearTimeout(timer);
      res.off('close', onClose);
      release();
    }
  }

  #acquire(priority: number, deadline: number): Promise<'ok' | 'full' | 'timeout'> | 'ok' | 'full' {
    if (this.#active < this.#options.maxConcurrency) {
      this.#active++;
      return 'ok';
    }
    if (this.#waiting.length >= this.#options.maxQueue) return 'full';
    return new Promise((resolve) => {
      const waiter: Waiter = {
        priority,
        seq: this.#seq++,
        resolve: (granted) => resolve(granted ? 'ok' : 'timeout'),
        timer: setTimeout(
          () => {
            const i = this.#waiting.indexOf(waiter);
            if (i >= 0) this.#waiting.splice(i, 1);
            waiter.resolve(false);
          },
          Math.max(0, deadline - performance.now()),
        ),
      };
      // Keep the queue ordered: higher priority first, then arrival order.
      let i = this.#waiting.length;
      while (i > 0 && this.#waiting[i - 1]!.priority < priority) i--;
      this.#waiting.splice(i, 0, waiter);
    });
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(true);
    } else {
      this.#active--;
    }
  }

  /** bt_header_axon_* for our replies. The signature only exists once the caller is verified. */
  #axonInfo(ex: Exchange, status: number, message: string, processTime?: number): TerminalInfo {
    return {
      status_code: status,
      status_message: message,
      ...(processTime !== undefined ? { process_time: processTime } : {}),
      version: this.#options.version,
      nonce: ex.axonNonce ?? this.#clock.next(),
      uuid: this.uuid,
      hotkey: this.keypair.ss58Address,
      ...(ex.axonSignature ? { signature: ex.axonSignature } : {}),
    };
  }

  #reject(
    res: ServerResponse,
    ex: Exchange,
    status: number,
    outcome: AxonOutcome,
    message: string,
  ): void {
    ex.status = status;
    ex.outcome = outcome;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      name: ex.route || 'Synapse',
      timeout: pyFloatRepr(ex.timeout ?? this.#options.defaultTimeoutS),
    };
    terminalHeaders(
      'axon',
      this.#axonInfo(ex, status, message, (performance.now() - ex.start) / 1000),
      headers,
    );
    if (ex.dendrite) terminalHeaders('dendrite', ex.dendrite, headers);
    if (status === 413 || status === 400 || this.#draining) headers.connection = 'close';
    const body = JSON.stringify({ message });
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(status, headers);
    res.end(body);
  }

  #respond(
    res: ServerResponse,
    ex: Exchange,
    def: AnySynapse,
    values: Record<string, unknown>,
  ): void {
    if (res.destroyed) return;
    const processTime = (performance.now() - ex.start) / 1000;
    const axon = this.#axonInfo(ex, 200, 'Success', processTime);
    const env = {
      timeout: ex.timeout ?? this.#options.defaultTimeoutS,
      dendrite: ex.dendrite,
      axon,
    };
    let bodyHash: string;
    try {
      bodyHash = computeBodyHash(def, values);
    } catch (err) {
      this.#logger.error({ err, route: ex.route }, 'cannot hash the handler output');
      this.#reject(res, ex, 500, 'handler_error', `Internal Server Error #${randomUUID()}`);
      return;
    }
    const body = encodeSynapseBody(def, values, env);
    const headers = encodeSynapseHeaders(def, values, {
      ...env,
      bodyHash,
      totalSize: Buffer.byteLength(body),
    });
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    if (this.#draining) headers.connection = 'close';
    ex.status = 200;
    res.writeHead(200, headers);
    res.end(body);
  }

  async #stream(
    res: ServerResponse,
    ex: Exchange,
    def: AnySynapse,
    input: Record<string, unknown>,
    source: AsyncIterable<StreamChunk>,
    signal: AbortSignal,
  ): Promise<void> {
    if (
      !source ||
      typeof (source as AsyncIterable<StreamChunk>)[Symbol.asyncIterator] !== 'function'
    ) {
      this.#logger.error({ route: ex.route }, 'streaming handler did not return an async iterable');
      throw new Rejection(500, 'handler_error', `Internal Server Error #${randomUUID()}`);
    }
    const axon = this.#axonInfo(ex, 200, 'Success');
    const env = {
      timeout: ex.timeout ?? this.#options.defaultTimeoutS,
      dendrite: ex.dendrite,
      axon,
    };
    const values = { ...def.compiled.outputRequestValues, ...input };
    const headers = encodeSynapseHeaders(def, values, {
      ...env,
      bodyHash: computeBodyHash(def, values),
    });
    headers['content-type'] = 'text/event-stream';
    // The total time is only known at the end: it travels as an HTTP trailer.
    headers.trailer = 'bt_header_axon_process_time';
    ex.status = 200;
    res.writeHead(200, headers);
    const iterator = source[Symbol.asyncIterator]();
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    try {
      for (;;) {
        const step = await Promise.race([iterator.next(), aborted]);
        if (step === 'aborted') {
          ex.outcome = res.destroyed ? 'client_closed' : 'handler_timeout';
          res.destroy();
          return;
        }
        if (step.done) break;
        const chunk = step.value;
        if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
          throw new TypeError('stream chunks must be strings or Uint8Arrays');
        }
        if (!res.write(chunk)) {
          const drained = await Promise.race([
            new Promise<'drain'>((resolve) => res.once('drain', () => resolve('drain'))),
            aborted,
          ]);
          if (drained === 'aborted') {
            ex.outcome = res.destroyed ? 'client_closed' : 'handler_timeout';
            res.destroy();
            return;
          }
        }
      }
      res.addTrailers({
        bt_header_axon_process_time: pyFloatRepr((performance.now() - ex.start) / 1000),
      });
      res.end();
    } catch (err) {
      // Headers are gone: the only honest signal left is to cut the stream (no final chunk).
      this.#logger.error({ err, route: ex.route }, 'streaming handler failed mid-stream');
      ex.outcome = 'stream_error';
      res.destroy();
    } finally {
      if (ex.outcome !== 'ok') void Promise.resolve(iterator.return?.()).catch(() => {});
    }
  }
}

/** Creates an axon (not yet listening: call `start()`). */
export function createAxon(options: AxonOptions, components: AxonComponents = {}): Axon {
  return new Axon(options, components);
}

export type { SynapseDefinition };
export { headerSafe };
