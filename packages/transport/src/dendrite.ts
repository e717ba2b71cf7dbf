// The dendrite: a client that signs synapses, fans them out to many axons over keep-alive
// connections (undici), and turns every outcome — including failures — into a result.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Keypair } from '@subnetkit/wallet';
import { type Logger, pino } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import type { AxonTarget } from './axon.js';
import { TransportError } from './errors.js';
import type { TransportMetricsHooks } from './metrics.js';
import { NonceClock } from './nonce.js';
import {
  axonMessage,
  HotkeyCache,
  parseSignature,
  requestMessage,
  verifyWrapped,
} from './signing.js';
import {
  type AnySynapse,
  computeBodyHash,
  DEFAULT_TIMEOUT_S,
  encodeFieldsJson,
  encodeSynapseBody,
  encodeSynapseHeaders,
  type InputInitOf,
  type InputOf,
  type OutputOf,
  PROTOCOL_VERSION,
  parseFields,
  parseTerminalHeaders,
  requestValues,
  type TerminalInfo,
} from './synapse.js';

const utf8 = new TextEncoder();

/** Why a call failed on the dendrite's side (the axon's own codes are in `dendrite.status_code`). */
export type DendriteErrorCode =
  | 'CONNECTION_FAILED'
  | 'DISCONNECTED'
  | 'TIMEOUT'
  | 'RESPONSE_TOO_LARGE'
  | 'STREAM_TOO_LONG'
  | 'STREAM_CUT'
  | 'UNPARSEABLE_RESPONSE'
  | 'INVALID_OUTPUT'
  | 'BAD_AXON_SIGNATURE'
  | 'MISSING_AXON_SIGNATURE'
  | 'CANCELLED';

/** One axon's answer. Never thrown: failures are results with a status code. */
export interface QueryResult<S extends AnySynapse> {
  name: string;
  /** The call timeout (s), as sent. */
  timeout: number;
  target: AxonTarget;
  input: InputOf<S>;
  /** The axon's output fields, present when `ok`. */
  output: OutputOf<S> | undefined;
  /** `status_code`/`status_message`/`process_time` as the SDK sets them, plus what we sent. */
  dendrite: TerminalInfo & { status_code: number; status_message: string; process_time: number };
  /** What the axon reported about itself (headers), over what we knew. */
  axon: TerminalInfo;
  /** `dendrite.status_code === 200`. */
  ok: boolean;
  /** Set when the failure happened on our side. */
  error?: DendriteErrorCode;
}

export interface DendriteOptions {
  keypair: Keypair;
  /** The IP we announce in `bt_header_dendrite_ip` (the axon replaces it with the TCP peer). */
  ip?: string;
  /** `version_as_int` we announce (≥ 7002000 for timestamp nonces). */
  version?: number;
  /** Largest non-streaming response accepted (bytes). Default 16 MiB. */
  maxResponseBytes?: number;
  /** Largest streamed response accepted (bytes). Default 64 MiB. */
  maxStreamBytes?: number;
  /** Keep-alive connections per axon. Default 4. */
  connectionsPerAxon?: number;
  /** Idle keep-alive connections close after this. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Check `bt_header_axon_signature` when an axon sends one. Default true. */
  verifyAxonSignature?: boolean;
  /** Treat replies without an axon signature as failures (Python axons don't sign 200s). */
  requireAxonSignature?: boolean;
}

export interface DendriteComponents {
  logger?: Logger;
  metrics?: TransportMetricsHooks;
  /** An undici dispatcher to use instead of the dendrite's own keep-alive Agent. */
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  /** Seconds; covers connect, send, wait and the whole body (or stream). Default 12. */
  timeout?: number;
  signal?: AbortSignal;
}

/** A streamed call: iterate the chunks, then `await result` for the final synapse. */
export interface DendriteStream<S extends AnySynapse> extends AsyncIterable<string | Uint8Array> {
  /** Resolves when the stream is over (completed, failed or abandoned). */
  readonly result: Promise<QueryResult<S>>;
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

interface Prepared<S extends AnySynapse> {
  timeout: number;
  input: InputOf<S>;
  values: Record<string, unknown>;
  bodyHash: string;
  fieldsJson: string;
}

class Failure extends Error {
  constructor(
    readonly code: DendriteErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function hostOf(ip: string): string {
  return ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? undefined : v;
}

export class Dendrite {
  readonly keypair: Keypair;
  /** One per instance, like the SDK's `uuid1()`. */
  readonly uuid = randomUUID();
  readonly #ip: string;
  readonly #version: number;
  readonly #maxResponseBytes: number;
  readonly #maxStreamBytes: number;
  readonly #verifyAxon: boolean;
  readonly #requireAxon: boolean;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #logger: Logger;
  readonly #metrics: TransportMetricsHooks | undefined;
  readonly #clock = new NonceClock();
  readonly #hotkeys = new HotkeyCache();
  /** Busy "lanes" per axon: see #acquireLane. */
  readonly #lanes = new Map<string, Set<number>>();

  constructor(options: DendriteOptions, components: DendriteComponents = {}) {
    if (!options?.keypair?.hasSecret) {
      throw new TransportError(
        'INVALID_OPTIONS',
        'dendrite: options.keypair must be a keypair with a secret key',
      );
    }
    this.keypair = options.keypair;
    this.#ip = options.ip ?? '127.0.0.1';
    this.#version = options.version ?? PROTOCOL_VERSION;
    this.#maxResponseBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
    this.#maxStreamBytes = options.maxStreamBytes ?? 64 * 1024 * 1024;
    this.#verifyAxon = options.verifyAxonSignature ?? true;
    this.#requireAxon = options.requireAxonSignature ?? false;
    this.#logger = components.logger ?? pino({ name: 'dendrite' });
    this.#metrics = components.metrics;
    this.#ownsDispatcher = !components.dispatcher;
    this.#dispatcher =
      components.dispatcher ??
      new Agent({
        connections: options.connectionsPerAxon ?? 4,
        pipelining: 1,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
        keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? 30_000, 60_000),
        connect: { noDelay: true },
      });
  }

  /**
   * Sends `input` as synapse `def` to every axon at once and resolves with one result per
   * axon, in order. One axon's failure is its result's status, never an exception.
   */
  async query<S extends AnySynapse>(
    axons: readonly AxonTarget[],
    def: S,
    input: InputInitOf<S>,
    options: CallOptions = {},
  ): Promise<QueryResult<S>[]> {
    const prepared = this.#prepare(def, input, options);
    return Promise.all(axons.map((axon) => this.#call(axon, def, prepared, options)));
  }

  /** One axon. */
  async call<S extends AnySynapse>(
    axon: AxonTarget,
    def: S,
    input: InputInitOf<S>,
    options: CallOptions = {},
  ): Promise<QueryResult<S>> {
    return this.#call(axon, def, this.#prepare(def, input, options), options);
  }

  /**
   * A streaming call: yields the chunks as they arrive (strings by default, bytes with
   * `decode: 'bytes'`), then `result` resolves to the final synapse. The timeout covers the
   * whole stream; a stream over `maxStreamBytes` is cut and reported.
   */
  stream<S extends AnySynapse>(
    axon: AxonTarget,
    def: S,
    input: InputInitOf<S>,
    options: CallOptions & { decode?: 'text' | 'bytes' } = {},
  ): DendriteStream<S> {
    const prepared = this.#prepare(def, input, options);
    let resolveResult!: (r: QueryResult<S>) => void;
    const result = new Promise<QueryResult<S>>((resolve) => {
      resolveResult = resolve;
    });
    const self = this;
    const generator = async function* () {
      const run = self.#start(axon, def, prepared, options);
      let finished = false;
      let bytes = 0;
      const decoder =
        options.decode === 'bytes' ? undefined : new TextDecoder('utf-8', { fatal: false });
      try {
        const response = await run.response();
        if (response.statusCode !== 200) {
          resolveResult(await run.finishError(response));
          finished = true;
          return;
        }
        let axonTerm: TerminalInfo;
        try {
          axonTerm = run.axonFromHeaders(response.headers, 200);
        } catch (err) {
          response.body.destroy();
          throw err;
        }
        try {
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            bytes += chunk.length;
            if (bytes > self.#maxStreamBytes) {
              throw new Failure(
                'STREAM_TOO_LONG',
                422,
                `Failed to parse response: stream over ${self.#maxStreamBytes} bytes`,
              );
            }
            if (decoder) {
              const text = decoder.decode(chunk, { stream: true });
              if (text) yield text;
            } else {
              yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
            }
          }
        } catch (err) {
          throw run.mapError(err, 'STREAM_CUT');
        }
        if (decoder) {
          const tail = decoder.decode();
          if (tail) yield tail;
        }
        resolveResult(run.finishStream(response, axonTerm));
        finished = true;
      } catch (err) {
        resolveResult(run.fail(err));
        finished = true;
      } finally {
        if (!finished) {
          // The caller stopped iterating early.
          run.abort();
          resolveResult(run.fail(new Failure('CANCELLED', 499, 'Stream cancelled by the caller')));
        }
      }
    };
    const iterable = generator();
    return {
      result,
      [Symbol.asyncIterator]: () => iterable,
    };
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /**
   * Concurrent calls to one axon travel on several connections and may arrive out of order;
   * an axon then rejects the later-arriving smaller nonce (the SDK has this problem). Each
   * in-flight call to an axon therefore takes a lane with its own uuid (`uuid`, `uuid-1`, ...):
   * a lane carries one call at a time, so per (hotkey, uuid) nonces arrive strictly increasing.
   */
  #acquireLane(key: string): { uuid: string; release: () => void } {
    let busy = this.#lanes.get(key);
    if (!busy) {
      busy = new Set();
      this.#lanes.set(key, busy);
    }
    let lane = 0;
    while (busy.has(lane)) lane++;
    busy.add(lane);
    const set = busy;
    let released = false;
    return {
      uuid: lane === 0 ? this.uuid : `${this.uuid}-${lane}`,
      release: () => {
        if (released) return;
        released = true;
        set.delete(lane);
        if (set.size === 0) this.#lanes.delete(key);
      },
    };
  }

  #prepare<S extends AnySynapse>(def: S, input: InputInitOf<S>, options: CallOptions): Prepared<S> {
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_S;
    if (!(Number.isFinite(timeout) && timeout > 0)) {
      throw new TransportError(
        'INVALID_OPTIONS',
        `dendrite: timeout must be a positive number of seconds, got ${timeout}`,
      );
    }
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TransportError(
        'INVALID_SYNAPSE_DATA',
        `${def.name}: field "${issue?.path.join('.')}": ${issue?.message ?? 'invalid'}`,
      );
    }
    const parsedInput = parsed.data as InputOf<S>;
    const values = requestValues(def, parsedInput as Record<string, unknown>);
    // Errors here (unrepresentable values) concern every axon alike: they are thrown.
    const bodyHash = computeBodyHash(def, values);
    return {
      timeout,
      input: parsedInput,
      values,
      bodyHash,
      fieldsJson: encodeFieldsJson(def, values),
    };
  }

  #call<S extends AnySynapse>(
    axon: AxonTarget,
    def: S,
    prepared: Prepared<S>,
    options: CallOptions,
  ): Promise<QueryResult<S>> {
    const run = this.#start(axon, def, prepared, options);
    return run
      .response()
      .then((response) =>
        response.statusCode === 200 ? run.finishJson(response) : run.finishError(response),
      )
      .catch((err: unknown) => run.fail(err));
  }

  /** Everything one request needs: signing, sending, and turning the outcome into a result. */
  #start<S extends AnySynapse>(
    axon: AxonTarget,
    def: S,
    prepared: Prepared<S>,
    options: CallOptions,
  ) {
    const start = performance.now();
    const { timeout } = prepared;
    const target = `${axon.ip}:${axon.port}`;
    const lane = this.#acquireLane(`${target}/${axon.hotkey}`);
    const nonce = this.#clock.next();
    const dendrite: TerminalInfo = {
      ip: this.#ip,
      version: this.#version,
      nonce,
      uuid: lane.uuid,
      hotkey: this.keypair.ss58Address,
    };
    const axonInfo: TerminalInfo = { ip: axon.ip, port: axon.port, hotkey: axon.hotkey };
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error('timeout'));
    }, timeout * 1000);
    const onUserAbort = () => abort.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onUserAbort, { once: true });
    const cleanup = () => {
      lane.release();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onUserAbort);
    };

    const result = (
      status: number,
      message: string,
      fields: { output?: OutputOf<S>; axon?: TerminalInfo; error?: DendriteErrorCode },
    ): QueryResult<S> => {
      cleanup();
      const processTime = (performance.now() - start) / 1000;
      const r: QueryResult<S> = {
        name: def.name,
        timeout,
        target: axon,
        input: prepared.input,
        output: fields.output,
        dendrite: {
          ...dendrite,
          status_code: status,
          status_message: message,
          process_time: processTime,
        },
        axon: fields.axon ?? axonInfo,
        ok: status === 200 && !fields.error,
        ...(fields.error ? { error: fields.error } : {}),
      };
      try {
        this.#metrics?.onDendriteQuery?.({
          route: def.name,
          status,
          durationMs: processTime * 1000,
          target,
          ...(fields.error ? { error: fields.error } : {}),
        });
      } catch (err) {
        this.#logger.warn({ err }, 'metrics hook threw');
      }
      return r;
    };

    const mapError = (
      err: unknown,
      fallback: DendriteErrorCode = 'UNPARSEABLE_RESPONSE',
    ): Failure => {
      if (err instanceof Failure) return err;
      if (timedOut) return new Failure('TIMEOUT', 408, `Request timeout after ${timeout} seconds`);
      if (abort.signal.aborted)
        return new Failure('CANCELLED', 408, 'Request aborted by the caller');
      const code =
        (err as { code?: string; cause?: { code?: string } })?.code ??
        (err as { cause?: { code?: string } })?.cause?.code;
      if (code && CONNECT_CODES.has(code)) {
        return new Failure(
          'CONNECTION_FAILED',
          503,
          `Service unavailable at ${target}/${def.name}`,
        );
      }
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        return new Failure('TIMEOUT', 408, `Request timeout after ${timeout} seconds`);
      }
      if (fallback === 'STREAM_CUT')
        return new Failure(
          'STREAM_CUT',
          400,
          `Payload error: ${String((err as Error)?.message ?? err)}`,
        );
      if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
        return new Failure('DISCONNECTED', 503, 'Service disconnected');
      }
      return new Failure(
        fallback,
        422,
        `Failed to parse response: ${String((err as Error)?.message ?? err)}`,
      );
    };

    /** Merges the axon's headers over what we knew and checks its signature. */
    const axonFromHeaders = (
      headers: IncomingHttpHeaders,
      status: number,
      message?: string,
    ): TerminalInfo => {
      const { info } = parseTerminalHeaders(headers, 'axon');
      const merged: TerminalInfo = { ...axonInfo, ...info, status_code: status };
      if (message !== undefined) merged.status_message = message;
      if (this.#verifyAxon && info.signature !== undefined) {
        const sig = parseSignature(info.signature);
        const key = this.#hotkeys.publicKey(axon.hotkey);
        const valid =
          sig !== undefined &&
          key !== undefined &&
          info.nonce !== undefined &&
          info.uuid !== undefined &&
          verifyWrapped(
            utf8.encode(axonMessage(info.nonce, this.keypair.ss58Address, axon.hotkey, info.uuid)),
            sig,
            key,
          );
        if (!valid)
          throw new Failure(
            'BAD_AXON_SIGNATURE',
            422,
            'Failed to parse response: axon signature does not verify',
          );
      } else if (this.#requireAxon && info.signature === undefined) {
        throw new Failure(
          'MISSING_AXON_SIGNATURE',
          422,
          'Failed to parse response: axon did not sign its reply',
        );
      }
      return merged;
    };

    const readJson = async (response: Dispatcher.ResponseData): Promise<unknown> => {
      const declared = Number(headerText(response.headers, 'content-length') ?? 0);
      if (declared > this.#maxResponseBytes) {
        throw new Failure(
          'RESPONSE_TOO_LARGE',
          422,
          `Failed to parse response: body over ${this.#maxResponseBytes} bytes`,
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > this.#maxResponseBytes) {
            throw new Failure(
              'RESPONSE_TOO_LARGE',
              422,
              `Failed to parse response: body over ${this.#maxResponseBytes} bytes`,
            );
          }
          chunks.push(chunk);
        }
      } catch (err) {
        throw mapError(err);
      }
      try {
        return JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch {
        throw new Failure('UNPARSEABLE_RESPONSE', 422, 'Failed to parse response: not JSON');
      }
    };

    const release = (response: Dispatcher.ResponseData) => {
      if (!response.body.destroyed) response.body.destroy();
    };

    let responsePromise: Promise<Dispatcher.ResponseData> | undefined;
    return {
      abort: () => abort.abort(new Error('cancelled')),
      mapError,
      response: (): Promise<Dispatcher.ResponseData> => {
        if (responsePromise) return responsePromise;
        const signature = this.keypair.sign(
          requestMessage(nonce, dendrite.hotkey!, axon.hotkey, lane.uuid, prepared.bodyHash),
        );
        dendrite.signature = `0x${Buffer.from(signature).toString('hex')}`;
        const env = { timeout, dendrite, axon: axonInfo };
        const body = encodeSynapseBody(def, prepared.values, env, prepared.fieldsJson);
        const headers = encodeSynapseHeaders(def, prepared.values, {
          ...env,
          bodyHash: prepared.bodyHash,
          totalSize: Buffer.byteLength(body),
        });
        headers['content-type'] = 'application/json';
        responsePromise = this.#dispatcher
          .request({
            origin: `http://${hostOf(axon.ip)}:${axon.port}`,
            path: `/${def.name}`,
            method: 'POST',
            headers,
            body,
            signal: abort.signal,
          })
          .catch((err: unknown) => {
            throw mapError(err);
          });
        return responsePromise;
      },
      finishJson: async (response: Dispatcher.ResponseData): Promise<QueryResult<S>> => {
        try {
          const json = await readJson(response);
          const axonTerm = axonFromHeaders(response.headers, 200);
          if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            throw new Failure(
              'UNPARSEABLE_RESPONSE',
              422,
              'Failed to parse response: not a JSON object',
            );
          }
          const parsed = parseFields(def, def.output, json as Record<string, unknown>);
          if (!parsed.ok) {
            throw new Failure('INVALID_OUTPUT', 422, `Failed to parse response: ${parsed.error}`);
          }
          const message = axonTerm.status_message ?? 'Success';
          return result(200, message, {
            output: parsed.value as OutputOf<S>,
            axon: { ...axonTerm, status_message: message },
          });
        } finally {
          release(response);
        }
      },
      finishError: async (response: Dispatcher.ResponseData): Promise<QueryResult<S>> => {
        try {
          let message = '';
          try {
            const json = (await readJson(response)) as { message?: unknown } | null;
            if (json && typeof json === 'object' && typeof json.message === 'string')
              message = json.message;
          } catch (err) {
            if (err instanceof Failure && err.code === 'TIMEOUT') throw err;
            // An unreadable error body still leaves a meaningful status code.
          }
          const axonTerm = axonFromHeaders(
            response.headers,
            response.statusCode,
            message || undefined,
          );
          return result(response.statusCode, axonTerm.status_message ?? message, {
            axon: axonTerm,
          });
        } finally {
          release(response);
        }
      },
      axonFromHeaders,
      finishStream: (response: Dispatcher.ResponseData, axonTerm: TerminalInfo): QueryResult<S> => {
        const trailer = parseTerminalHeaders(response.trailers as IncomingHttpHeaders, 'axon').info;
        if (trailer.process_time !== undefined) axonTerm.process_time = trailer.process_time;
        const message = axonTerm.status_message ?? 'Success';
        return result(200, message, { axon: { ...axonTerm, status_message: message } });
      },
      fail: (err: unknown): QueryResult<S> => {
        const failure = mapError(err);
        if (!(err instanceof Failure))
          this.#logger.debug({ err, target, route: def.name }, 'dendrite call failed');
        return result(failure.status, failure.message, { error: failure.code });
      },
    };
  }
}

/** Creates a dendrite. */
export function createDendrite(
  options: DendriteOptions,
  components: DendriteComponents = {},
): Dendrite {
  return new Dendrite(options, components);
}
