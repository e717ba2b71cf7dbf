import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Logger } from '@subnetkit/core';
import {
  assertCommitSize,
  createTimelockedCommit,
  MAINNET_COMPATIBILITY,
  TimelockError,
} from '@subnetkit/timelock';
import type { Keypair } from '@subnetkit/wallet';
import { buildServeAxonArgs, type ServeAxonParams } from './axon.js';
import { checkBeacon, resolveBeacon, showTimelockNotice, stripHex } from './beacon.js';
import { camel, EXPECTED_CALLS } from './calls.js';
import {
  checkAddress,
  checkAmount,
  checkMechid,
  checkNetuid,
  checkWeightsTarget,
} from './checks.js';
import { type AnyCodec, big, bool, decodeNeuron, num } from './decode.js';
import { ChainError, invalidInput, isChainError } from './errors.js';
import {
  checkTransactionExtensions,
  type ExtensionReport,
  SUBTENSOR_SIGNED_EXTENSIONS,
} from './extensions.js';
import { completion, findIncluded, type InclusionContext, pollIncluded } from './inclusion.js';
import { resolveNetwork } from './networks.js';
import { nextNonce, queueSigner } from './nonces.js';
import {
  type MetagraphSource,
  type ProviderInterface,
  type ResolvedOptions,
  type SubtensorChainComponents,
  type SubtensorChainOptions,
  toLogger,
} from './options.js';
import { hyperparamsFrom } from './reads/hyperparams.js';
import { metagraphFrom } from './reads/metagraph.js';
import { requireStorage, runtimeCall, storage } from './reads/runtime.js';
import { firstSource } from './reads/sources.js';
import { keypairToSigner } from './signer.js';
import { fixedBits, stakeFromShares } from './stake.js';
import { mapSubmitError } from './tx-errors.js';
import type {
  Balance,
  BlockInfo,
  Chain,
  CommitResult,
  CommitWeightsParams,
  Metagraph,
  NeuronInfo,
  RegisterResult,
  RevealWeightsParams,
  SetWeightsParams,
  StakeParams,
  SubmitWeightsOptions,
  SubmitWeightsResult,
  SubnetHyperparameters,
  TimelockedCommitOptions,
  TimelockedCommitResult,
  TxOptions,
  TxResult,
  WeightsCalls,
  WeightsMethod,
  WeightsStatus,
} from './types.js';
import {
  checkU64,
  checkWeightsInput,
  commitHash,
  netuidIndex,
  randomSalt,
  weightsBlocksLeft,
} from './weights.js';
import {
  chooseWeightsMethod,
  SDK_COMMIT_REVEAL_VERSION,
  SUPPORTED_COMMIT_REVEAL_VERSIONS,
} from './weights-method.js';

export type {
  ChainLogger,
  ProviderInterface,
  ReconnectOptions,
  SubtensorChainComponents,
  SubtensorChainOptions,
} from './options.js';

/** What one watch of a submission ended with. */
type WatchOutcome = { kind: 'done'; result: TxResult } | { kind: 'disconnected' };

/**
 * `Chain` over @polkadot/api: one long-lived `ApiPromise` per instance (create one per
 * process), connect timeout, reconnect with exponential backoff, fail-fast requests while
 * disconnected, and writes watched to inclusion that resolve or fail clearly across a
 * reconnect.
 */
export class SubtensorChain implements Chain {
  readonly endpoint: string;
  readonly api: ApiPromise;
  readonly extensions: ExtensionReport;
  readonly #provider: ProviderInterface;
  readonly #ownsProvider: boolean;
  readonly #options: ResolvedOptions;
  readonly #logger: Logger;
  /** The logger the caller gave (the timelock notice goes to stderr without one). */
  readonly #userLogger: Logger | undefined;
  readonly #now: () => number;
  #closed = false;
  #reconnectAttempt = 0;
  #disconnected = false;
  #reconnects = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #connectionWaiters = new Set<() => void>();
  #disconnectListeners = new Set<() => void>();
  #extensionError: ChainError | undefined;
  #offProvider: Array<() => void> = [];
  /** Per signer: the tail of the queue of submissions waiting to pick a nonce. */
  readonly #signerQueues = new Map<string, Promise<void>>();
  /** Per signer: nonces of this instance's submissions that are not settled yet. */
  readonly #pendingNonces = new Map<string, Set<number>>();

  private constructor(
    api: ApiPromise,
    provider: ProviderInterface,
    ownsProvider: boolean,
    endpoint: string,
    options: ResolvedOptions,
    components: SubtensorChainComponents,
    extensions: ExtensionReport,
  ) {
    this.api = api;
    this.#provider = provider;
    this.#ownsProvider = ownsProvider;
    this.endpoint = endpoint;
    this.#options = options;
    this.#logger = toLogger(components.logger);
    this.#userLogger = components.logger === undefined ? undefined : this.#logger;
    this.#now = components.now ?? Date.now;
    this.extensions = extensions;
    this.#offProvider.push(
      provider.on('disconnected', () => this.#onDisconnected()),
      provider.on('connected', () => this.#onConnected()),
    );
    // A runtime upgrade re-decorates the API: check the extensions of the new runtime too.
    api.on('decorated', () => {
      try {
        checkTransactionExtensions(api.registry, api.runtimeMetadata);
        this.#extensionError = undefined;
      } catch (error) {
        this.#extensionError = error as ChainError;
        this.#logger.warn((error as Error).message);
      }
    });
  }

  /**
   * Connects (within `connectTimeoutMs`), checks the runtime's transaction extensions and
   * returns the chain. Throws `CONNECT_TIMEOUT` or `UNKNOWN_TX_EXTENSION`.
   */
  static async connect(
    options: SubtensorChainOptions = {},
    components: SubtensorChainComponents = {},
  ): Promise<SubtensorChain> {
    const blockTimeSeconds = options.blockTimeSeconds ?? 12;
    if (!Number.isFinite(blockTimeSeconds) || blockTimeSeconds <= 0) {
      throw invalidInput('blockTimeSeconds', `must be a number > 0, got ${blockTimeSeconds}`);
    }
    if (options.beacon !== undefined && options.beacon !== 'chain') checkBeacon(options.beacon);
    const resolved: ResolvedOptions = {
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      txTimeoutMs: options.txTimeoutMs ?? 120_000,
      inclusionSearchDepth: options.inclusionSearchDepth ?? 64,
      blockTimeSeconds,
      ...(options.beacon !== undefined ? { beacon: options.beacon } : {}),
      reconnect: {
        initialDelayMs: options.reconnect?.initialDelayMs ?? 250,
        maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
        factor: options.reconnect?.factor ?? 2,
      },
    };
    const logger = toLogger(components.logger);
    let endpoint: string;
    let provider: ProviderInterface;
    const ownsProvider = components.provider === undefined;
    if (components.provider) {
      provider = components.provider;
      endpoint = options.chainEndpoint ?? options.network ?? 'custom-provider';
    } else {
      endpoint = resolveNetwork(options.network, options.chainEndpoint).endpoint;
      // autoConnect off: reconnects (with backoff) are driven below.
      provider = new WsProvider(endpoint, false, {}, resolved.requestTimeoutMs);
    }

    const api = new ApiPromise({
      provider,
      noInitWarn: true,
      signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS,
    });
    // Errors surface through our own calls; keep polkadot-js from logging every drop.
    api.on('error', () => {});

    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let giveUp = false;
    const offDisconnected = ownsProvider
      ? provider.on('disconnected', () => {
          if (giveUp) return;
          const wait = Math.min(
            resolved.reconnect.initialDelayMs * resolved.reconnect.factor ** attempt++,
            resolved.reconnect.maxDelayMs,
          );
          retryTimer = setTimeout(() => {
            provider.connect().catch(() => {});
          }, wait);
        })
      : () => {};
    try {
      if (ownsProvider) await provider.connect();
      else if (!provider.isConnected) await provider.connect().catch(() => {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ChainError(
                'CONNECT_TIMEOUT',
                `could not connect to ${endpoint} within ${resolved.connectTimeoutMs} ms`,
              ),
            ),
          resolved.connectTimeoutMs,
        );
      });
      try {
        await Promise.race([api.isReadyOrError, timeout]);
      } finally {
        clearTimeout(timer);
      }
      const extensions = checkTransactionExtensions(api.registry, api.runtimeMetadata);
      giveUp = true;
      offDisconnected();
      clearTimeout(retryTimer);
      const chain = new SubtensorChain(
        api,
        provider,
        ownsProvider,
        endpoint,
        resolved,
        components,
        extensions,
      );
      logger.info(
        `connected to ${endpoint}: ${api.runtimeVersion.specName.toString()} spec ${api.runtimeVersion.specVersion.toString()}`,
      );
      return chain;
    } catch (error) {
      giveUp = true;
      offDisconnected();
      clearTimeout(retryTimer);
      await api.disconnect().catch(() => {});
      if (isChainError(error)) throw error;
      const refused = /ECONNREFUSED/.test(String((error as Error)?.message ?? error));
      throw new ChainError(
        refused ? 'CONNECTION_REFUSED' : 'CONNECT_TIMEOUT',
        refused
          ? `could not connect to ${endpoint}: connection refused (is the node running, and is this its port?)`
          : `could not connect to ${endpoint}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  get isConnected(): boolean {
    return !this.#closed && this.#provider.isConnected;
  }

  /**
   * Read-only: how many times the connection came back after a drop since `connect` (for a
   * metrics endpoint). Counted when the provider says `connected` again after a `disconnected`,
   * whoever drove the reconnect (this chain for its own WebSocket, or an injected provider).
   */
  get reconnects(): number {
    return this.#reconnects;
  }

  // ---------------------------------------------------------------- connection

  #onDisconnected(): void {
    this.#disconnected = true;
    for (const listener of [...this.#disconnectListeners]) listener();
    if (this.#closed || !this.#ownsProvider) return;
    const { initialDelayMs, maxDelayMs, factor } = this.#options.reconnect;
    const wait = Math.min(initialDelayMs * factor ** this.#reconnectAttempt, maxDelayMs);
    this.#reconnectAttempt++;
    this.#logger.warn(`disconnected from ${this.endpoint}; reconnecting in ${wait} ms`);
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (this.#closed) return;
      this.#provider.connect().catch(() => {
        // onclose follows a failed attempt and schedules the next one
      });
    }, wait);
  }

  #onConnected(): void {
    if (this.#disconnected) this.#reconnects++;
    this.#disconnected = false;
    this.#reconnectAttempt = 0;
    for (const waiter of [...this.#connectionWaiters]) waiter();
    this.#connectionWaiters.clear();
  }

  #guard(): void {
    if (this.#closed) {
      throw new ChainError('CLOSED', `chain connection to ${this.endpoint} was closed`);
    }
    if (!this.#provider.isConnected) {
      throw new ChainError(
        'DISCONNECTED',
        `not connected to ${this.endpoint}${this.#ownsProvider ? ' (reconnecting)' : ''}`,
      );
    }
  }

  #waitConnected(deadline: number): Promise<boolean> {
    if (this.#provider.isConnected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.#connectionWaiters.delete(onConnect);
        resolve(value);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(false), Math.max(0, deadline - Date.now()));
      this.#connectionWaiters.add(onConnect);
    });
  }

  /** Runs a read with a timeout; fails at once when disconnected or when the link drops. */
  async #read<T>(what: string, run: () => Promise<T>): Promise<T> {
    this.#guard();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let offDrop: (() => void) | undefined;
    const failures = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ChainError(
              'REQUEST_TIMEOUT',
              `${what}: no answer from ${this.endpoint} within ${this.#options.requestTimeoutMs} ms`,
            ),
          ),
        this.#options.requestTimeoutMs,
      );
      const onDrop = () =>
        reject(new ChainError('DISCONNECTED', `${what}: connection to ${this.endpoint} dropped`));
      this.#disconnectListeners.add(onDrop);
      offDrop = () => this.#disconnectListeners.delete(onDrop);
    });
    try {
      return await Promise.race([run(), failures]);
    } catch (error) {
      if (isChainError(error)) throw error;
      if (!this.#provider.isConnected) {
        throw new ChainError('DISCONNECTED', `${what}: connection to ${this.endpoint} dropped`, {
          cause: error,
        });
      }
      throw new ChainError('RPC_ERROR', `${what}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
      offDrop?.();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    for (const off of this.#offProvider) off();
    for (const listener of [...this.#disconnectListeners]) listener();
    for (const waiter of [...this.#connectionWaiters]) waiter();
    await this.api.disconnect().catch(() => {});
  }

  // ---------------------------------------------------------------- reads

  async #head(): Promise<{ number: number; hash: string }> {
    const header = await this.api.rpc.chain.getHeader();
    return { number: header.number.toNumber(), hash: header.hash.toHex() };
  }

  async getCurrentBlock(): Promise<number> {
    return this.#read('current block', async () => (await this.#head()).number);
  }

  async getGenesisHash(): Promise<string> {
    return this.#read('genesis hash', async () =>
      (await this.api.rpc.chain.getBlockHash(0)).toHex(),
    );
  }

  async subscribeBlocks(onBlock: (block: BlockInfo) => void): Promise<() => void> {
    const unsubscribe = await this.#read('block subscription', () =>
      this.api.rpc.chain.subscribeNewHeads((header) => {
        onBlock({ number: header.number.toNumber(), hash: header.hash.toHex() });
      }),
    );
    return () => {
      try {
        unsubscribe();
      } catch {
        // already gone with the connection
      }
    };
  }

  /**
   * The metagraph, read at one block. Sources in order: `get_selective_mechagraph` (every
   * field), `get_mechagraph` / `get_metagraph`, `get_neurons_lite`, then storage. `source`
   * forces one of them.
   */
  async getMetagraph(
    netuid: number,
    options: { mechid?: number; source?: MetagraphSource } = {},
  ): Promise<Metagraph> {
    checkNetuid(netuid);
    const mechid = options.mechid ?? 0;
    checkMechid(mechid);
    return this.#read(`metagraph of subnet ${netuid}`, async () => {
      const head = await this.#head();
      const at = await this.api.at(head.hash);
      const base = { netuid, mechid, block: head.number, blockHash: head.hash };
      const sources: MetagraphSource[] = options.source
        ? [options.source]
        : ['mechagraph', 'metagraph', 'neurons', 'storage'];
      return firstSource(
        'metagraph',
        sources,
        (source) => metagraphFrom(this.api, source, at, base),
        {
          isConnected: () => this.#provider.isConnected,
          logger: this.#logger,
          unsupported: `no way to read the metagraph of subnet ${netuid} on this runtime`,
        },
      );
    });
  }

  async getNeuron(netuid: number, uid: number): Promise<NeuronInfo | null> {
    checkNetuid(netuid);
    if (!Number.isInteger(uid) || uid < 0 || uid > 0xffff)
      throw invalidInput('uid', `must be a u16, got ${uid}`);
    return this.#read(`neuron ${uid} of subnet ${netuid}`, async () => {
      const head = await this.#head();
      const at = await this.api.at(head.hash);
      const call = runtimeCall(at, 'neuronInfoRuntimeApi', 'getNeuron');
      if (!call) {
        throw new ChainError(
          'UNSUPPORTED_RUNTIME',
          'the runtime has no NeuronInfoRuntimeApi.get_neuron',
        );
      }
      const result = await call(netuid, uid);
      return result.isSome ? decodeNeuron(result.unwrap()) : null;
    });
  }

  async #sparseRows(
    item: string,
    netuid: number,
    mechid: number,
  ): Promise<Map<number, Array<[number, number]>>> {
    checkNetuid(netuid);
    checkMechid(mechid);
    return this.#read(`${item} of subnet ${netuid}`, async () => {
      const head = await this.#head();
      const at = await this.api.at(head.hash);
      const entries: AnyCodec[] = await requireStorage(at, item).entries(
        netuidIndex(netuid, mechid),
      );
      const rows = new Map<number, Array<[number, number]>>();
      for (const [key, value] of entries) {
        const row = [...value].map(
          (pair: AnyCodec) => [num(pair[0]), num(pair[1])] as [number, number],
        );
        rows.set(num(key.args[1]), row);
      }
      return new Map([...rows.entries()].sort((a, b) => a[0] - b[0]));
    });
  }

  getWeights(
    netuid: number,
    options: { mechid?: number } = {},
  ): Promise<Map<number, Array<[number, number]>>> {
    return this.#sparseRows('weights', netuid, options.mechid ?? 0);
  }

  getBonds(
    netuid: number,
    options: { mechid?: number } = {},
  ): Promise<Map<number, Array<[number, number]>>> {
    return this.#sparseRows('bonds', netuid, options.mechid ?? 0);
  }

  /**
   * Hyperparameters. Sources in order: `get_subnet_hyperparams_v3/_v2/` (plus `Burn` from
   * storage), the selective metagraph, then storage. `source` forces one.
   */
  async getHyperparameters(
    netuid: number,
    options: { source?: 'hyperparams-api' | 'mechagraph' | 'storage' } = {},
  ): Promise<SubnetHyperparameters> {
    checkNetuid(netuid);
    return this.#read(`hyperparameters of subnet ${netuid}`, async () => {
      const head = await this.#head();
      const at = await this.api.at(head.hash);
      const sources = options.source
        ? [options.source]
        : (['hyperparams-api', 'mechagraph', 'storage'] as const);
      return firstSource(
        'hyperparameters',
        sources,
        (source) => hyperparamsFrom(this.api, source, at, netuid, head),
        {
          isConnected: () => this.#provider.isConnected,
          logger: this.#logger,
          unsupported: `no way to read hyperparameters of subnet ${netuid}`,
        },
      );
    });
  }

  async getUid(netuid: number, hotkey: string): Promise<number | null> {
    checkNetuid(netuid);
    checkAddress('hotkey', hotkey);
    return this.#read(`uid of ${hotkey} on subnet ${netuid}`, async () => {
      const uid: AnyCodec = await requireStorage(this.api, 'uids')(netuid, hotkey);
      return uid.isSome ? num(uid.unwrap()) : null;
    });
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return (await this.getUid(netuid, hotkey)) !== null;
  }

  async getBalance(address: string): Promise<Balance> {
    checkAddress('address', address);
    return this.#read(`balance of ${address}`, async () => {
      // biome-ignore lint/suspicious/noExplicitAny: System.Account is decorated from metadata
      const info: any = await (this.api.query as any).system.account(address);
      const data = info.data;
      return {
        free: big(data.free),
        reserved: big(data.reserved),
        frozen: big(data.frozen ?? data.miscFrozen),
      };
    });
  }

  async getWeightsStatus(
    netuid: number,
    hotkey: string,
    options: { mechid?: number } = {},
  ): Promise<WeightsStatus> {
    checkNetuid(netuid);
    checkAddress('hotkey', hotkey);
    const mechid = options.mechid ?? 0;
    checkMechid(mechid);
    return this.#read(`weights status of ${hotkey}`, async () => {
      const head = await this.#head();
      const at = await this.api.at(head.hash);
      const q = (name: string) => requireStorage(at, name);
      const tempoItem = storage(at, 'tempo');
      const revealPeriod = storage(at, 'revealPeriodEpochs');
      const crVersion = storage(at, 'commitRevealWeightsVersion');
      const permitItem = storage(at, 'validatorPermit');
      const thresholdItem = storage(at, 'stakeThreshold');
      // Dynamic-tempo runtimes count epochs in state; reveals key off that counter.
      const epochIndexItem = storage(at, 'subnetEpochIndex');
      const lastEpochItem = epochIndexItem ? storage(at, 'lastEpochBlock') : undefined;
      const pendingEpochItem = lastEpochItem ? storage(at, 'pendingEpochAt') : undefined;
      const [
        uidCodec,
        rateLimit,
        crEnabled,
        versionKey,
        lastUpdates,
        tempo,
        period,
        version,
        permits,
        threshold,
        epochIndex,
        lastEpoch,
        pendingEpoch,
      ] = await Promise.all([
        q('uids')(netuid, hotkey),
        q('weightsSetRateLimit')(netuid),
        q('commitRevealWeightsEnabled')(netuid),
        q('weightsVersionKey')(netuid),
        q('lastUpdate')(netuidIndex(netuid, mechid)),
        tempoItem ? tempoItem(netuid) : undefined,
        revealPeriod ? revealPeriod(netuid) : undefined,
        crVersion ? crVersion() : undefined,
        permitItem ? permitItem(netuid) : undefined,
        thresholdItem ? thresholdItem() : undefined,
        lastEpochItem ? epochIndexItem?.(netuid) : undefined,
        lastEpochItem ? lastEpochItem(netuid) : undefined,
        pendingEpochItem ? pendingEpochItem(netuid) : undefined,
      ]);
      const uid = uidCodec.isSome ? num(uidCodec.unwrap()) : null;
      const permit =
        uid === null || permits === undefined ? null : bool([...permits][uid] ?? false);
      const lastUpdate = uid === null ? 0 : num([...lastUpdates][uid] ?? 0);
      const limit = num(rateLimit);
      return {
        netuid,
        uid,
        currentBlock: head.number,
        lastUpdate,
        rateLimit: limit,
        blocksLeft: uid === null ? 0 : weightsBlocksLeft(head.number, lastUpdate, limit),
        commitRevealEnabled: bool(crEnabled),
        versionKey: big(versionKey),
        ...(tempo !== undefined ? { tempo: num(tempo) } : {}),
        ...(period !== undefined ? { revealPeriodEpochs: num(period) } : {}),
        commitRevealVersion: version === undefined ? null : num(version),
        validatorPermit: permit,
        stakeThreshold: threshold === undefined ? null : big(threshold),
        ...(epochIndex !== undefined && lastEpoch !== undefined
          ? {
              epochSchedule: {
                subnetEpochIndex: num(epochIndex),
                lastEpochBlock: num(lastEpoch),
                pendingEpochAt: pendingEpoch === undefined ? 0 : num(pendingEpoch),
              },
            }
          : {}),
      };
    });
  }

  // ---------------------------------------------------------------- writes

  /** The submittable for `section.method`, after checking the call and its argument names. */
  buildCall(section: string, method: string, args: unknown[]): SubmittableExtrinsic<'promise'> {
    return this.#callFn(section, method)(...args);
  }

  /** Whether the runtime has `section.method` with the argument names we send. */
  hasCall(section: string, method: string): boolean {
    try {
      this.#callFn(section, method);
      return true;
    } catch (error) {
      if (isChainError(error, 'MISSING_CALL')) return false;
      throw error;
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: api.tx is decorated from metadata
  #callFn(section: string, method: string): (...args: unknown[]) => any {
    const key = `${section}.${method}`;
    // biome-ignore lint/suspicious/noExplicitAny: api.tx is decorated from metadata
    const fn = (this.api.tx as any)[section]?.[method];
    if (!fn) {
      throw new ChainError('MISSING_CALL', `the runtime has no ${key} call`, {
        details: { name: key },
      });
    }
    const expected = EXPECTED_CALLS[key];
    if (expected) {
      const actual: string[] = fn.meta.args.map((a: AnyCodec) => camel(a.name.toString()));
      if (actual.join(',') !== expected.join(',')) {
        throw new ChainError(
          'MISSING_CALL',
          `${key} takes (${actual.join(', ')}) on this runtime, expected (${expected.join(', ')})`,
          { details: { name: key } },
        );
      }
    }
    return fn;
  }

  async burnedRegister(
    coldkey: Keypair,
    params: { netuid: number; hotkey: string },
    options: TxOptions = {},
  ): Promise<RegisterResult> {
    checkNetuid(params.netuid);
    checkAddress('hotkey', params.hotkey);
    const tx = this.buildCall('subtensorModule', 'burnedRegister', [params.netuid, params.hotkey]);
    const result = await this.submit(coldkey, tx, options);
    const event = result.events.find(
      (e) => e.section === 'subtensorModule' && e.method === 'NeuronRegistered',
    );
    const uid = event ? Number(event.data[1]) : await this.getUid(params.netuid, params.hotkey);
    return { ...result, uid };
  }

  /** The signed-by-hotkey `serve_axon` call, after the chain's own refusals are pre-checked. */
  buildServeAxon(params: ServeAxonParams): SubmittableExtrinsic<'promise'> {
    const a = buildServeAxonArgs(params);
    return this.buildCall('subtensorModule', 'serveAxon', [
      a.netuid,
      a.version,
      a.ip,
      a.port,
      a.ipType,
      a.protocol,
      a.placeholder1,
      a.placeholder2,
    ]);
  }

  async serveAxon(
    hotkey: Keypair,
    params: ServeAxonParams,
    options: TxOptions = {},
  ): Promise<TxResult> {
    const tx = this.buildServeAxon(params);
    return this.submit(hotkey, tx, options);
  }

  buildSetWeights(params: SetWeightsParams): SubmittableExtrinsic<'promise'> {
    checkNetuid(params.netuid);
    checkWeightsInput(params);
    const version = checkU64('versionKey', params.versionKey ?? 0);
    const mechid = params.mechid ?? 0;
    checkMechid(mechid);
    return mechid === 0
      ? this.buildCall('subtensorModule', 'setWeights', [
          params.netuid,
          params.uids,
          params.weights,
          version,
        ])
      : this.buildCall('subtensorModule', 'setMechanismWeights', [
          params.netuid,
          mechid,
          params.uids,
          params.weights,
          version,
        ]);
  }

  /**
   * `set_weights`, after checking what would make it fail without spending a transaction:
   * commit-reveal on (`COMMIT_REVEAL_ENABLED`), not registered (`NOT_REGISTERED`), and the
   * weights rate limit (`RATE_LIMITED` "too soon, N blocks left").
   */
  async setWeights(
    hotkey: Keypair,
    params: SetWeightsParams,
    options: TxOptions = {},
  ): Promise<TxResult> {
    const tx = this.buildSetWeights(params);
    const status = await this.getWeightsStatus(params.netuid, hotkey.ss58Address, {
      mechid: params.mechid ?? 0,
    });
    this.#precheckWeights(status, hotkey.ss58Address, 'set weights');
    if (status.commitRevealEnabled) {
      throw new ChainError(
        'COMMIT_REVEAL_ENABLED',
        `commit-reveal is enabled on subnet ${params.netuid}: use commitWeights and revealWeights`,
        { details: { name: 'CommitRevealEnabled' } },
      );
    }
    return this.submit(hotkey, tx, options);
  }

  #precheckWeights(status: WeightsStatus, hotkey: string, action: string): void {
    if (status.uid === null) {
      throw new ChainError(
        'NOT_REGISTERED',
        `${hotkey} is not registered on subnet ${status.netuid}`,
        {
          details: {
            name: 'HotKeyNotRegisteredInSubNet',
          },
        },
      );
    }
    if (status.blocksLeft > 0) {
      throw new ChainError(
        'RATE_LIMITED',
        `too soon to ${action} on subnet ${status.netuid}: ${status.blocksLeft} blocks left (last update ${status.lastUpdate}, rate limit ${status.rateLimit}, now ${status.currentBlock})`,
        { details: { blocksLeft: status.blocksLeft, name: 'SettingWeightsTooFast' } },
      );
    }
  }

  async commitWeights(
    hotkey: Keypair,
    params: CommitWeightsParams,
    options: TxOptions = {},
  ): Promise<CommitResult> {
    const mechid = checkWeightsTarget(params);
    const salt = params.salt ? [...params.salt] : randomSalt();
    const versionKey = checkU64('versionKey', params.versionKey ?? 0);
    const hash = u8aToHex(
      commitHash({
        hotkey: hotkey.publicKey,
        netuid: params.netuid,
        mechid,
        uids: params.uids,
        weights: params.weights,
        salt,
        versionKey,
      }),
    );
    const tx =
      mechid === 0
        ? this.buildCall('subtensorModule', 'commitWeights', [params.netuid, hash])
        : this.buildCall('subtensorModule', 'commitMechanismWeights', [
            params.netuid,
            mechid,
            hash,
          ]);
    const status = await this.getWeightsStatus(params.netuid, hotkey.ss58Address, { mechid });
    this.#precheckWeights(status, hotkey.ss58Address, 'commit weights');
    if (!status.commitRevealEnabled) {
      throw new ChainError(
        'COMMIT_REVEAL_DISABLED',
        `commit-reveal is off on subnet ${params.netuid}: use setWeights`,
        {
          details: {
            name: 'CommitRevealDisabled',
          },
        },
      );
    }
    const result = await this.submit(hotkey, tx, options);
    return { ...result, commitHash: hash, salt };
  }

  async revealWeights(
    hotkey: Keypair,
    params: RevealWeightsParams,
    options: TxOptions = {},
  ): Promise<TxResult> {
    const mechid = checkWeightsTarget(params);
    const versionKey = checkU64('versionKey', params.versionKey ?? 0);
    const tx =
      mechid === 0
        ? this.buildCall('subtensorModule', 'revealWeights', [
            params.netuid,
            params.uids,
            params.weights,
            params.salt,
            versionKey,
          ])
        : this.buildCall('subtensorModule', 'revealMechanismWeights', [
            params.netuid,
            mechid,
            params.uids,
            params.weights,
            params.salt,
            versionKey,
          ]);
    return this.submit(hotkey, tx, options);
  }

  // ------------------------------------------------- weights: method choice, timelocked commits

  /** Which weight calls this runtime has for mechanism `mechid` (with our argument names). */
  weightsCalls(mechid = 0): WeightsCalls {
    checkMechid(mechid);
    const has = (method: string) => this.hasCall('subtensorModule', method);
    if (mechid === 0) {
      return {
        setWeights: has('setWeights'),
        hashCommit: has('commitWeights') && has('revealWeights'),
        timelocked: has('commitTimelockedWeights') || has('commitTimelockedMechanismWeights'),
      };
    }
    return {
      setWeights: has('setMechanismWeights'),
      hashCommit: has('commitMechanismWeights') && has('revealMechanismWeights'),
      timelocked: has('commitTimelockedMechanismWeights'),
    };
  }

  async getWeightsMethod(
    netuid: number,
    options: { mechid?: number; prefer?: 'timelocked' | 'commit_reveal_v2' } = {},
  ): Promise<WeightsMethod> {
    checkNetuid(netuid);
    const mechid = options.mechid ?? 0;
    const calls = this.weightsCalls(mechid);
    const state = await this.#read(`commit-reveal state of subnet ${netuid}`, async () => {
      const head = await this.#head();
      const at = await this.api.at(head.hash);
      const version = storage(at, 'commitRevealWeightsVersion');
      const [enabled, crVersion] = await Promise.all([
        requireStorage(at, 'commitRevealWeightsEnabled')(netuid),
        version ? version() : undefined,
      ]);
      return {
        commitRevealEnabled: bool(enabled),
        commitRevealVersion: crVersion === undefined ? null : num(crVersion),
      };
    });
    return chooseWeightsMethod(
      null,
      { ...state, calls },
      options.prefer ? { prefer: options.prefer } : {},
    );
  }

  /**
   * Sends weights the way the subnet takes them now ({@link chooseWeightsMethod}, the Python
   * SDK's `set_weights` decision): `set_weights` when commit-reveal is off, a timelocked commit
   * when it is on. `versionKey` defaults to the subnet's `WeightsVersionKey`.
   *
   * Commit-reveal v2 is not sent from here: a hash commit is only useful if the caller keeps
   * the salt and the weights and calls `revealWeights` in the reveal epoch, possibly after a
   * restart. When v2 is the only way (or `prefer: 'commit_reveal_v2'`), this throws
   * `COMMIT_REVEAL_V2_REQUIRED` without sending anything; use `commitWeights` / `revealWeights`
   * with persisted state (the validator runtime in `@subnetkit/neuron` does).
   */
  async submitWeights(
    hotkey: Keypair,
    params: SetWeightsParams,
    options: SubmitWeightsOptions = {},
  ): Promise<SubmitWeightsResult> {
    const mechid = checkWeightsTarget(params);
    if (params.versionKey !== undefined) checkU64('versionKey', params.versionKey);
    const calls = this.weightsCalls(mechid);
    const status = await this.getWeightsStatus(params.netuid, hotkey.ss58Address, { mechid });
    const method = chooseWeightsMethod(
      null,
      { ...status, calls },
      options.prefer ? { prefer: options.prefer } : {},
    );
    const withKey = { ...params, versionKey: params.versionKey ?? status.versionKey };
    if (method === 'set_weights') {
      const tx = this.buildSetWeights(withKey);
      this.#precheckWeights(status, hotkey.ss58Address, 'set weights');
      return { method, ...(await this.submit(hotkey, tx, options)) };
    }
    if (method === 'timelocked') {
      const result = await this.#commitTimelocked(hotkey, withKey, options, status);
      return { method, ...result };
    }
    throw new ChainError(
      'COMMIT_REVEAL_V2_REQUIRED',
      `subnet ${params.netuid} takes weights only as commit-reveal v2 hash commits here: call commitWeights, keep the returned salt with the weights, and call revealWeights in the reveal epoch`,
      { details: { name: 'commit_reveal_v2' } },
    );
  }

  /**
   * Commit-reveal v3/v4, as bittensor's `commit_timelocked_weights_extrinsic` does it: reads the
   * current block, `tempo`, `RevealPeriodEpochs` and `CommitRevealWeightsVersion` (and, on
   * dynamic-tempo runtimes, `SubnetEpochIndex` / `LastEpochBlock` / `PendingEpochAt`), builds the
   * `WeightsTlockPayload` (hotkey public key, uids, u16 values, version key), computes the drand
   * round from that state and the clock (bittensor-drand `generate_commit`), encrypts the payload
   * to that round with `@subnetkit/timelock`, and submits
   * `commit_timelocked_weights(netuid, commit, reveal_round, commit_reveal_version)` (or the
   * `_mechanism_` call for `mechid > 0`, or when the runtime only has that one), watched to
   * inclusion. The chain decrypts and applies the weights itself in the reveal epoch.
   *
   * Refused before sending (no fee, no nonce): `NOT_REGISTERED`, `RATE_LIMITED`,
   * `COMMIT_REVEAL_DISABLED`, `UNSUPPORTED_RUNTIME` (a `commit_reveal_version` this client does
   * not produce), `BEACON_MISMATCH` (the chain's drand beacon is not the one we would encrypt
   * to), and `INVALID_INPUT` for a version key below the subnet's (the chain would drop the
   * weights at reveal time, silently) or a commit above 5000 bytes. `versionKey` defaults to the
   * subnet's `WeightsVersionKey`.
   *
   * Logs `MAINNET_COMPATIBILITY.notice` ("timelocked weights: unverified against mainnet")
   * once per process.
   */
  async commitTimelockedWeights(
    hotkey: Keypair,
    params: SetWeightsParams,
    options: TimelockedCommitOptions = {},
  ): Promise<TimelockedCommitResult> {
    const mechid = checkWeightsTarget(params);
    if (params.versionKey !== undefined) checkU64('versionKey', params.versionKey);
    this.#timelockedCallName(mechid);
    const status = await this.getWeightsStatus(params.netuid, hotkey.ss58Address, { mechid });
    return this.#commitTimelocked(hotkey, params, options, status);
  }

  /** The call a timelocked commit for `mechid` goes out as; `MISSING_CALL` when none. */
  #timelockedCallName(mechid: number): string {
    if (mechid === 0 && this.hasCall('subtensorModule', 'commitTimelockedWeights')) {
      return 'commitTimelockedWeights';
    }
    if (this.hasCall('subtensorModule', 'commitTimelockedMechanismWeights')) {
      return 'commitTimelockedMechanismWeights';
    }
    throw new ChainError(
      'MISSING_CALL',
      `the runtime has no commit_timelocked_${mechid === 0 ? '' : 'mechanism_'}weights call we can send`,
      { details: { name: 'subtensorModule.commitTimelockedWeights' } },
    );
  }

  async #commitTimelocked(
    hotkey: Keypair,
    params: SetWeightsParams,
    options: TimelockedCommitOptions,
    status: WeightsStatus,
  ): Promise<TimelockedCommitResult> {
    const { netuid } = params;
    const mechid = params.mechid ?? 0;
    const callName = this.#timelockedCallName(mechid);
    const blockTimeSeconds = options.blockTimeSeconds ?? this.#options.blockTimeSeconds;
    if (!Number.isFinite(blockTimeSeconds) || blockTimeSeconds <= 0) {
      throw invalidInput('blockTimeSeconds', `must be a number > 0, got ${blockTimeSeconds}`);
    }
    const override = options.commitRevealVersion;
    if (
      override !== undefined &&
      (!Number.isInteger(override) || override < 0 || override > 0xffff)
    ) {
      throw invalidInput('commitRevealVersion', `must be a u16, got ${override}`);
    }
    const requestedBeacon = options.beacon ?? this.#options.beacon;
    if (requestedBeacon !== undefined && requestedBeacon !== 'chain') checkBeacon(requestedBeacon);

    this.#precheckWeights(status, hotkey.ss58Address, 'commit weights');
    if (!status.commitRevealEnabled) {
      throw new ChainError(
        'COMMIT_REVEAL_DISABLED',
        `commit-reveal is off on subnet ${netuid}: use setWeights`,
        { details: { name: 'CommitRevealDisabled' } },
      );
    }
    // The SDK sends its constant 4; subtensor rejects any version but its own
    // (`IncorrectCommitRevealVersion`). Send the chain's, when it is one we produce.
    const chainVersion = status.commitRevealVersion ?? null;
    const commitRevealVersion: number = override ?? chainVersion ?? SDK_COMMIT_REVEAL_VERSION;
    if (override === undefined && !SUPPORTED_COMMIT_REVEAL_VERSIONS.includes(commitRevealVersion)) {
      throw new ChainError(
        'UNSUPPORTED_RUNTIME',
        `subnet ${netuid}: the chain expects commit_reveal_version ${commitRevealVersion}; this client produces ${SUPPORTED_COMMIT_REVEAL_VERSIONS.join(', ')} and will not commit weights the chain may be unable to reveal`,
        { details: { name: 'IncorrectCommitRevealVersion' } },
      );
    }
    const chainKey = status.versionKey;
    const versionKey =
      params.versionKey === undefined ? chainKey : checkU64('versionKey', params.versionKey);
    if (chainKey !== 0n && versionKey < chainKey) {
      throw invalidInput(
        'versionKey',
        `${versionKey} is below subnet ${netuid}'s WeightsVersionKey ${chainKey}: the chain would accept the commit and drop the weights at reveal (IncorrectWeightVersionKey)`,
      );
    }
    if (status.tempo === undefined || status.revealPeriodEpochs === undefined) {
      throw new ChainError(
        'UNSUPPORTED_RUNTIME',
        'the runtime has no Tempo / RevealPeriodEpochs storage to compute a reveal round from',
      );
    }
    const { beacon, mechanismCount } = await this.#read('drand beacon', async () => {
      const at = await this.api.at((await this.#head()).hash);
      const count = storage(at, 'mechanismCountCurrent');
      const [resolved, mechanisms] = await Promise.all([
        resolveBeacon(at, requestedBeacon, this.#logger),
        count ? count(netuid) : undefined,
      ]);
      return {
        beacon: resolved,
        mechanismCount: mechanisms === undefined ? undefined : num(mechanisms),
      };
    });
    if (mechanismCount !== undefined && mechid >= mechanismCount) {
      throw invalidInput(
        'mechid',
        `subnet ${netuid} has ${mechanismCount} mechanism(s), got mechid ${mechid}`,
      );
    }
    const storageIndex = netuidIndex(netuid, mechid);
    let commit: ReturnType<typeof createTimelockedCommit>;
    try {
      commit = createTimelockedCommit({
        hotkey: hotkey.publicKey,
        uids: params.uids,
        values: params.weights,
        versionKey,
        currentBlock: status.currentBlock,
        netuid: storageIndex,
        tempo: status.tempo,
        revealPeriodEpochs: status.revealPeriodEpochs,
        blockTime: blockTimeSeconds,
        nowSeconds: this.#now() / 1000,
        ...(status.epochSchedule ? { epochSchedule: status.epochSchedule } : {}),
        beacon,
      });
      assertCommitSize(commit.commit);
    } catch (error) {
      if (error instanceof TimelockError) {
        throw new ChainError(
          'INVALID_INPUT',
          `timelocked commit: ${error.field}: ${error.message}`,
          { details: { field: error.field === 'commit' ? 'weights' : error.field }, cause: error },
        );
      }
      throw error;
    }
    const commitHex = u8aToHex(commit.commit);
    const tx =
      callName === 'commitTimelockedWeights'
        ? this.buildCall('subtensorModule', callName, [
            netuid,
            commitHex,
            commit.revealRound,
            commitRevealVersion,
          ])
        : this.buildCall('subtensorModule', callName, [
            netuid,
            mechid,
            commitHex,
            commit.revealRound,
            commitRevealVersion,
          ]);
    showTimelockNotice(this.#userLogger);
    this.#logger.info(
      `subnet ${netuid}: timelocked weights for ${params.uids.length} uids to drand round ${commit.revealRound} (reveal epoch ${commit.schedule.revealEpoch} by ${commit.schedule.epochSource}, ${commit.commit.length} bytes, commit_reveal_version ${commitRevealVersion})`,
    );
    const result = await this.submit(hotkey, tx, options);
    return {
      ...result,
      revealRound: commit.revealRound,
      commitRevealVersion,
      commitHash: blake2AsHex(commit.commit, 256),
      commitSize: commit.commit.length,
      call: callName,
      schedule: {
        epochSource: commit.schedule.epochSource,
        ...(status.epochSchedule ? { epochSchedule: status.epochSchedule } : {}),
        currentBlock: status.currentBlock,
        storageIndex,
        tempo: status.tempo,
        revealPeriodEpochs: status.revealPeriodEpochs,
        blockTimeSeconds,
        currentEpoch: commit.schedule.currentEpoch,
        revealEpoch: commit.schedule.revealEpoch,
        firstRevealBlock: commit.schedule.firstRevealBlock,
        targetBlock: commit.schedule.targetBlock,
        targetTime: commit.schedule.targetTime,
      },
      beaconPublicKey: stripHex(beacon.publicKey),
      verifiedAgainstMainnet: MAINNET_COMPATIBILITY.verifiedAgainstMainnet,
    };
  }

  addStake(coldkey: Keypair, params: StakeParams, options: TxOptions = {}): Promise<TxResult> {
    return this.stakeCall('addStake', coldkey, params, options);
  }

  removeStake(coldkey: Keypair, params: StakeParams, options: TxOptions = {}): Promise<TxResult> {
    return this.stakeCall('removeStake', coldkey, params, options);
  }

  /** `add_stake` / `remove_stake(hotkey, netuid, amount)`: the same checks and arguments. */
  private async stakeCall(
    method: 'addStake' | 'removeStake',
    coldkey: Keypair,
    params: StakeParams,
    options: TxOptions,
  ): Promise<TxResult> {
    checkAddress('hotkey', params.hotkey);
    checkNetuid(params.netuid);
    checkAmount('amount', params.amount);
    const tx = this.buildCall('subtensorModule', method, [
      params.hotkey,
      params.netuid,
      params.amount,
    ]);
    return this.submit(coldkey, tx, options);
  }

  async getStake(netuid: number, hotkey: string, coldkey: string): Promise<bigint> {
    checkNetuid(netuid);
    checkAddress('hotkey', hotkey);
    checkAddress('coldkey', coldkey);
    return this.#read(`stake of ${coldkey} on ${hotkey} (subnet ${netuid})`, async () => {
      const at = this.api;
      const sharesItem = storage(at, 'totalHotkeyShares');
      const [share, total, shares] = await Promise.all([
        requireStorage(at, 'alpha')(hotkey, coldkey, netuid),
        requireStorage(at, 'totalHotkeyAlpha')(hotkey, netuid),
        sharesItem ? sharesItem(hotkey, netuid) : undefined,
      ]);
      return stakeFromShares(
        big(total),
        fixedBits(share),
        shares === undefined ? null : fixedBits(shares),
      );
    });
  }

  async transfer(
    from: Keypair,
    params: { dest: string; amount: bigint; keepAlive?: boolean },
    options: TxOptions = {},
  ): Promise<TxResult> {
    checkAddress('dest', params.dest);
    checkAmount('amount', params.amount);
    const method = params.keepAlive === false ? 'transferAllowDeath' : 'transferKeepAlive';
    const tx = this.buildCall('balances', method, [{ Id: params.dest }, params.amount]);
    return this.submit(from, tx, options);
  }

  /**
   * Signs `tx` with the keypair, submits it and watches it to inclusion (or finality).
   * Never hangs: on timeout it fails with `TX_TIMEOUT`; when the connection drops while
   * watching, it waits for the reconnect, looks for the extrinsic in the blocks since the
   * submission, and if it is not there resubmits the same signed bytes (same nonce, so it
   * cannot be applied twice) and keeps watching — or fails with `TX_DROPPED` /
   * `TX_OUTCOME_UNKNOWN` saying which.
   */
  async submit(
    signer: Keypair,
    tx: SubmittableExtrinsic<'promise'>,
    options: TxOptions = {},
  ): Promise<TxResult> {
    this.#guard();
    if (this.#extensionError) throw this.#extensionError;
    const pair = keypairToSigner(signer);
    const timeoutMs = options.timeoutMs ?? this.#options.txTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const startBlock = await this.#read('head before submission', () => this.#head());
    // One signer's submissions pick their nonces one at a time: each waits until the previous
    // one is in the node's pool (or failed), so the next lookup counts it.
    const address = signer.ss58Address;
    const release = await queueSigner(this.#signerQueues, address);
    let nonce: number;
    try {
      nonce = await this.#read('account nonce', () =>
        nextNonce(this.api, this.#pendingNonces, address),
      );
      await this.#read('signing', () => tx.signAsync(pair, { nonce }));
    } catch (error) {
      release();
      throw error;
    }
    const pending = this.#pendingNonces.get(address) ?? new Set<number>();
    this.#pendingNonces.set(address, pending);
    pending.add(nonce);
    try {
      return await this.#submitSigned(tx, startBlock.number, deadline, timeoutMs, options, release);
    } finally {
      release();
      pending.delete(nonce);
      if (pending.size === 0) this.#pendingNonces.delete(address);
    }
  }

  async #submitSigned(
    tx: SubmittableExtrinsic<'promise'>,
    startBlockNumber: number,
    deadline: number,
    timeoutMs: number,
    options: TxOptions,
    onPooled: () => void,
  ): Promise<TxResult> {
    const txHash = tx.hash.toHex();
    const waitFor = options.waitFor ?? 'inBlock';
    const startBlock = { number: startBlockNumber };

    for (let attempt = 0; ; attempt++) {
      let outcome: WatchOutcome;
      try {
        outcome = await this.#watchOnce(tx, txHash, deadline, waitFor, onPooled);
      } catch (error) {
        if (attempt > 0 && isChainError(error, 'POOL_REJECTED')) {
          const name = error.details.name;
          if (name === 'Stale' || name === 'AlreadyImported' || name === 'PriorityTooLow') {
            // The node already has (or already applied) these exact bytes.
            const found = await pollIncluded(
              this.#inclusion(),
              txHash,
              startBlock.number,
              deadline,
              name !== 'Stale',
            );
            if (found) return found;
            throw new ChainError(
              name === 'Stale' ? 'TX_OUTCOME_UNKNOWN' : 'TX_TIMEOUT',
              name === 'Stale'
                ? `extrinsic ${txHash}: the connection dropped while watching; its nonce is used but it was not found in the last ${this.#options.inclusionSearchDepth} blocks`
                : `extrinsic ${txHash} is still in the pool after a reconnect and was not included within ${timeoutMs} ms`,
              { details: { txHash } },
            );
          }
        }
        throw error;
      }
      if (outcome.kind === 'done') return outcome.result;
      // The connection dropped while watching: author_ subscriptions are not resumed.
      this.#logger.warn(`connection dropped while watching ${txHash}; waiting to reconnect`);
      if (!(await this.#waitConnected(deadline)) || this.#closed) {
        throw new ChainError(
          this.#closed ? 'CLOSED' : 'TX_OUTCOME_UNKNOWN',
          `extrinsic ${txHash}: the connection dropped while watching and did not come back within ${timeoutMs} ms; it may or may not be included`,
          { details: { txHash } },
        );
      }
      let found: TxResult | undefined;
      try {
        found = await findIncluded(this.#inclusion(), txHash, startBlock.number);
      } catch (error) {
        // Dropped again while looking: wait for the next connection (bounded by the deadline).
        if (!this.#provider.isConnected && !this.#closed) continue;
        throw error;
      }
      if (found) return found;
      // Not in a block: submit the very same bytes again and watch (loop).
    }
  }

  /** The instance state the inclusion lookups read (`inclusion.ts`). */
  #inclusion(): InclusionContext {
    return {
      api: this.api,
      isConnected: () => this.#provider.isConnected,
      searchDepth: this.#options.inclusionSearchDepth,
    };
  }

  /**
   * One `author_submitAndWatchExtrinsic`, straight on the provider: @polkadot/api memoizes
   * identical subscriptions, so a resubmission of the same bytes through `tx.send` after a
   * drop would silently reuse the dead subscription.
   */
  #watchOnce(
    tx: SubmittableExtrinsic<'promise'>,
    txHash: string,
    deadline: number,
    waitFor: 'inBlock' | 'finalized',
    onPooled?: () => void,
  ): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve, reject) => {
      let settled = false;
      let subscriptionId: string | number | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#disconnectListeners.delete(onDrop);
        if (subscriptionId !== undefined && this.#provider.isConnected) {
          this.#provider
            .unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscriptionId)
            .catch(() => {});
        }
        fn();
      };
      const onDrop = () => finish(() => resolve({ kind: 'disconnected' }));
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new ChainError(
                'TX_TIMEOUT',
                `extrinsic ${txHash} was not ${waitFor === 'inBlock' ? 'included' : 'finalized'} in time`,
                { details: { txHash } },
              ),
            ),
          ),
        Math.max(0, deadline - Date.now()),
      );
      if (!this.#provider.isConnected) {
        onDrop();
        return;
      }
      this.#disconnectListeners.add(onDrop);
      const onStatus = (error: Error | null, status: unknown) => {
        if (error) {
          finish(() => reject(mapSubmitError(error, txHash)));
          return;
        }
        onPooled?.();
        const kind =
          typeof status === 'string'
            ? status
            : status && typeof status === 'object'
              ? (Object.keys(status)[0] ?? '')
              : '';
        const value = status && typeof status === 'object' ? Object.values(status)[0] : undefined;
        if (kind === 'invalid' || kind === 'dropped' || kind === 'usurped') {
          finish(() =>
            reject(
              new ChainError(
                kind === 'dropped' ? 'TX_DROPPED' : 'TX_INVALID',
                `extrinsic ${txHash} was ${kind} by the pool`,
                { details: { txHash, name: kind } },
              ),
            ),
          );
          return;
        }
        const inBlock = kind === 'inBlock' && waitFor === 'inBlock';
        if (!inBlock && kind !== 'finalized') return;
        const blockHash = String(value);
        finish(() => {
          completion(this.#inclusion(), txHash, blockHash).then(
            (result) => resolve({ kind: 'done', result }),
            reject,
          );
        });
      };
      this.#provider
        .subscribe(
          'author_extrinsicUpdate',
          'author_submitAndWatchExtrinsic',
          [tx.toHex()],
          onStatus,
        )
        .then((id) => {
          // The node answers the subscription only once the pool has imported the extrinsic.
          onPooled?.();
          subscriptionId = id;
          if (settled && this.#provider.isConnected) {
            this.#provider
              .unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', id)
              .catch(() => {});
          }
        })
        .catch((error: unknown) => {
          if (!this.#provider.isConnected || this.#closed) {
            finish(() => resolve({ kind: 'disconnected' }));
          } else finish(() => reject(mapSubmitError(error, txHash)));
        });
    });
  }
}

/** Factory form: `createSubtensorChain(options, components)`. */
export function createSubtensorChain(
  options: SubtensorChainOptions = {},
  components: SubtensorChainComponents = {},
): Promise<SubtensorChain> {
  return SubtensorChain.connect(options, components);
}
