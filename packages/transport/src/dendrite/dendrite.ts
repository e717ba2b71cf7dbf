// The dendrite: a client that signs synapses, fans them out to many axons over keep-alive
// connections (undici), and turns every outcome — including failures — into a result.
import { randomUUID } from 'node:crypto';
import type { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import { WIRE_NAMES } from '../axon/options.js';
import type { AxonTarget } from '../axon/types.js';
import { TransportError } from '../errors.js';
import { NonceClock } from '../nonce.js';
import { HotkeyCache } from '../signing.js';
import { type AnySynapse, type InputInitOf, PROTOCOL_VERSION } from '../synapse.js';
import { type CallContext, DendriteCall } from './call.js';
import { H1Agent } from './h1-agent.js';
import { Lanes } from './lanes.js';
import { type Prepared, prepare } from './request.js';
import { streamCall } from './stream.js';
import type {
  CallOptions,
  DendriteComponents,
  DendriteOptions,
  DendriteStream,
  QueryResult,
} from './types.js';

export class Dendrite {
  readonly keypair: Keypair;
  /** One per instance, like the SDK's `uuid1()`. */
  readonly uuid = randomUUID();
  readonly #maxStreamBytes: number;
  readonly #dispatcher: Dispatcher;
  readonly #unary: H1Agent | undefined;
  readonly #ownsDispatcher: boolean;
  readonly #calls: CallContext;

  constructor(options: DendriteOptions, components: DendriteComponents = {}) {
    if (!options?.keypair?.hasSecret) {
      throw new TransportError(
        'INVALID_OPTIONS',
        'dendrite: options.keypair must be a keypair with a secret key',
      );
    }
    this.keypair = options.keypair;
    const wire = options.wire ?? 'synapse';
    if (!WIRE_NAMES.includes(wire)) {
      throw new TransportError(
        'INVALID_OPTIONS',
        `dendrite: options.wire: unknown wire ${JSON.stringify(wire)} (known: ${WIRE_NAMES.join(', ')})`,
      );
    }
    this.#maxStreamBytes = options.maxStreamBytes ?? 64 * 1024 * 1024;
    this.#ownsDispatcher = !components.dispatcher;
    this.#dispatcher =
      components.dispatcher ??
      new Agent({
        connections: options.connectionsPerAxon ?? 4,
        pipelining: 1,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
        keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? 30_000, 60_000),
        // Every call has its own deadline (the call timeout covers connect, wait and body):
        // undici's own header/body timers would only be re-armed on every request for nothing.
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: { noDelay: true },
      });
    const client = options.unaryClient ?? 'h1';
    if (client !== 'h1' && client !== 'undici') {
      throw new TransportError(
        'INVALID_OPTIONS',
        `dendrite: options.unaryClient: unknown client ${JSON.stringify(client)} (known: h1, undici)`,
      );
    }
    const keepAliveMs = options.keepAliveTimeoutMs ?? 30_000;
    this.#unary =
      this.#ownsDispatcher && client === 'h1'
        ? new H1Agent({
            connections: options.connectionsPerAxon ?? 4,
            keepAliveTimeoutMs: keepAliveMs,
            keepAliveMaxTimeoutMs: Math.max(keepAliveMs, 60_000),
          })
        : undefined;
    this.#calls = {
      keypair: this.keypair,
      ip: options.ip ?? '127.0.0.1',
      version: options.version ?? PROTOCOL_VERSION,
      clock: new NonceClock(),
      lanes: new Lanes(this.uuid),
      dispatcher: this.#dispatcher,
      unary: this.#unary ?? this.#dispatcher,
      maxResponseBytes: options.maxResponseBytes ?? 16 * 1024 * 1024,
      axonCheck: {
        ourHotkey: this.keypair.ss58Address,
        hotkeys: new HotkeyCache(),
        verify: options.verifyAxonSignature ?? true,
        require: options.requireAxonSignature ?? false,
      },
      metrics: components.metrics,
      logger: components.logger ?? pino({ name: 'dendrite' }),
      wire,
    };
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
    const prepared = prepare(def, input, options);
    return Promise.all(axons.map((axon) => this.#call(axon, def, prepared, options)));
  }

  /** One axon. */
  async call<S extends AnySynapse>(
    axon: AxonTarget,
    def: S,
    input: InputInitOf<S>,
    options: CallOptions = {},
  ): Promise<QueryResult<S>> {
    return this.#call(axon, def, prepare(def, input, options), options);
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
    const prepared = prepare(def, input, options);
    return streamCall(
      () => new DendriteCall(this.#calls, axon, def, prepared, options),
      this.#maxStreamBytes,
      options.decode,
    );
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await Promise.all([this.#dispatcher.close(), this.#unary?.close()]);
  }

  #call<S extends AnySynapse>(
    axon: AxonTarget,
    def: S,
    prepared: Prepared<S>,
    options: CallOptions,
  ): Promise<QueryResult<S>> {
    const run = new DendriteCall(this.#calls, axon, def, prepared, options);
    return run
      .exchange()
      .then((reply) => (reply.statusCode === 200 ? run.finishJson(reply) : run.finishError(reply)))
      .catch((err: unknown) => run.fail(err));
  }
}

/** Creates a dendrite. */
export function createDendrite(
  options: DendriteOptions,
  components: DendriteComponents = {},
): Dendrite {
  return new Dendrite(options, components);
}
