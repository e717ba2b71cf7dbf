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
import type { Lane, Lanes } from './lanes.js';
import { hostOf, type Prepared, signedRequest, wireRequest } from './request.js';
import { type AxonCheck, axonFromHeaders, readJson } from './response.js';
import type { CallOptions, DendriteErrorCode, QueryResult } from './types.js';

/** What every call of one dendrite shares. */
export interface CallContext {
  keypair: Keypair;
  ip: string;
  version: number;
  clock: NonceClock;
  lanes: Lanes;
  dispatcher: Dispatcher;
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
  readonly #abort = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #onUserAbort: () => void;
  readonly #wire: WireName;
  #timedOut = false;
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
      this.#abort.abort(new Error('timeout'));
    }, prepared.timeout * 1000);
    this.#onUserAbort = () => this.#abort.abort(options.signal?.reason);
    // An 'abort' listener never fires for a signal that is already aborted.
    if (options.signal?.aborted) this.#onUserAbort();
    else options.signal?.addEventListener('abort', this.#onUserAbort, { once: true });
  }

  /** Stops the call (the caller gave up). */
  abort(): void {
    this.#abort.abort(new Error('cancelled'));
  }

  /** Any error of this call → its `Failure` (see `toFailure`). */
  mapError(err: unknown, fallback?: DendriteErrorCode): Failure {
    return toFailure(
      err,
      {
        timedOut: this.#timedOut,
        aborted: this.#abort.signal.aborted,
        timeout: this.prepared.timeout,
        endpoint: `${this.#target}/${this.def.name}`,
      },
      fallback,
    );
  }

  /** Sends the signed request (once); resolves with the response head. */
  response(): Promise<Dispatcher.ResponseData> {
    if (this.#response) return this.#response;
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
      this.#response = Promise.reject(
        new Failure('BAD_TARGET', 400, `Cannot sign for ${this.#target} (${this.#wire}): ${why}`),
      );
      return this.#response;
    }
    const { headers, body } = signed;
    this.#response = this.c.dispatcher
      .request({
        origin: `http://${hostOf(this.axon.ip)}:${this.axon.port}`,
        path,
        method: 'POST',
        headers,
        body,
        signal: this.#abort.signal,
      })
      .catch((err: unknown) => {
        throw this.mapError(err);
      });
    return this.#response;
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
  async finishJson(response: Dispatcher.ResponseData): Promise<QueryResult<S>> {
    try {
      const json = await this.#readJson(response);
      const axonTerm = this.axonFromHeaders(response.headers, 200);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new Failure(
          'UNPARSEABLE_RESPONSE',
          422,
          'Failed to parse response: not a JSON object',
        );
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
    } finally {
      release(response);
    }
  }

  /** The axon's own non-200 answer: its code, and its `message` when it sent one. */
  async finishError(response: Dispatcher.ResponseData): Promise<QueryResult<S>> {
    try {
      let message = '';
      try {
        const json = (await this.#readJson(response)) as {
          message?: unknown;
          detail?: unknown;
        } | null;
        if (json && typeof json === 'object' && typeof json.message === 'string')
          message = json.message;
        // FastAPI (Fiber, most btauth/Epistula servers) answers `{ detail }`.
        else if (json && typeof json === 'object' && typeof json.detail === 'string')
          message = json.detail;
      } catch (err) {
        if (err instanceof Failure && err.code === 'TIMEOUT') throw err;
        // An unreadable error body still leaves a meaningful status code.
      }
      const axonTerm = this.axonFromHeaders(
        response.headers,
        response.statusCode,
        message || undefined,
      );
      return this.#result(response.statusCode, axonTerm.status_message ?? message, {
        axon: axonTerm,
      });
    } finally {
      release(response);
    }
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

  #readJson(response: Dispatcher.ResponseData): Promise<unknown> {
    return readJson(response, this.c.maxResponseBytes, (err) => this.mapError(err));
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
