import type { Header } from '@polkadot/types/interfaces';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { DrandSimulator } from '@subnetkit/timelock';
import { LocalnetError } from '../errors.js';
import type { LocalnetMetadata } from '../metadata/build.js';
import { emptyAccount } from '../pallets/balances.js';
import { type DispatchEnv, dispatch } from '../pallets/dispatch.js';
import { pulsesDue } from '../pallets/drand.js';
import { blockStep } from '../pallets/subtensor/epoch.js';
import type { RevealObserver } from '../pallets/subtensor/timelocked.js';
import { DispatchFailure, type ModuleErrorFn, moduleErrors } from '../runtime/dispatch-error.js';
import { eventEncoder } from '../runtime/events.js';
import { BlockContext, type ChainParams, type Origin } from '../runtime/runtime.js';
import * as s from '../scale/scale.js';
import type { Items } from '../state/items.js';
import { StateStore } from '../state/store.js';
import type { Block, TxStatus } from './block.js';
import {
  BadFormat,
  type DecodedExtrinsic,
  decodeExtrinsic,
  eraBirth,
  signingPayload,
  verifySignature,
} from './extrinsic.js';
import { fastCallDecoder } from './fast-call.js';
import {
  alreadyImported,
  badFormat,
  INVALID,
  priorityTooLow,
  RpcError,
  UNKNOWN,
} from './pool-error.js';
import { FEELESS, subtensorPoolCheck } from './tx-extension.js';

export type TxWatcher = (status: TxStatus) => void;

export const SNAPSHOT_FORMAT = 'subnetkit-localnet-snapshot/1';

export interface SnapshotBlock {
  header: string;
  stateRoot: string;
  extrinsics: string[];
}

/** A saved chain: genesis and head headers plus the head's full state (hex key → value). */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  specVersion: number;
  genesis: SnapshotBlock;
  head: SnapshotBlock;
  state: [string, string][];
}

interface PoolEntry {
  ext: DecodedExtrinsic;
  hash: string;
  sender: string;
  watchers: Set<TxWatcher>;
}

export interface ChainOptions {
  params: ChainParams;
  env: DispatchEnv;
  /** How many recent blocks keep their full state for `at` queries. */
  stateHistory: number;
  /** Delay between a watched extrinsic's InBlock and Finalized notifications (default 150 ms). */
  finalityDelayMs?: number;
  /** Called after each epoch (tests and the bench compare it with scoring's Yuma). */
  onEpoch?: Parameters<typeof blockStep>[1];
  /** Called for each timelocked commit the chain tries to reveal (revealed, retry, dropped). */
  onReveal?: RevealObserver;
  /** The drand beacon whose pulses blocks carry (`write_pulse`); none: no pulses are written. */
  drand?: DrandSimulator;
  /** The key named as the pulses' submitter (`PulsesPayload.public`, sr25519). */
  drandAuthor?: Uint8Array;
  /** Wall clock for block timestamps, in ms (default `Date.now`). */
  now?: () => number;
}

export type BlockListener = (block: Block) => void;

/** Blocks, the transaction pool and block production. State lives per block. */
export class Chain {
  /** Blocks by number (sparse after a snapshot restore: only genesis and the restored head). */
  readonly blocks: Block[] = [];
  readonly #byHash = new Map<string, Block>();
  readonly #pool = new Map<string, PoolEntry>();
  readonly #listeners = new Set<BlockListener>();
  readonly #pendingFinal: [TxWatcher, string][] = [];
  #finalTimer: NodeJS.Timeout | undefined;
  readonly #moduleError: ModuleErrorFn;
  readonly #encodeEvent: ReturnType<typeof eventEncoder>;
  readonly #fastCall: ReturnType<typeof fastCallDecoder>;
  readonly genesisHash: Uint8Array;

  constructor(
    readonly meta: LocalnetMetadata,
    readonly items: Items,
    genesis: { state: StateStore; timestamp: bigint } | { restore: Snapshot },
    readonly options: ChainOptions,
  ) {
    this.#moduleError = moduleErrors(meta);
    this.#encodeEvent = eventEncoder(meta);
    this.#fastCall = fastCallDecoder(meta);
    if ('restore' in genesis) {
      const snap = genesis.restore;
      const g = this.#blockFromSnapshot(snap.genesis, undefined);
      const head = this.#blockFromSnapshot(
        snap.head,
        new StateStore(snap.state.map(([k, v]) => [k, hexToU8a(v)])),
      );
      this.genesisHash = hexToU8a(g.hash);
      for (const b of [g, head]) {
        this.blocks[b.number] = b;
        this.#byHash.set(b.hash, b);
      }
    } else {
      const genesisBlock = this.#seal(0, new Uint8Array(32), genesis.state, [], new Uint8Array(32));
      this.genesisHash = hexToU8a(genesisBlock.hash);
    }
  }

  get head(): Block {
    return this.blocks[this.blocks.length - 1] as Block;
  }

  get poolSize(): number {
    return this.#pool.size;
  }

  /** The pool's extrinsics (hex), in arrival order. */
  pendingExtrinsics(): string[] {
    return [...this.#pool.values()].map((e) => u8aToHex(e.ext.bytes));
  }

  blockByHash(hash: string): Block | undefined {
    return this.#byHash.get(hash.toLowerCase());
  }

  /** The state at a block (head when absent); errors like a pruned node for old blocks. */
  stateAt(hash?: string | null): StateStore {
    const block = hash ? this.blockByHash(hash) : this.head;
    if (!block) throw new LocalnetError('UNKNOWN_BLOCK', `Unknown block ${hash}`);
    if (!block.state)
      throw new LocalnetError('STATE_DISCARDED', `State already discarded for ${block.hash}`);
    return block.state;
  }

  onBlock(listener: BlockListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A read-only context over the head state, as the pool validates (block number best + 1). */
  readContext(hash?: string | null): BlockContext {
    const block = hash ? (this.blockByHash(hash) ?? this.head) : this.head;
    return new BlockContext(
      this.meta,
      this.items,
      this.stateAt(block.hash),
      block.number + 1,
      this.options.params,
      this.#moduleError,
      this.#encodeEvent,
    );
  }

  accountNonce(who: Uint8Array): number {
    return this.items.system.account.get(this.head.state as StateStore, who).nonce;
  }

  /** system_accountNextIndex: the state nonce plus this sender's ready transactions. */
  nextIndex(who: Uint8Array): number {
    let next = this.accountNonce(who);
    const sender = u8aToHex(who);
    const nonces = new Set<number>();
    for (const e of this.#pool.values()) if (e.sender === sender) nonces.add(e.ext.nonce as number);
    while (nonces.has(next)) next++;
    return next;
  }

  /** Validates and queues an extrinsic; throws RpcError exactly where a node's pool would. */
  submit(bytes: Uint8Array, watcher?: TxWatcher): string {
    let ext: DecodedExtrinsic;
    try {
      ext = decodeExtrinsic(this.meta.registry, bytes, this.#fastCall);
    } catch (e) {
      throw badFormat(e instanceof BadFormat ? e.message : String(e));
    }
    const hash = u8aToHex(ext.hash);
    if (this.#pool.has(hash)) throw alreadyImported();
    if (!ext.signed) throw UNKNOWN.noUnsignedValidator();
    const status = this.#validate(ext);
    const entry: PoolEntry = { ext, hash, sender: u8aToHex(ext.signer), watchers: new Set() };
    if (watcher) entry.watchers.add(watcher);
    this.#pool.set(hash, entry);
    watcher?.(status);
    return hash;
  }

  unwatch(hash: string, watcher: TxWatcher): void {
    this.#pool.get(hash)?.watchers.delete(watcher);
  }

  #validate(ext: DecodedExtrinsic): 'ready' | 'future' {
    const head = this.head;
    const current = head.number + 1;
    if (ext.metadataHashMode === 1) throw UNKNOWN.cannotLookup();
    const era = ext.era ?? { kind: 'immortal' as const };
    const birth = eraBirth(era, current);
    const birthBlock = this.blocks[birth];
    if (
      !birthBlock ||
      (era.kind === 'mortal' && current - birth > this.meta.facts.blockHashCount)
    ) {
      throw INVALID.ancientBirthBlock();
    }
    const payload = signingPayload(ext, {
      specVersion: this.meta.facts.specVersion,
      transactionVersion: this.meta.facts.transactionVersion,
      genesisHash: this.genesisHash,
      birthHash: hexToU8a(birthBlock.hash),
    });
    if (!verifySignature(ext, payload)) throw INVALID.badProof();
    const signer = ext.signer as Uint8Array;
    const nonce = ext.nonce as number;
    const stateNonce = this.accountNonce(signer);
    if (nonce < stateNonce) throw INVALID.stale();
    const sender = u8aToHex(signer);
    for (const e of this.#pool.values()) {
      if (e.sender === sender && e.ext.nonce === nonce) throw priorityTooLow();
    }
    const name = `${ext.call.section}.${ext.call.method}`;
    const ctx = this.readContext();
    if (!FEELESS.has(name) && ctx.items.system.account.get(ctx.st, signer).free === 0n) {
      throw INVALID.payment();
    }
    const custom = subtensorPoolCheck(ctx, signer, ext.call);
    if (custom !== undefined) throw INVALID.custom(custom);
    return nonce > this.nextIndex(signer) ? 'future' : 'ready';
  }

  /** Builds, executes and seals the next block; it is final at once (instant finality). */
  produceBlock(now: bigint = BigInt((this.options.now ?? Date.now)())): Block {
    this.#flushFinal();
    const parent = this.head;
    const number = parent.number + 1;
    const st = (parent.state as StateStore).clone();
    const ctx = new BlockContext(
      this.meta,
      this.items,
      st,
      number,
      this.options.params,
      this.#moduleError,
      this.#encodeEvent,
    );
    const it = this.items;
    it.system.number.set(st, [], number);
    it.system.parentHash.set(st, [], hexToU8a(parent.hash));
    it.system.blockHash.set(st, [parent.number], hexToU8a(parent.hash));
    const parentTimestamp = it.timestamp.now.get(st);
    const timestamp = now > parentTimestamp ? now : parentTimestamp + 1n;
    blockStep(ctx, this.options.onEpoch, this.options.onReveal);

    const applied: string[] = [];
    const inherent = this.meta.registry.createType('Call', {
      callIndex: [2, 0],
      args: { now: timestamp },
    });
    const inherentBytes = s.concat(
      s.compact(inherent.encodedLength + 1),
      Uint8Array.of(4),
      inherent.toU8a(),
    );
    this.#apply(ctx, { kind: 'none' }, inherent as never, 0, 'timestamp.set', 'Mandatory');
    applied.push(u8aToHex(inherentBytes));

    // The drand offchain worker's unsigned write_pulse transactions, first in the pool.
    if (this.options.drand) {
      const author = this.options.drandAuthor ?? new Uint8Array(32);
      const due = pulsesDue(it, st, this.options.drand, parent.number, parentTimestamp, author);
      for (const callBytes of due) {
        const call = this.meta.registry.createType('Call', callBytes);
        this.#apply(
          ctx,
          { kind: 'none' },
          call as never,
          applied.length,
          'drand.writePulse',
          'Normal',
        );
        applied.push(
          u8aToHex(s.concat(s.compact(callBytes.length + 1), Uint8Array.of(4), callBytes)),
        );
      }
    }

    const included = new Set<PoolEntry>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const entry of this.#pool.values()) {
        if (included.has(entry)) continue;
        const signer = entry.ext.signer as Uint8Array;
        const account = it.system.account.get(st, signer);
        const nonce = entry.ext.nonce as number;
        if (nonce < account.nonce) {
          this.#drop(entry, 'invalid');
          continue;
        }
        if (nonce > account.nonce) continue;
        const existing = it.system.account.getOpt(st, signer);
        it.system.account.set(st, [signer], { ...(existing ?? emptyAccount()), nonce: nonce + 1 });
        const name = `${entry.ext.call.section}.${entry.ext.call.method}`;
        this.#apply(
          ctx,
          { kind: 'signed', who: signer },
          entry.ext.call,
          applied.length,
          name,
          'Normal',
        );
        applied.push(u8aToHex(entry.ext.bytes));
        included.add(entry);
        progress = true;
      }
    }
    ctx.phase = 'Finalization';
    it.timestamp.didUpdate.remove(st);
    it.system.events.set(st, [], ctx.encodedEvents());
    it.system.eventCount.set(st, [], ctx.events.length);
    it.system.extrinsicCount.set(st, [], applied.length);

    const block = this.#seal(number, hexToU8a(parent.hash), st, applied, parent.stateRoot);
    for (const entry of included) {
      this.#pool.delete(entry.hash);
      for (const w of entry.watchers) w({ inBlock: block.hash });
      for (const w of entry.watchers) this.#pendingFinal.push([w, block.hash]);
    }
    for (const l of this.#listeners) l(block);
    if (this.#pendingFinal.length > 0 && !this.#finalTimer) {
      this.#finalTimer = setTimeout(() => this.#flushFinal(), this.options.finalityDelayMs ?? 150);
    }
    return block;
  }

  /**
   * Blocks are final at once, but a node's GRANDPA lag keeps InBlock and Finalized apart, and
   * polkadot-js drops an InBlock it is still handling when Finalized arrives. So Finalized
   * follows at the next block or after `finalityDelayMs`, whichever comes first.
   */
  #flushFinal(): void {
    if (this.#finalTimer) clearTimeout(this.#finalTimer);
    this.#finalTimer = undefined;
    for (const [w, hash] of this.#pendingFinal.splice(0)) w({ finalized: hash });
  }

  /** The head block and its state, enough to resume the chain later (see `Snapshot`). */
  snapshot(): Snapshot {
    const g = this.blocks[0] as Block;
    const head = this.head;
    const state = head.state as StateStore;
    return {
      format: SNAPSHOT_FORMAT,
      specVersion: this.meta.facts.specVersion,
      genesis: {
        header: g.header.toHex(),
        stateRoot: u8aToHex(g.stateRoot),
        extrinsics: g.extrinsics,
      },
      head: {
        header: head.header.toHex(),
        stateRoot: u8aToHex(head.stateRoot),
        extrinsics: head.extrinsics,
      },
      state: [...state.entries()].map(([k, v]) => [k, u8aToHex(v)]),
    };
  }

  #blockFromSnapshot(b: SnapshotBlock, state: StateStore | undefined): Block {
    const header = this.meta.registry.createType('Header', hexToU8a(b.header)) as Header;
    return {
      number: header.number.toNumber(),
      hash: header.hash.toHex(),
      header,
      extrinsics: b.extrinsics,
      state,
      stateRoot: hexToU8a(b.stateRoot),
    };
  }

  /** Sends pending Finalized notifications now (on close). */
  flushFinality(): void {
    this.#flushFinal();
  }

  #apply(
    ctx: BlockContext,
    origin: Origin,
    call: DecodedExtrinsic['call'],
    index: number,
    name: string,
    klass: 'Normal' | 'Mandatory',
  ): void {
    ctx.phase = { ApplyExtrinsic: index };
    const mark = ctx.events.length;
    const dispatchInfo = {
      weight: { refTime: 0, proofSize: 0 },
      class: klass,
      paysFee: FEELESS.has(name) || klass === 'Mandatory' ? 'No' : 'Yes',
    };
    ctx.st.begin();
    try {
      dispatch(ctx, origin, call, this.options.env);
      ctx.st.commit();
      ctx.deposit({ System: { ExtrinsicSuccess: { dispatchInfo } } });
    } catch (e) {
      ctx.st.rollback();
      ctx.events.length = mark;
      const failure =
        e instanceof DispatchFailure
          ? e
          : new DispatchFailure('Other', `localnet: ${(e as Error).message}`);
      ctx.deposit({ System: { ExtrinsicFailed: { dispatchError: failure.error, dispatchInfo } } });
    }
  }

  #drop(entry: PoolEntry, status: TxStatus): void {
    this.#pool.delete(entry.hash);
    for (const w of entry.watchers) w(status);
  }

  #seal(
    number: number,
    parentHash: Uint8Array,
    st: StateStore,
    extrinsics: string[],
    parentRoot: Uint8Array,
  ): Block {
    const dirty = [...st.dirty].sort();
    const stateRoot = blake2AsU8a(
      s.concat(parentRoot, ...dirty.flatMap((k) => [hexToU8a(k), st.get(k) ?? new Uint8Array()])),
      256,
    );
    const extrinsicsRoot = blake2AsU8a(s.concat(...extrinsics.map((x) => hexToU8a(x))), 256);
    const header = this.meta.registry.createType('Header', {
      parentHash,
      number,
      stateRoot,
      extrinsicsRoot,
      digest: { logs: [] },
    }) as Header;
    const block: Block = {
      number,
      hash: header.hash.toHex(),
      header,
      extrinsics,
      state: st,
      stateRoot,
    };
    this.blocks[number] = block;
    this.#byHash.set(block.hash, block);
    const old = this.blocks[number - this.options.stateHistory];
    if (old && old.number > 0) old.state = undefined;
    return block;
  }
}

export { RpcError };
