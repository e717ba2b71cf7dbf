import { u8aToHex } from '@polkadot/util';
import type { Block, TxStatus } from '../chain/block.js';
import type { Chain } from '../chain/chain.js';
import { LocalnetError } from '../errors.js';
import { callRuntimeApi } from '../runtime-api/index.js';
import type { StateStore } from '../state/store.js';
import { clientError, invalidParams, methodNotFound, RpcError } from './errors.js';
import * as P from './params.js';

export type Notify = (method: string, subscription: string, result: unknown) => void;

/** One client connection: its subscriptions are dropped when it closes. */
export class Session {
  readonly subscriptions = new Map<string, () => void>();
  constructor(readonly notify: Notify) {}
  close(): void {
    for (const stop of this.subscriptions.values()) stop();
    this.subscriptions.clear();
  }
}

type Method = (params: unknown[], session: Session) => unknown;

export interface NodeInfo {
  chainName: string;
  nodeName: string;
  nodeVersion: string;
}

const SUBSCRIPTIONS: Record<string, { notification: string; unsubscribe: string[] }> = {
  chain_subscribeNewHeads: {
    notification: 'chain_newHead',
    unsubscribe: ['chain_unsubscribeNewHeads'],
  },
  chain_subscribeNewHead: {
    notification: 'chain_newHead',
    unsubscribe: ['chain_unsubscribeNewHead'],
  },
  chain_subscribeAllHeads: {
    notification: 'chain_allHead',
    unsubscribe: ['chain_unsubscribeAllHeads'],
  },
  chain_subscribeFinalizedHeads: {
    notification: 'chain_finalizedHead',
    unsubscribe: ['chain_unsubscribeFinalizedHeads'],
  },
  chain_subscribeFinalisedHeads: {
    notification: 'chain_finalizedHead',
    unsubscribe: ['chain_unsubscribeFinalisedHeads'],
  },
  state_subscribeStorage: {
    notification: 'state_storage',
    unsubscribe: ['state_unsubscribeStorage'],
  },
  state_subscribeRuntimeVersion: {
    notification: 'state_runtimeVersion',
    unsubscribe: ['state_unsubscribeRuntimeVersion'],
  },
  chain_subscribeRuntimeVersion: {
    notification: 'state_runtimeVersion',
    unsubscribe: ['chain_unsubscribeRuntimeVersion'],
  },
  author_submitAndWatchExtrinsic: {
    notification: 'author_extrinsicUpdate',
    unsubscribe: ['author_unwatchExtrinsic'],
  },
};

export const SUBSCRIPTION_INFO = SUBSCRIPTIONS;

/** The JSON-RPC methods @polkadot/api (and a few tools) use, over localnet's chain. */
export class RpcHandler {
  readonly #methods: Record<string, Method>;
  readonly #headers = new WeakMap<Block, unknown>();
  #values: { block?: Block; hex: Map<string, string | null> } = { hex: new Map() };
  #nextId = 1;

  constructor(
    readonly chain: Chain,
    readonly info: NodeInfo,
  ) {
    this.#methods = this.#build();
  }

  get methodNames(): string[] {
    return Object.keys(this.#methods).sort();
  }

  /** Runs one call; throws RpcError (never anything else) on failure. */
  call(method: string, params: unknown, session: Session): unknown {
    const fn = this.#methods[method];
    if (!fn) throw methodNotFound(method);
    try {
      return fn(P.list(params), session);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      if (e instanceof LocalnetError) throw clientError(e.message);
      throw clientError(`internal error: ${(e as Error).message}`);
    }
  }

  #subId(): string {
    return `${Date.now().toString(36)}${(this.#nextId++).toString(36)}`;
  }

  /**
   * A header as a Substrate node serialises it: the block number as a hex string (`0x63fe87`,
   * no padding; polkadot-js's `toJSON` gives a JSON number) and each digest log as SCALE hex.
   * Built once per block, however many subscribers and queries ask for it.
   */
  #header(block: Block): unknown {
    let json = this.#headers.get(block);
    if (!json) {
      const h = block.header;
      json = {
        parentHash: h.parentHash.toHex(),
        number: `0x${h.number.toBn().toString(16)}`,
        stateRoot: h.stateRoot.toHex(),
        extrinsicsRoot: h.extrinsicsRoot.toHex(),
        digest: { logs: h.digest.logs.map((l) => l.toHex()) },
      };
      this.#headers.set(block, json);
    }
    return json;
  }

  /**
   * A storage value at a block as hex (null: absent), shared by every storage subscriber. Only
   * the last block asked about is kept: subscribers all read a new block as it is sealed.
   */
  #valueHex(block: Block, key: string): string | null {
    if (this.#values.block !== block) this.#values = { block, hex: new Map() };
    const values = this.#values.hex;
    let v = values.get(key);
    if (v === undefined) {
      const raw = (block.state as StateStore).get(key);
      v = raw ? u8aToHex(raw) : null;
      values.set(key, v);
    }
    return v;
  }

  #block(hash: string | null): Block {
    const b = hash ? this.chain.blockByHash(hash) : this.chain.head;
    if (!b) throw clientError(`Unknown block ${hash}`);
    return b;
  }

  #state(hash: string | null): StateStore {
    try {
      return this.chain.stateAt(hash);
    } catch (e) {
      throw clientError((e as Error).message);
    }
  }

  #runtimeVersion(): unknown {
    const f = this.chain.meta.facts;
    return {
      specName: f.specName,
      implName: f.implName,
      authoringVersion: 1,
      specVersion: f.specVersion,
      implVersion: 1,
      apis: this.chain.meta.apiHashes,
      transactionVersion: f.transactionVersion,
      systemVersion: 1,
      stateVersion: 1,
    };
  }

  #subscribe(
    session: Session,
    method: string,
    start: (id: string, send: (r: unknown) => void) => () => void,
  ): string {
    const id = this.#subId();
    const notification = SUBSCRIPTIONS[method]?.notification ?? method;
    const send = (r: unknown) => session.notify(notification, id, r);
    session.subscriptions.set(id, start(id, send));
    return id;
  }

  #unsubscribe(params: unknown[], session: Session): boolean {
    const id = params[0];
    if (typeof id !== 'string' && typeof id !== 'number')
      throw invalidParams('subscription id expected');
    const stop = session.subscriptions.get(String(id));
    if (!stop) return false;
    stop();
    session.subscriptions.delete(String(id));
    return true;
  }

  #build(): Record<string, Method> {
    const chain = this.chain;
    const heads = (_p: unknown[], s: Session, method: string) =>
      this.#subscribe(s, method, (_id, send) => {
        queueMicrotask(() => send(this.#header(chain.head)));
        return chain.onBlock((b) => send(this.#header(b)));
      });
    const m: Record<string, Method> = {
      // Substrate's jsonrpsee server answers `{ methods }` only (no `version`).
      rpc_methods: () => ({ methods: this.methodNames }),
      system_chain: () => this.info.chainName,
      system_name: () => this.info.nodeName,
      system_version: () => this.info.nodeVersion,
      system_chainType: () => 'Development',
      system_properties: () => ({
        ss58Format: chain.meta.facts.ss58Prefix,
        tokenDecimals: 9,
        tokenSymbol: 'TAO',
      }),
      system_health: () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }),
      system_peers: () => [],
      system_accountNextIndex: ([who]) => chain.nextIndex(P.accountParam(who, 'account')),
      chain_getBlockHash: ([n]) => {
        const num = P.blockNumberParam(n);
        if (num === null) return chain.head.hash;
        return chain.blocks[num]?.hash ?? null;
      },
      chain_getHeader: ([h]) => {
        const hash = P.optHash(h, 'hash');
        const b = hash ? chain.blockByHash(hash) : chain.head;
        return b ? this.#header(b) : null;
      },
      chain_getBlock: ([h]) => {
        const hash = P.optHash(h, 'hash');
        const b = hash ? chain.blockByHash(hash) : chain.head;
        return b
          ? { block: { header: this.#header(b), extrinsics: b.extrinsics }, justifications: null }
          : null;
      },
      chain_getFinalizedHead: () => chain.head.hash,
      chain_getFinalisedHead: () => chain.head.hash,
      chain_getRuntimeVersion: () => this.#runtimeVersion(),
      state_getRuntimeVersion: ([h]) => {
        this.#block(P.optHash(h));
        return this.#runtimeVersion();
      },
      state_getMetadata: ([h]) => {
        this.#block(P.optHash(h));
        return u8aToHex(chain.meta.v14);
      },
      state_call: ([method, data, h]) => {
        if (typeof method !== 'string') throw invalidParams('method name expected');
        const at = P.optHash(h);
        this.#block(at);
        try {
          return u8aToHex(callRuntimeApi(chain, method, P.bytesParam(data ?? '0x', 'data'), at));
        } catch (e) {
          throw clientError(`Execution failed: ${(e as Error).message}`);
        }
      },
      state_getStorage: ([k, h]) => {
        const v = this.#state(P.optHash(h)).get(P.hexParam(k, 'key'));
        return v ? u8aToHex(v) : null;
      },
      state_getStorageHash: ([k, h]) => {
        const v = this.#state(P.optHash(h)).get(P.hexParam(k, 'key'));
        return v ? u8aToHex(chain.meta.registry.hash(v)) : null;
      },
      state_getStorageSize: ([k, h]) =>
        this.#state(P.optHash(h)).get(P.hexParam(k, 'key'))?.length ?? null,
      state_queryStorageAt: ([keys, h]) => {
        const at = P.optHash(h);
        const st = this.#state(at);
        const block = this.#block(at);
        return [
          {
            block: block.hash,
            changes: P.keyList(keys, 'keys').map((k) => {
              const v = st.get(k);
              return [k, v ? u8aToHex(v) : null];
            }),
          },
        ];
      },
      state_getKeys: ([prefix, h]) =>
        this.#state(P.optHash(h)).keys(P.hexParam(prefix ?? '0x', 'prefix')),
      state_getKeysPaged: ([prefix, count, start, h]) => {
        const n = typeof count === 'number' && count > 0 ? Math.min(count, 1000) : 0;
        if (n === 0) throw invalidParams('count must be a positive integer');
        const keys = this.#state(P.optHash(h)).keys(P.hexParam(prefix ?? '0x', 'prefix'));
        const after = start ? P.hexParam(start, 'startKey') : null;
        return (after ? keys.filter((k) => k > after) : keys).slice(0, n);
      },
      state_subscribeRuntimeVersion: (_p, s) =>
        this.#subscribe(s, 'state_subscribeRuntimeVersion', (_id, send) => {
          queueMicrotask(() => send(this.#runtimeVersion()));
          return () => {};
        }),
      state_subscribeStorage: ([keys], s) => {
        const list = keys === undefined || keys === null ? null : P.keyList(keys, 'keys');
        return this.#subscribe(s, 'state_subscribeStorage', (_id, send) => {
          const last = new Map<string, string | null>();
          const snapshot = (b: Block, all: boolean) => {
            const st = b.state as StateStore;
            const watch = list ?? [...st.dirty];
            const changes: [string, string | null][] = [];
            for (const k of watch) {
              const v = this.#valueHex(b, k);
              if (all || last.get(k) !== v) changes.push([k, v]);
              last.set(k, v);
            }
            if (all || changes.length > 0) send({ block: b.hash, changes });
          };
          const first = chain.head;
          queueMicrotask(() => snapshot(first, list !== null));
          return chain.onBlock((b) => snapshot(b, false));
        });
      },
      author_submitExtrinsic: ([x]) => chain.submit(P.bytesParam(x, 'extrinsic')),
      author_pendingExtrinsics: () => chain.pendingExtrinsics(),
      author_submitAndWatchExtrinsic: ([x], s) => {
        const bytes = P.bytesParam(x, 'extrinsic');
        const id = this.#subId();
        const send = (r: TxStatus) => s.notify('author_extrinsicUpdate', id, r);
        const queue: TxStatus[] = [];
        let ready = false;
        const watcher = (status: TxStatus) => {
          if (!ready) queue.push(status);
          else send(status);
          if (typeof status === 'object' && 'finalized' in status) s.subscriptions.delete(id);
          if (status === 'invalid' || status === 'dropped') s.subscriptions.delete(id);
        };
        const hash = chain.submit(bytes, watcher);
        s.subscriptions.set(id, () => chain.unwatch(hash, watcher));
        queueMicrotask(() => {
          ready = true;
          for (const st of queue.splice(0)) send(st);
        });
        return id;
      },
    };
    m.chain_subscribeNewHeads = (p, s) => heads(p, s, 'chain_subscribeNewHeads');
    m.chain_subscribeNewHead = (p, s) => heads(p, s, 'chain_subscribeNewHead');
    m.chain_subscribeAllHeads = (p, s) => heads(p, s, 'chain_subscribeAllHeads');
    m.chain_subscribeFinalizedHeads = (p, s) => heads(p, s, 'chain_subscribeFinalizedHeads');
    m.chain_subscribeFinalisedHeads = (p, s) => heads(p, s, 'chain_subscribeFinalisedHeads');
    m.chain_subscribeRuntimeVersion = m.state_subscribeRuntimeVersion as Method;
    m.chain_getHead = m.chain_getBlockHash as Method;
    m.state_getStorageAt = m.state_getStorage as Method;
    m.state_getKeysPagedAt = m.state_getKeysPaged as Method;
    for (const info of Object.values(SUBSCRIPTIONS)) {
      for (const u of info.unsubscribe) m[u] = (p, s) => this.#unsubscribe(p, s);
    }
    return m;
  }
}
