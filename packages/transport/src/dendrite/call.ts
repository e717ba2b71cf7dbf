// One call to one axon: lane, nonce and deadline; sending the signed request; and turning
// every outcome, failures included, into a QueryResult.
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@subnetkit/core';
import type { Keypair } from '@subnetkit/wallet';
import type { Dispatcher } from 'undici';
import { WIRE_NAMES } from '../axon/options.js';
import type { AxonTarget, WireName } from '../axon/types.js';
import { TransportError } from '../errors.js';
import type { TransportMetricsHooks } from '../metrics.js';
import type { NonceClock } from '../nonce.js';
import { type AnySynapse, type OutputOf, parseFields, type TerminalInfo } from '../synapse.js';
import { parseTerminalHeaders } from '../synapse-headers.js';
import { Failure, toFailure } from './failure.js';
import type { UnaryDispatcher } from './h1-agent.js';
import type { Lane, Lanes } from './lanes.js';
import { hostOf, type Prepared, signedRequest, wireRequest } from './request.js';
import { type AxonCheck, axonFromHeaders, parseJson, readBody } from './response.js';
import type { CallOptions, DendriteErrorCode, QueryResult } from './types.js';
import { type Reply, UnaryExchange } from './unary.js';

/** What every call of one dendrite shares. */
export interface CallContext {
  keypair: Keypair;
  ip: string;
  version: number;
  clock: NonceClock;
  lanes: Lanes;
  /** Streaming calls (undici's `request`). */
  dispatcher: Dispatcher;
  /** Non-streaming calls. */
  unary: UnaryDispatcher;
  maxResponseBytes: number;
  axonCheck: AxonCheck;
  metrics: TransportMetricsHooks | undefined;
  logger: Logger;
  /** The wire of targets that name none. */
  wire: WireName;
}

interface ResultFields<S extends AnySynapse> {
  output?: OutputOf<S>;
  axon?: TerminalInfo;
  error?: DendriteErrorCode;
}

export class DendriteCall<S extends AnySynapse> {
  readonly #start = performance.now();
  readonly #target: string;
  readonly #lane: Lane;
  readonly #dendrite: TerminalInfo;
  readonly #timer: NodeJS.Timeout;
  readonly #onUserAbort: () => void;
  readonly #wire: WireName;
  #timedOut = false;
  /** Why the call was ended early (timeout, the caller's signal, `abort()`). */
  #cancelled: Error | undefined;
  /** The non-streaming exchange in flight. */
  #exchange: UnaryExchange | undefined;
  /** The streaming request's signal, made only for streams. */
  #controller: AbortController | undefined;
  #response: Promise<Dispatcher.ResponseData> | undefined;

  constructor(
    private readonly c: CallContext,
    private readonly axon: AxonTarget,
    private readonly def: S,
    private readonly prepared: Prepared<S>,
    private readonly options: CallOptions,
  ) {
    this.#wire = axon.wire ?? c.wire;
    if (!WIRE_NAMES.includes(this.#wire)) {
      throw new TransportError(
        'INVALID_OPTIONS',
        `dendrite: target ${axon.ip}:${axon.port}: unknown wire ${JSON.stringify(this.#wire)} (known: ${WIRE_NAMES.join(', ')})`,
      );
    }
    this.#target = `${axon.ip}:${axon.port}`;
    this.#lane = c.lanes.acquire(`${this.#target}/${axon.hotkey}`);
    this.#dendrite = {
      ip: c.ip,
      version: c.version,
      nonce: c.clock.next(),
      uuid: this.#lane.uuid,
      hotkey: c.keypair.ss58Address,
    };
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#cancel(new Error('timeout'));
    }, prepared.timeout * 1000);
    this.#onUserAbort = () => this.#cancel(options.signal?.reason ?? new Error('aborted'));
    // An 'abort' listener never fires for a signal that is already aborted.
    if (options.signal?.aborted) this.#onUserAbort();
    else options.signal?.addEventListener('abort', this.#onUserAbort, { once: true });
  }

  /** Stops the call (the caller gave up). */
  abort(): void {
    this.#cancel(new Error('cancelled'));
  }

  #cancel(reason: unknown): void {
    if (this.#cancelled) return;
    this.#cancelled = reason instanceof Error ? reason : new Error(String(reason));
    this.#exchange?.cancel(this.#cancelled);
    this.#controller?.abort(reason);
  }

  /** Any error of this call → its `Failure` (see `toFailure`). */
  mapError(err: unknown, fallback?: DendriteErrorCode): Failure {
    return toFailure(
      err,
      {
        timedOut: this.#timedOut,
        aborted: this.#cancelled !== undefined,
        timeout: this.prepared.timeout,
        endpoint: `${this.#target}/${this.def.name}`,
      },
      fallback,
    );
  }

  /** Sends the signed request and collects the whole reply (non-streaming calls). */
  exchange(): Promise<Reply> {
    if (this.#cancelled) return Promise.reject(this.mapError(this.#cancelled));
    const request = this.#request();
    if (request instanceof Failure) return Promise.reject(request);
    this.#exchange = new UnaryExchange(this.c.unary, request, this.c.maxResponseBytes);
    return this.#exchange.done.catch((err: unknown) => {
      throw this.mapError(err);
    });
  }

  /** Sends the signed request (once); resolves with the response head (streaming calls). */
  response(): Promise<Dispatcher.ResponseData> {
    if (this.#response) return this.#response;
    const request = this.#request();
    if (request instanceof Failure) {
      this.#response = Promise.reject(request);
      return this.#response;
    }
    this.#controller = new AbortController();
    if (this.#cancelled) this.#controller.abort(this.#cancelled);
    this.#response = this.c.dispatcher
      .request({ ...request, signal: this.#controller.signal })
      .catch((err: unknown) => {
        throw this.mapError(err);
      });
    return this.#response;
  }

  /** A non-200 streaming reply's body, read under the cap (unreadable: `body` undefined). */
  async replyOf(response: Dispatcher.ResponseData): Promise<Reply> {
    let body: Buffer | undefined;
    try {
      body = await readBody(response, this.c.maxResponseBytes, (err) => this.mapError(err));
    } catch (err) {
      if (err instanceof Failure && err.code === 'TIMEOUT') throw err;
      // An unreadable error body still leaves a meaningful status code.
    } finally {
      release(response);
    }
    return { statusCode: response.statusCode, headers: response.headers, body };
  }

  /** The signed request for this axon, or why it cannot be signed. */
  #request(): Dispatcher.DispatchOptions | Failure {
    const path = `/${this.def.name}`;
    let signed: { headers: Record<string, string>; body: string | Buffer };
    try {
      signed =
        this.#wire === 'synapse'
          ? signedRequest(this.c.keypair, this.def, this.prepared, this.#dendrite, this.axon)
          : wireRequest(this.c.keypair, this.def, this.prepared, this.#wire, this.axon, path);
    } catch (err) {
      // A target whose hotkey is no ss58 address cannot be signed for.
      const why = (err as Error)?.message ?? String(err);
      return new Failure(
        'BAD_TARGET',
        400,
        `Cannot sign for ${this.#target} (${this.#wire}): ${why}`,
      );
    }
    return {
      origin: `http://${hostOf(this.axon.ip)}:${this.axon.port}`,
      path,
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    };
  }

  /** The axon's terminal info from its headers, signature checked. */
  axonFromHeaders(headers: IncomingHttpHeaders, status: number, message?: string): TerminalInfo {
    if (this.#wire !== 'synapse') {
      // The signed wires define no reply headers and no reply signature.
      const known: TerminalInfo = {
        ip: this.axon.ip,
        port: this.axon.port,
        hotkey: this.axon.hotkey,
        status_code: status,
      };
      if (message !== undefined) known.status_message = message;
      return known;
    }
    return axonFromHeaders(headers, status, message, this.axon, this.c.axonCheck);
  }

  /** A 200 with a JSON synapse. */
  finishJson(reply: Reply): QueryResult<S> {
    const json = parseJson(reply.body);
    const axonTerm = this.axonFromHeaders(reply.headers, 200);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new Failure('UNPARSEABLE_RESPONSE', 422, 'Failed to parse response: not a JSON object');
    }
    const parsed = parseFields(this.def, this.def.output, json as Record<string, unknown>);
    if (!parsed.ok) {
      throw new Failure('INVALID_OUTPUT', 422, `Failed to parse response: ${parsed.error}`);
    }
    const message = axonTerm.status_message ?? 'Success';
    return this.#result(200, message, {
      output: parsed.value as OutputOf<S>,
      axon: { ...axonTerm, status_message: message },
    });
  }

  /** The axon's own non-200 answer: its code, and its `message` when it sent one. */
  finishError(reply: Reply): QueryResult<S> {
    let message = '';
    try {
      const json = parseJson(reply.body) as { message?: unknown; detail?: unknown } | null;
      if (json && typeof json === 'object' && typeof json.message === 'string')
        message = json.message;
      // FastAPI (Fiber, most btauth/Epistula servers) answers `{ detail }`.
      else if (json && typeof json === 'object' && typeof json.detail === 'string')
        message = json.detail;
    } catch {
      // An unreadable error body still leaves a meaningful status code.
    }
    const axonTerm = this.axonFromHeaders(reply.headers, reply.statusCode, message || undefined);
    return this.#result(reply.statusCode, axonTerm.status_message ?? message, { axon: axonTerm });
  }

  /** A stream read to its end: `process_time` comes from the trailer. */
  finishStream(response: Dispatcher.ResponseData, axonTerm: TerminalInfo): QueryResult<S> {
    const trailer = parseTerminalHeaders(response.trailers as IncomingHttpHeaders, 'axon').info;
    if (trailer.process_time !== undefined) axonTerm.process_time = trailer.process_time;
    const message = axonTerm.status_message ?? 'Success';
    return this.#result(200, message, { axon: { ...axonTerm, status_message: message } });
  }

  /** A failed call as a result (never thrown). */
  fail(err: unknown): QueryResult<S> {
    const failure = this.mapError(err);
    // A fan-out to many dead miners fails often: build the log record only when it is kept.
    if (!(err instanceof Failure) && (this.c.logger.isLevelEnabled?.('debug') ?? true)) {
      this.c.logger.debug(
        { err, target: this.#target, route: this.def.name },
        'dendrite call failed',
      );
    }
    return this.#result(failure.status, failure.message, { error: failure.code });
  }

  #cleanup(): void {
    this.#lane.release();
    clearTimeout(this.#timer);
    this.options.signal?.removeEventListener('abort', this.#onUserAbort);
  }

  #result(status: number, message: string, fields: ResultFields<S>): QueryResult<S> {
    this.#cleanup();
    const processTime = (performance.now() - this.#start) / 1000;
    const r: QueryResult<S> = {
      name: this.def.name,
      timeout: this.prepared.timeout,
      target: this.axon,
      wire: this.#wire,
      input: this.prepared.input,
      output: fields.output,
      dendrite: {
        ...this.#dendrite,
        status_code: status,
        status_message: message,
        process_time: processTime,
      },
      axon: fields.axon ?? { ip: this.axon.ip, port: this.axon.port, hotkey: this.axon.hotkey },
      ok: status === 200 && !fields.error,
      ...(fields.error ? { error: fields.error } : {}),
    };
    try {
      this.c.metrics?.onDendriteQuery?.({
        route: this.def.name,
        status,
        durationMs: processTime * 1000,
        target: this.#target,
        ...(fields.error ? { error: fields.error } : {}),
      });
    } catch (err) {
      this.c.logger.warn({ err }, 'metrics hook threw');
    }
    return r;
  }
}

function release(response: Dispatcher.ResponseData): void {
  if (!response.body.destroyed) response.body.destroy();
}
