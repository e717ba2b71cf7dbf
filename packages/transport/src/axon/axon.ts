// The axon: an HTTP server speaking the Python SDK's synapse protocol, strictly. This file
// holds its lifecycle (attach, start, drain and stop) and per-request bookkeeping; the pipeline
// in the SDK's order is in pipeline.ts, and each step in its own file next to it.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@subnetkit/core';
import type { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { TransportError } from '../errors.js';
import type { TransportMetricsHooks } from '../metrics.js';
import { NonceClock, NonceStore } from '../nonce.js';
import { RateLimiter } from '../ratelimit.js';
import { createInlineVerifier, HotkeyCache, type SignatureVerifier } from '../signing.js';
import { type AnySynapse, PingSynapse } from '../synapse.js';
import { createVerifierPool } from '../verifier-pool.js';
import type { ConnectionGate } from './connections.js';
import { type Exchange, internalErrorMessage, Rejection } from './exchange.js';
import { BodyBudget, createAxonServer, listen } from './http.js';
import {
  type AxonComponents,
  type AxonOptions,
  type ResolvedAxonOptions,
  resolveAxonOptions,
} from './options.js';
import { type PipelineParts, runPipeline } from './pipeline.js';
import { PriorityGate } from './queue.js';
import { ReplyWriter } from './reply.js';
import type { AxonTarget, Route, SynapseHandlers } from './types.js';
import { RequestVerifier } from './verify.js';
import { createWireVerifiers } from './wires.js';

export class Axon {
  readonly keypair: Keypair;
  readonly uuid = randomUUID();
  readonly #options: ResolvedAxonOptions;
  readonly #externalIp: string | undefined;
  readonly #externalPort: number | undefined;
  readonly #logger: Logger;
  readonly #metrics: TransportMetricsHooks | undefined;
  readonly #routes = new Map<string, Route>();
  readonly #nonces: NonceStore;
  readonly #replies: ReplyWriter;
  readonly #parts: PipelineParts;
  #server: Server | undefined;
  #gate: ConnectionGate | undefined;
  #verifier: SignatureVerifier | undefined;
  #inflight = 0;
  #draining = false;
  #drained: (() => void) | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: AxonOptions, components: AxonComponents = {}) {
    const o = resolveAxonOptions(options);
    this.keypair = o.keypair;
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
    const clock = new NonceClock();
    this.#replies = new ReplyWriter({
      version: o.version,
      uuid: this.uuid,
      hotkey: this.keypair.ss58Address,
      clock,
      defaultTimeoutS: o.defaultTimeoutS,
      logger: this.#logger,
      draining: () => this.#draining,
    });
    const verify = new RequestVerifier({
      keypair: this.keypair,
      uuid: this.uuid,
      options: o,
      nonces: this.#nonces,
      clock,
      hotkeys: new HotkeyCache(),
      logger: this.#logger,
      verifier: () => this.#verifier!,
    });
    this.#parts = {
      options: o,
      routes: this.#routes,
      draining: () => this.#draining,
      verify,
      wires: createWireVerifiers(o.keypair, o, components),
      rateLimiter: o.rateLimit ? new RateLimiter(o.rateLimit) : undefined,
      gate: new PriorityGate(o.maxConcurrency, o.maxQueue),
      bodies: new BodyBudget(o.maxBodyBytesInFlight),
      replies: this.#replies,
      logger: this.#logger,
    };
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
    const { server, gate } = createAxonServer(
      o,
      (req, res) => this.#handle(req, res),
      (refusal) => {
        try {
          this.#metrics?.onAxonRequest?.({ route: '', durationMs: 0, ...refusal });
        } catch (err) {
          this.#logger.warn({ err }, 'metrics hook threw');
        }
      },
    );
    await listen(server, o.port, o.host);
    this.#server = server;
    this.#gate = gate;
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

  /**
   * Connections admitted and open now (at most `maxConnections`), and those being turned away
   * (answered 429/503, closing).
   */
  get connections(): { open: number; refusing: number } {
    return { open: this.#gate?.open ?? 0, refusing: this.#gate?.refusing ?? 0 };
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
    this.#gate?.closeRefusing();
    await closed;
    clearInterval(this.#sweepTimer);
    await this.#verifier?.close();
    this.#server = undefined;
    this.#gate = undefined;
    this.#draining = false;
    this.#logger.info('axon stopped');
  }

  // --- request pipeline --------------------------------------------------------------------

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const ex: Exchange = { route: '', start: performance.now(), outcome: 'ok', status: 200 };
    this.#inflight++;
    res.once('close', () => {
      ex.releaseBody?.();
      this.#inflight--;
      if (!res.writableFinished && ex.outcome === 'ok') ex.outcome = 'client_closed';
      try {
        this.#metrics?.onAxonRequest?.({
          route: ex.route,
          status: ex.status,
          outcome: ex.outcome,
          durationMs: performance.now() - ex.start,
          ...(ex.hotkey ? { hotkey: ex.hotkey } : {}),
          ...(ex.wire ? { wire: ex.wire } : {}),
          ...(ex.reason ? { reason: ex.reason } : {}),
        });
      } catch (err) {
        this.#logger.warn({ err }, 'metrics hook threw');
      }
      if (this.#inflight === 0 && this.#drained) this.#drained();
    });
    let rest: Promise<void>;
    try {
      rest = runPipeline(req, res, ex, this.#parts);
    } catch (err) {
      this.#fail(res, ex, err);
      return;
    }
    rest.catch((err: unknown) => this.#fail(res, ex, err));
  }

  /** A request the pipeline turned away (a `Rejection`) or failed on. */
  #fail(res: ServerResponse, ex: Exchange, err: unknown): void {
    // A turned-away request keeps none of its body (what still arrives is dropped).
    ex.releaseBody?.();
    if (err instanceof Rejection) {
      this.#replies.reject(res, ex, err.status, err.outcome, err.message, err.close);
      return;
    }
    this.#logger.error({ err, route: ex.route }, 'axon internal error');
    if (!res.headersSent)
      this.#replies.reject(res, ex, 500, 'handler_error', internalErrorMessage());
    else res.destroy();
  }
}

/** Creates an axon (not yet listening: call `start()`). */
export function createAxon(options: AxonOptions, components: AxonComponents = {}): Axon {
  return new Axon(options, components);
}
