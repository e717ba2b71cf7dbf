import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hexToU8a } from '@polkadot/util';
import type { Logger } from '@subnetkit/core';
import type { YumaInput, YumaOutput } from '@subnetkit/scoring';
import { createDrandSimulator, type DrandSimulator, TimelockError } from '@subnetkit/timelock';
import type { Block } from './chain/block.js';
import { Chain, SNAPSHOT_FORMAT, type Snapshot } from './chain/chain.js';
import { buildGenesis, type GenesisConfig, resolveAccount, subnetParams } from './chain/genesis.js';
import { parseConfig } from './config.js';
import { invalidOption, LocalnetError } from './errors.js';
import { buildMetadata, type LocalnetMetadata } from './metadata/build.js';
import { parseBlockTime } from './options.js';
import type { RevealObserver } from './pallets/subtensor/timelocked.js';
import { RpcHandler } from './rpc/handler.js';
import { LocalnetProvider } from './rpc/provider.js';
import { type RpcServer, startRpcServer } from './rpc/server.js';
import { Reader } from './scale/scale.js';
import { BEACON_CONFIG, type BeaconConfig } from './state/codecs.js';
import { createItems, type Items } from './state/items.js';

export interface LocalnetOptions {
  /** Block time: ms, `'250ms'`, `'12s'`, or `'manual'`/0 (blocks only on `produceBlock`). Default 12 s. */
  blockTime?: number | string;
  /** Start a WebSocket JSON-RPC server on this port (0 = any free port). Default: none. */
  port?: number;
  /** Interface the server listens on (default 127.0.0.1). */
  host?: string;
  /** Genesis: balances, subnets and their hyperparameters. */
  genesis?: GenesisConfig;
  /** A JSON genesis file (read before `genesis`, which overrides it). */
  configFile?: string;
  /** Alpha emitted per block to each started subnet, in rao (default 1e9). */
  blockEmission?: bigint | number;
  /** Recent blocks whose state stays queryable (default 256, like a pruned node). */
  stateHistory?: number;
  /**
   * Keep the chain across restarts: resume from this file when it exists (genesis options are
   * then ignored), and write the head state to it on `close()` and every `snapshotEvery` blocks.
   */
  snapshotFile?: string;
  /** Blocks between automatic snapshots (default 100; 0 = only on close). */
  snapshotEvery?: number;
  /**
   * The simulated drand beacon whose pulses blocks carry (for timelocked weights), or `false`
   * for none (`Drand.BeaconConfig` then stays quicknet's and no pulse is ever stored).
   */
  drand?: LocalnetDrandOptions | false;
}

/**
 * The simulated beacon. Its clock is the block timestamps: the block after a parent with
 * timestamp T carries the pulses of every round up to `floor((T/1000 − genesisTime)/period) + 1`
 * (at most 50 per block), as subtensor's drand offchain worker submits what the beacon has
 * published when it runs after the parent's import.
 */
export interface LocalnetDrandOptions {
  /** Derive the BLS key from this seed (default `subnetkit-localnet`: stable across restarts). */
  seed?: string;
  /** Or a 32-byte big-endian BLS secret key, hex. */
  secretKey?: string;
  /** Seconds between rounds (default 3, quicknet's). */
  period?: number;
  /** Unix seconds of round 1 (default: the genesis block's timestamp, rounded down). */
  genesisTime?: number;
}

const DEFAULT_DRAND_SEED = 'subnetkit-localnet';

export interface LocalnetComponents {
  /** Shares one metadata build between localnets in a process (it costs ~100 ms). */
  metadata?: LocalnetMetadata;
  /** Observes every epoch: the Yuma input localnet read and the output it applied. */
  onEpoch?: (netuid: number, input: YumaInput, output: YumaOutput) => void;
  /**
   * Observes every attempt to reveal a timelocked commit (revealed, retried for a missing
   * pulse, dropped and why: what subtensor only writes to its trace log).
   */
  onReveal?: RevealObserver;
  /** Wall clock in ms for block timestamps (and so drand rounds); default `Date.now`. */
  now?: () => number;
  /**
   * Where a failed timed block production is reported (`@subnetkit/core`'s `Logger`; a pino
   * logger as is). Default: `console.error`.
   */
  logger?: Logger;
}

export interface Localnet {
  /** A `ProviderInterface` for `ApiPromise.create({ provider })`. Each call gives a new one. */
  provider(): LocalnetProvider;
  /** The WebSocket URL when a port was given. */
  readonly url: string | undefined;
  readonly chain: Chain;
  readonly metadata: LocalnetMetadata;
  readonly rpc: RpcHandler;
  readonly blockTimeMs: number;
  /** The simulated drand beacon (`undefined` with `drand: false`). */
  readonly drand: DrandSimulator | undefined;
  /** Seals the next block now (with whatever is in the pool). */
  produceBlock(): Block;
  /** Produces `n` blocks at once. */
  produceBlocks(n: number): Block;
  close(): Promise<void>;
}

let sharedMetadata: LocalnetMetadata | undefined;

export async function createLocalnet(
  options: LocalnetOptions = {},
  components: LocalnetComponents = {},
): Promise<Localnet> {
  const blockTimeMs = parseBlockTime(options.blockTime);
  const stateHistory = options.stateHistory ?? 256;
  if (!Number.isInteger(stateHistory) || stateHistory < 1) {
    throw invalidOption('stateHistory', 'must be a positive integer');
  }
  const blockEmission = BigInt(options.blockEmission ?? 1_000_000_000n);
  if (blockEmission < 0n) throw invalidOption('blockEmission', 'must not be negative');
  let genesis: GenesisConfig = {};
  if (options.configFile) {
    let text: string;
    try {
      text = readFileSync(options.configFile, 'utf8');
    } catch (e) {
      throw invalidOption(
        'configFile',
        `cannot read ${options.configFile}: ${(e as Error).message}`,
      );
    }
    genesis = parseConfig(text, options.configFile);
  }
  genesis = { ...genesis, ...(options.genesis ?? {}) };

  sharedMetadata ??= components.metadata ?? buildMetadata();
  const meta = components.metadata ?? sharedMetadata;
  const items = createItems(meta);
  const params = { blockEmission };
  const clock = components.now ?? Date.now;
  const now = BigInt(clock());
  const restore = options.snapshotFile
    ? readSnapshot(options.snapshotFile, meta.facts.specVersion)
    : undefined;
  const restoredBeacon = restore ? snapshotBeacon(items, restore) : undefined;
  const drand = makeDrand(options.drand, restoredBeacon, now);
  const start = restore
    ? { restore }
    : {
        state: buildGenesis(meta, items, genesis, params, now, drand && beaconConfigOf(drand)),
        timestamp: now,
      };
  const chain = new Chain(meta, items, start, {
    params,
    env: { subnetDefaults: subnetParams(genesis.subnetDefaults, undefined) },
    stateHistory,
    now: clock,
    ...(drand ? { drand, drandAuthor: resolveAccount('//Alice', 'drand author') } : {}),
    ...(components.onEpoch ? { onEpoch: components.onEpoch } : {}),
    ...(components.onReveal ? { onReveal: components.onReveal } : {}),
  });
  const rpc = new RpcHandler(chain, {
    chainName: 'subnetkit localnet',
    nodeName: 'subnetkit-localnet',
    nodeVersion: '0.1.0',
  });
  let server: RpcServer | undefined;
  if (options.port !== undefined) {
    server = await startRpcServer(rpc, options.host ?? '127.0.0.1', options.port);
  }
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  // After a restore the head's parent is unknown; one fresh block gives signers a parent to use.
  if (restore) chain.produceBlock();
  const snapshotEvery = options.snapshotEvery ?? 100;
  if (options.snapshotFile && snapshotEvery > 0) {
    const file = options.snapshotFile;
    chain.onBlock((b) => {
      if (b.number % snapshotEvery === 0) writeSnapshot(file, chain.snapshot());
    });
  }
  const produceBlock = () => {
    if (closed) throw new LocalnetError('CLOSED', 'localnet is closed');
    return chain.produceBlock();
  };
  if (blockTimeMs > 0) {
    const tick = () => {
      if (closed) return;
      try {
        chain.produceBlock();
      } catch (e) {
        if (components.logger) components.logger.error({ err: e }, 'block production failed');
        else console.error('[localnet] block production failed:', e);
      }
      timer = setTimeout(tick, blockTimeMs);
    };
    timer = setTimeout(tick, blockTimeMs);
  }
  const providers: LocalnetProvider[] = [];
  return {
    provider: () => {
      const p = new LocalnetProvider(rpc);
      providers.push(p);
      return p;
    },
    url: server?.url,
    chain,
    metadata: meta,
    rpc,
    blockTimeMs,
    drand,
    produceBlock,
    produceBlocks: (n: number) => {
      let b = chain.head;
      for (let k = 0; k < n; k++) b = produceBlock();
      return b;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      chain.flushFinality();
      if (options.snapshotFile) writeSnapshot(options.snapshotFile, chain.snapshot());
      await Promise.all(providers.map((p) => p.disconnect()));
      await server?.close();
    },
  };
}

function readSnapshot(file: string, specVersion: number): Snapshot | undefined {
  if (!existsSync(file)) return undefined;
  let snap: Snapshot;
  try {
    snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  } catch (e) {
    throw invalidOption(
      'snapshotFile',
      `${file} is not a readable snapshot: ${(e as Error).message}`,
    );
  }
  if (snap.format !== SNAPSHOT_FORMAT) {
    throw invalidOption('snapshotFile', `${file} is not a ${SNAPSHOT_FORMAT} file`);
  }
  if (snap.specVersion !== specVersion) {
    throw invalidOption(
      'snapshotFile',
      `${file} was written by spec ${snap.specVersion}, this is ${specVersion}`,
    );
  }
  return snap;
}

/** Atomic: write a temporary file, then rename it over the snapshot. */
function writeSnapshot(file: string, snap: Snapshot): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snap));
  renameSync(tmp, file);
}

/** `Drand.BeaconConfig` for a simulated beacon (no drand chain or group hash: zeros). */
function beaconConfigOf(drand: DrandSimulator): BeaconConfig {
  const text = (x: string) => new TextEncoder().encode(x);
  return {
    publicKey: drand.publicKey,
    period: drand.info.period,
    genesisTime: drand.info.genesisTime,
    hash: new Uint8Array(32),
    groupHash: new Uint8Array(32),
    schemeId: text(drand.info.schemeId ?? 'bls-unchained-g1-rfc9380'),
    beaconId: text('subnetkit-localnet'),
  };
}

function snapshotBeacon(items: Items, snap: Snapshot): BeaconConfig | undefined {
  const key = items.drand.beaconConfig.key();
  const entry = snap.state.find(([k]) => k === key);
  return entry ? BEACON_CONFIG.dec(new Reader(hexToU8a(entry[1]))) : undefined;
}

function makeDrand(
  opts: LocalnetDrandOptions | false | undefined,
  restored: BeaconConfig | undefined,
  genesisMs: bigint,
): DrandSimulator | undefined {
  if (opts === false) return undefined;
  const o = opts ?? {};
  if (o.seed !== undefined && o.secretKey !== undefined) {
    throw invalidOption('drand', 'give seed or secretKey, not both');
  }
  try {
    return createDrandSimulator({
      ...(o.secretKey !== undefined
        ? { secretKey: o.secretKey }
        : { seed: o.seed ?? DEFAULT_DRAND_SEED }),
      // A restored chain keeps its beacon clock unless told otherwise.
      period: o.period ?? restored?.period ?? 3,
      genesisTime: o.genesisTime ?? restored?.genesisTime ?? Math.floor(Number(genesisMs) / 1000),
    });
  } catch (e) {
    if (e instanceof TimelockError) throw invalidOption(`drand.${e.field}`, e.message);
    throw e;
  }
}
