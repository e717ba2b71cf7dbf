import type { ApiOptions } from '@polkadot/api/types';
import { type Logger, silentLogger } from '@subnetkit/core';
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

/**
 * @deprecated The chain's old `{ info, warn }` logger shape. Pass a {@link Logger} from
 * `@subnetkit/core` instead (a pino logger or pino child as is). Still accepted so existing
 * callers compile: {@link toLogger} completes it (`debug` → dropped, `error` → `warn`) and calls
 * it with one string only. Its methods have `Logger`'s parameter list so that an object literal
 * `{ info: (m) => …, warn: (m) => … }` keeps its contextual types; `(message: string) => void`
 * implementations are accepted (method parameters are bivariant).
 */
export interface ChainLogger {
  info(message: object | string, msg?: string): void;
  warn(message: object | string, msg?: string): void;
}

export interface SubtensorChainComponents {
  /**
   * A ready-made provider (an in-process node for tests, a custom transport). Its reconnects
   * are its own business; without it a `WsProvider` is created for the endpoint and
   * reconnected with backoff by `SubtensorChain`.
   */
  provider?: ProviderInterface;
  /** Where the chain logs reconnects, fallbacks and notices; default: nothing is written. */
  logger?: Logger | ChainLogger;
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

/** The given logger as a {@link Logger}; the deprecated `{ info, warn }` shape is completed. */
export function toLogger(logger: Logger | ChainLogger | undefined): Logger {
  if (logger === undefined) return silentLogger();
  if (isLogger(logger)) return logger;
  const legacy = logger;
  const text = (obj: object | string, msg?: string): string =>
    typeof obj === 'string' ? obj : (msg ?? JSON.stringify(obj));
  const adapted: Logger = {
    debug: () => {},
    info: (obj: object | string, msg?: string) => legacy.info(text(obj, msg)),
    warn: (obj: object | string, msg?: string) => legacy.warn(text(obj, msg)),
    error: (obj: object | string, msg?: string) => legacy.warn(text(obj, msg)),
    child: () => adapted,
  };
  return adapted;
}

function isLogger(logger: Logger | ChainLogger): logger is Logger {
  const l = logger as Partial<Logger>;
  return (
    typeof l.debug === 'function' && typeof l.error === 'function' && typeof l.child === 'function'
  );
}
