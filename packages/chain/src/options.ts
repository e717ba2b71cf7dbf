import type { ApiOptions } from '@polkadot/api/types';
import type { DrandChainInfo } from '@subnetkit/timelock';
import type { ReadSource } from './types.js';

export interface ReconnectOptions {
  /** First delay after a drop (default 250 ms). */
  initialDelayMs?: number;
  /** Upper bound of the delay (default 30 s). */
  maxDelayMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
}

export interface SubtensorChainOptions {
  /** `finney` (default), `test`, `archive`, `local`, or a ws(s) URL (`--subtensor.network`). */
  network?: string;
  /** Overrides `network` (`--subtensor.chain_endpoint`). */
  chainEndpoint?: string;
  /** Give up connecting after this long (default 30 s). */
  connectTimeoutMs?: number;
  /** Per read request (default 60 s). */
  requestTimeoutMs?: number;
  /** Default inclusion timeout of writes (default 120 s, 10 blocks). */
  txTimeoutMs?: number;
  reconnect?: ReconnectOptions;
  /** How far back to look for a submitted extrinsic after a reconnect (default 64 blocks). */
  inclusionSearchDepth?: number;
  /**
   * drand beacon timelocked weights are encrypted to: quicknet by default (what subtensor
   * mainnet verifies pulses against), a `DrandSimulator.info` on a dev chain, or `'chain'` to
   * read the runtime's `Drand.BeaconConfig`.
   */
  beacon?: DrandChainInfo | 'chain';
  /** Seconds per block for reveal-round estimates (default 12; 0.25 on a fast-blocks dev chain). */
  blockTimeSeconds?: number;
}

export interface ChainLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SubtensorChainComponents {
  /**
   * A ready-made provider (an in-process node for tests, a custom transport). Its reconnects
   * are its own business; without it a `WsProvider` is created for the endpoint and
   * reconnected with backoff by `SubtensorChain`.
   */
  provider?: ProviderInterface;
  logger?: ChainLogger;
  /** Wall clock in ms (reveal-round estimates); default `Date.now`. */
  now?: () => number;
}

/** The @polkadot/api provider interface (WsProvider, or an in-process provider). */
export type ProviderInterface = NonNullable<ApiOptions['provider']>;

export type MetagraphSource = Exclude<ReadSource, 'hyperparams-api'>;

export type ResolvedOptions = Required<
  Omit<SubtensorChainOptions, 'network' | 'chainEndpoint' | 'reconnect' | 'beacon'>
> & {
  reconnect: Required<ReconnectOptions>;
  /** Absent: quicknet, checked against the chain's `Drand.BeaconConfig` when it has one. */
  beacon?: DrandChainInfo | 'chain';
};

export const silentLogger: ChainLogger = { info: () => {}, warn: () => {} };
