import { blake2AsHex } from '@polkadot/util-crypto';

/**
 * A tiny JSON-RPC "node" for tests: it answers the methods @polkadot/api needs from a fixed
 * metadata, a key/value storage map, recorded runtime-API results and a chain of headers it
 * can extend. It knows nothing about subtensor: everything it serves comes from recordings
 * of a real node or is encoded by the test with the metadata's own types.
 *
 * The same node is served in-process (`InProcessProvider`) or over a loopback WebSocket
 * (`serveOverWs`).
 */

export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
  ) {
    super(message);
  }
}

export interface HeaderJson {
  parentHash: string;
  number: string;
  stateRoot: string;
  extrinsicsRoot: string;
  digest: { logs: string[] };
}

interface BlockRecord {
  hash: string;
  header: HeaderJson;
  extrinsics: string[];
  /** Storage written in this block (System.Events typically). */
  storage: Map<string, string | null>;
}

export type SubmitOutcome =
  /** Include in a new block with these encoded System.Events (given the extrinsic index). */
  | { kind: 'include'; events: (extrinsicIndex: number) => string; extra?: string[] }
  /** Reject at the pool with a JSON-RPC error. */
  | { kind: 'reject'; code: number; message: string; data?: string }
  /** Accept (ready) but never include. */
  | { kind: 'hold' };

export interface FixtureNodeOptions {
  /** `state_call Metadata_metadata_at_version(15)` result (SCALE Option<OpaqueMetadata>). */
  metadataAtVersion15: string;
  /** `state_getMetadata` result, if the node should serve it. */
  metadataV14?: string;
  runtimeVersion: Record<string, unknown>;
  genesisHash: string;
  head: HeaderJson;
  headHash?: string;
  /** Storage, hex key (0x…) → hex value or null. */
  storage?: Map<string, string | null>;
  /** Runtime API results, `Method_name:0xparams` → hex result. */
  calls?: Map<string, string>;
  /** What an unknown storage key yields: `null` (absent, like a node) or an error. */
  unknownStorage?: 'null' | 'error';
  /** Decide what happens to a submitted extrinsic. */
  onSubmit?: (extrinsicHex: string) => SubmitOutcome;
  /** Node's `rpc_methods`. */
  rpcMethods?: string[];
  systemChain?: string;
  properties?: Record<string, unknown>;
  /** System.Events storage key (hex), for blocks the node produces. */
  eventsKey?: string;
}

type Emit = (result: unknown) => void;

interface Subscription {
  method: string;
  emit: Emit;
}

const normalize = (hex: string): string => (hex.startsWith('0x') ? hex : `0x${hex}`).toLowerCase();

export class FixtureNode {
  readonly options: FixtureNodeOptions;
  readonly storage: Map<string, string | null>;
  readonly calls: Map<string, string>;
  readonly blocks: BlockRecord[] = [];
  readonly requests: Array<{ method: string; params: unknown[] }> = [];
  /** Account nonces by `0x` public key hex (AccountNonceApi) or SS58 (system_accountNextIndex). */
  readonly nonces = new Map<string, number>();
  #subscriptions = new Map<string, Subscription>();
  #nextSubscription = 1;
  onSubmit: ((extrinsicHex: string) => SubmitOutcome) | undefined;
  /** Extrinsics that were accepted and are waiting (held) in the "pool". */
  readonly pool: string[] = [];

  constructor(options: FixtureNodeOptions) {
    this.options = options;
    this.storage = new Map(
      [...(options.storage ?? new Map())].map(([k, v]) => [
        normalize(k),
        v === null ? null : normalize(v),
      ]),
    );
    this.calls = new Map([...(options.calls ?? new Map())].map(([k, v]) => [k.toLowerCase(), v]));
    this.onSubmit = options.onSubmit;
    const headHash = options.headHash ?? blake2AsHex(JSON.stringify(options.head));
    this.blocks.push({ hash: headHash, header: options.head, extrinsics: [], storage: new Map() });
  }

  get head(): BlockRecord {
    return this.blocks[this.blocks.length - 1] as BlockRecord;
  }

  #block(hash: unknown): BlockRecord {
    if (hash === undefined || hash === null) return this.head;
    const found = this.blocks.find((b) => b.hash === String(hash).toLowerCase());
    // Recordings carry block hashes of the recording session: serve them as the head.
    return found ?? this.head;
  }

  #storageAt(key: string, at: unknown): string | null {
    const k = normalize(key);
    const block = this.#block(at);
    const upTo = this.blocks.indexOf(block);
    for (let i = upTo; i >= 0; i--) {
      const written = this.blocks[i]?.storage;
      if (written?.has(k)) return written.get(k) ?? null;
    }
    if (this.storage.has(k)) return this.storage.get(k) ?? null;
    if (this.options.unknownStorage === 'error') {
      throw new RpcFailure(-32099, `fixture node: storage key ${k} was not recorded`);
    }
    return null;
  }

  /** Appends a block with these extrinsics and per-block storage, and notifies subscribers. */
  produceBlock(extrinsics: string[] = [], storage = new Map<string, string | null>()): BlockRecord {
    const parent = this.head;
    const number = Number.parseInt(parent.header.number, 16) + 1;
    const header: HeaderJson = {
      parentHash: parent.hash,
      number: `0x${number.toString(16)}`,
      stateRoot: blake2AsHex(`state-${number}`),
      extrinsicsRoot: blake2AsHex(extrinsics.join('')),
      digest: { logs: [] },
    };
    const block: BlockRecord = {
      hash: blake2AsHex(JSON.stringify(header)),
      header,
      extrinsics,
      storage: new Map([...storage].map(([k, v]) => [normalize(k), v])),
    };
    this.blocks.push(block);
    for (const [id, sub] of this.#subscriptions) {
      if (
        sub.method === 'chain_subscribeNewHeads' ||
        sub.method === 'chain_subscribeFinalizedHeads'
      ) {
        sub.emit(header);
      }
      void id;
    }
    return block;
  }

  async request(method: string, params: unknown[]): Promise<unknown> {
    this.requests.push({ method, params });
    const p = params;
    switch (method) {
      case 'rpc_methods':
        return { methods: this.options.rpcMethods ?? [], version: 1 };
      case 'system_chain':
        return this.options.systemChain ?? 'Bittensor';
      case 'system_name':
        return 'subnetkit-fixture-node';
      case 'system_version':
        return '0.0.0';
      case 'system_chainType':
        return 'Live';
      case 'system_health':
        return { peers: 0, isSyncing: false, shouldHavePeers: false };
      case 'system_properties':
        return this.options.properties ?? { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' };
      case 'system_accountNextIndex':
      case 'account_nextIndex':
        return this.nonces.get(String(p[0])) ?? 0;
      case 'chain_getBlockHash': {
        const n = p[0];
        if (n === 0 || n === '0x0' || n === '0') return this.options.genesisHash;
        if (n === undefined || n === null) return this.head.hash;
        const number =
          typeof n === 'string' ? Number.parseInt(n, n.startsWith('0x') ? 16 : 10) : Number(n);
        const found = this.blocks.find((b) => Number.parseInt(b.header.number, 16) === number);
        return found ? found.hash : this.head.hash;
      }
      case 'chain_getHead':
      case 'chain_getFinalizedHead':
      case 'chain_getFinalisedHead':
        return this.head.hash;
      case 'chain_getHeader':
        return this.#block(p[0]).header;
      case 'chain_getBlock': {
        const block = this.#block(p[0]);
        return {
          block: { header: block.header, extrinsics: block.extrinsics },
          justifications: null,
        };
      }
      case 'state_getRuntimeVersion':
      case 'chain_getRuntimeVersion':
        return this.options.runtimeVersion;
      case 'state_getMetadata':
        if (!this.options.metadataV14) throw new RpcFailure(-32601, 'Method not found');
        return this.options.metadataV14;
      case 'state_call':
        return this.#stateCall(String(p[0]), normalize(String(p[1] ?? '0x')));
      case 'state_getStorage':
      case 'state_getStorageAt':
        return this.#storageAt(String(p[0]), p[1]);
      case 'state_getStorageHash':
        return null;
      case 'state_getStorageSize':
        return null;
      case 'state_queryStorageAt': {
        const keys = p[0] as string[];
        return [
          {
            block: this.#block(p[1]).hash,
            changes: keys.map((k) => [normalize(k), this.#storageAt(k, p[1])]),
          },
        ];
      }
      case 'state_getKeysPaged':
      case 'state_getKeys': {
        const prefix = normalize(String(p[0]));
        const count = method === 'state_getKeys' ? Number.MAX_SAFE_INTEGER : Number(p[1]);
        const start = p[2] ? normalize(String(p[2])) : '';
        return [...this.storage.keys()]
          .filter((k) => k.startsWith(prefix) && k > start && this.storage.get(k) !== null)
          .sort()
          .slice(0, count);
      }
      case 'payment_queryInfo':
        return { weight: { refTime: 0, proofSize: 0 }, class: 'normal', partialFee: '0' };
      case 'author_submitExtrinsic': {
        const outcome = this.#submitOutcome(String(p[0]));
        if (outcome.kind === 'reject')
          throw new RpcFailure(outcome.code, outcome.message, outcome.data);
        return blake2AsHex(String(p[0]));
      }
      default:
        if (/_unsubscribe/.test(method)) return this.unsubscribe(String(p[0]));
        throw new RpcFailure(-32601, `Method not found: ${method}`);
    }
  }

  #stateCall(name: string, data: string): string {
    if (name === 'Metadata_metadata_versions') return '0x080e0000000f000000';
    if (name === 'Metadata_metadata_at_version') {
      if (data === '0x0f000000') return this.options.metadataAtVersion15;
      return '0x00';
    }
    if (name === 'AccountNonceApi_account_nonce' && !this.calls.has(`${name}:${data}`)) {
      const nonce = this.nonces.get(data) ?? 0;
      return `0x${Buffer.from(Uint32Array.of(nonce).buffer).toString('hex')}`;
    }
    const result = this.calls.get(`${name}:${data}`.toLowerCase());
    if (result === undefined) {
      throw new RpcFailure(
        4003,
        'Client error: Execution failed',
        `fixture node: no recording of ${name}(${data})`,
      );
    }
    return result;
  }

  #submitOutcome(hex: string): SubmitOutcome {
    if (!this.onSubmit)
      return {
        kind: 'reject',
        code: 1010,
        message: 'Invalid Transaction',
        data: 'fixture node accepts no transactions',
      };
    return this.onSubmit(hex);
  }

  async subscribe(method: string, params: unknown[], emit: Emit): Promise<string> {
    this.requests.push({ method, params });
    const id = `sub-${this.#nextSubscription++}`;
    switch (method) {
      case 'chain_subscribeNewHeads':
      case 'chain_subscribeNewHead':
      case 'chain_subscribeFinalizedHeads':
      case 'chain_subscribeAllHeads':
        this.#subscriptions.set(id, {
          method: method === 'chain_subscribeNewHead' ? 'chain_subscribeNewHeads' : method,
          emit,
        });
        queueMicrotask(() => emit(this.head.header));
        return id;
      case 'state_subscribeRuntimeVersion':
      case 'chain_subscribeRuntimeVersion':
        this.#subscriptions.set(id, { method, emit });
        queueMicrotask(() => emit(this.options.runtimeVersion));
        return id;
      case 'state_subscribeStorage': {
        const keys = (params[0] as string[]) ?? [];
        this.#subscriptions.set(id, { method, emit });
        queueMicrotask(() =>
          emit({
            block: this.head.hash,
            changes: keys.map((k) => [normalize(k), this.#storageAt(k, null)]),
          }),
        );
        return id;
      }
      case 'author_submitAndWatchExtrinsic': {
        const hex = String(params[0]);
        const outcome = this.#submitOutcome(hex);
        if (outcome.kind === 'reject')
          throw new RpcFailure(outcome.code, outcome.message, outcome.data);
        this.#subscriptions.set(id, { method, emit });
        if (outcome.kind === 'hold') {
          this.pool.push(hex);
          queueMicrotask(() => emit('ready'));
          return id;
        }
        setTimeout(() => {
          emit('ready');
          const block = this.includeNow(hex, outcome);
          emit({ inBlock: block.hash });
        }, 5);
        return id;
      }
      default:
        throw new RpcFailure(-32601, `Method not found: ${method}`);
    }
  }

  /** Puts an extrinsic in a new block with the events the outcome describes. */
  includeNow(hex: string, outcome: Extract<SubmitOutcome, { kind: 'include' }>): BlockRecord {
    const extrinsics = [...(outcome.extra ?? []), hex];
    const index = extrinsics.length - 1;
    const storage = new Map<string, string | null>();
    if (this.options.eventsKey) storage.set(this.options.eventsKey, outcome.events(index));
    const pending = this.pool.indexOf(hex);
    if (pending >= 0) this.pool.splice(pending, 1);
    return this.produceBlock(extrinsics, storage);
  }

  unsubscribe(id: string): boolean {
    return this.#subscriptions.delete(id);
  }

  /** Drops all subscriptions (what a node does when the socket closes). */
  dropSubscriptions(): void {
    this.#subscriptions.clear();
  }
}
