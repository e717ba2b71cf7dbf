// Axon options: their defaults and validation.

import { availableParallelism } from 'node:os';
import type { Logger } from '@subnetkit/core';
import type { Keypair } from '@subnetkit/wallet';
import { TransportError } from '../errors.js';
import type { TransportMetricsHooks } from '../metrics.js';
import type { RateLimitOptions } from '../ratelimit.js';
import { DEFAULT_TIMEOUT_S, PROTOCOL_VERSION } from '../synapse.js';
import type { BtauthScheme, BtauthWindow } from '../wires/btauth.js';
import type { StakeLookup } from '../wires/fiber.js';
import type { ReplayStore } from '../wires/replay.js';
import type { WireName } from './types.js';

/** Every wire an axon can serve. */
export const WIRE_NAMES: readonly WireName[] = ['synapse', 'btauth', 'epistula', 'fiber'];

/** btauth/1 on the axon. */
export interface AxonBtauthOptions {
  /** The scheme callers sign with, pinned by our config (never read from the header). Default sr25519. */
  scheme?: BtauthScheme;
  /** Refuse requests without `X-Bittensor-Receiver` (default true, as the SDK). */
  requireReceiver?: boolean;
  /** Freshness: `maxAgeMs` (default 10 s) back, `skewMs` (default 2 s) ahead. */
  window?: BtauthWindow;
}

/** Epistula v2 on the axon. */
export interface AxonEpistulaOptions {
  /** Oldest accepted timestamp (default 10 s; the spec says 5 s, live subnets 8–15 s). */
  maxAgeMs?: number;
  /** Furthest accepted timestamp ahead of our clock (default 5 s). */
  maxFutureMs?: number;
  /** Refuse requests without `Epistula-Signed-For` (default true). */
  requireSignedFor?: boolean;
}

/** Fiber plain mode on the axon. */
export interface AxonFiberOptions {
  /** Nonce window either way (default 120 s, Fiber's). */
  windowMs?: number;
  /** Refuse validators below this stake (403); needs the `stakeLookup` component. Unset: no check. */
  minStake?: number | bigint;
}

export interface AxonOptions {
  /** The miner's hotkey: requests must be addressed (signed) to it; replies are signed by it. */
  keypair: Keypair;
  /** Bind address (the SDK always binds 0.0.0.0). */
  host?: string;
  /** Port; 0 picks a free one. Default 8091. */
  port?: number;
  /** Announced in `info()`; defaults to host/port. */
  externalIp?: string;
  externalPort?: number;
  /**
   * Largest request body accepted (413 above, before it is read when declared, as soon as it
   * passes the limit when chunked). Default 32 MiB (`DEFAULT_MAX_BODY_BYTES`): a 20 MB base64
   * image or audio field fits.
   */
  maxBodyBytes?: number;
  /**
   * Request-body bytes held over all requests at once, from their first byte to their reply.
   * A request that would pass it gets 503 (before its body is read when its length is declared).
   * It bounds memory under many concurrent large requests. Default 4 × `maxBodyBytes`; at least
   * `maxBodyBytes`.
   */
  maxBodyBytesInFlight?: number;
  /** Largest header block (node answers 431 above). Default 16 KiB. */
  maxHeaderBytes?: number;
  /**
   * Time for a client to send its request headers, from the connection's accept (or the first
   * byte of a next request on a kept-alive connection): the slowloris bound. Past it the axon
   * answers 408 and closes the connection (counted as `header_timeout`). Checked every
   * min(1 s, a tenth of it), so a connection is cut within 10–11 s by default. Default 10 s; at
   * most `requestTimeoutMs`.
   */
  headersTimeoutMs?: number;
  /** Time for a client to send the whole request. Default 30 s. */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this. Default 5 s. */
  keepAliveTimeoutMs?: number;
  /**
   * Open connections at most. Past it a new connection is answered 503 (`Retry-After: 1`) and
   * closed (counted as `too_many_connections`). Default 1024.
   */
  maxConnections?: number;
  /**
   * Open connections from one address at most (an IPv6 address counts by its /64). Past it a
   * new connection from that address is answered 429 (`Retry-After: 1`) and closed (counted as
   * `too_many_connections_ip`), so one address cannot fill `maxConnections`. Default 128
   * (`DEFAULT_MAX_CONNECTIONS_PER_IP`): above the 100-connection pool of the Python SDK's
   * dendrite (aiohttp's default) and our dendrite's 4 per axon, so one validator, even several
   * behind one address, is never refused; and it takes 8 addresses to fill the default cap.
   */
  maxConnectionsPerIp?: number;
  /** Handlers running at once. Default 64. */
  maxConcurrency?: number;
  /** Verified requests waiting for a handler slot; more get 503. Default 256. */
  maxQueue?: number;
  /** Timeout when the caller sends none. Default 12 s. */
  defaultTimeoutS?: number;
  /** Caps the caller's timeout (handler deadline and nonce window). Default 60 s. */
  maxTimeoutS?: number;
  /** Nonce window: age allowed beyond the timeout (SDK: 4000 ms) and future skew allowed. */
  nonceDeltaMs?: number;
  nonceMaxFutureMs?: number;
  nonceMaxEntries?: number;
  /** Requests per caller hotkey (429 above), or false. Default 50/s, burst 100. */
  rateLimit?: RateLimitOptions | false;
  /**
   * Signature checks and countersignatures on worker threads (0 = inline on the event loop).
   * Default 2 (1 on a single-core machine).
   */
  verifyWorkers?: number;
  /** `version_as_int` we announce. */
  version?: number;
  /** Whether to serve the SDK's default `/Synapse` ping. Default true. */
  ping?: boolean;
  /**
   * The wires served, each told by its headers (default `['synapse']`). Every attached synapse
   * is served at `/<SynapseName>` over each of them, by the same handlers.
   */
  wires?: readonly WireName[];
  btauth?: AxonBtauthOptions;
  epistula?: AxonEpistulaOptions;
  fiber?: AxonFiberOptions;
}

export interface AxonComponents {
  logger?: Logger;
  metrics?: TransportMetricsHooks;
  /** Replay store shared by btauth, Epistula and Fiber (default: one in-memory store). */
  replayStore?: ReplayStore;
  /** A validator's stake, for Fiber's `minStake` check. */
  stakeLookup?: StakeLookup;
}

/**
 * Signature checks (and the reply's countersignature) run on two worker threads by default (one
 * on a single-core machine). Measured in-process (bench: 3,000 verify + countersign jobs from
 * 64 callers), a job costs the same CPU with one or two workers (267–286 µs, the crypto alone
 * ≈ 266 µs): the pool adds almost nothing per job, so a second worker costs nothing and lets the
 * crypto use a second core when one is free, where one worker caps the axon at one core of
 * sr25519. Use 0 for inline checks (e.g. many axons in one process), more on machines with
 * cores to spare.
 */
export const DEFAULT_VERIFY_WORKERS = Math.min(2, availableParallelism());

/** Default `maxConnectionsPerIp` (see there why). */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 128;

/** Default `maxBodyBytes`: 32 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Every option with its default applied (the announced address stays optional). */
export type ResolvedAxonOptions = Required<
  Omit<
    AxonOptions,
    'externalIp' | 'externalPort' | 'rateLimit' | 'verifyWorkers' | 'btauth' | 'epistula' | 'fiber'
  >
> & {
  rateLimit: RateLimitOptions | false;
  verifyWorkers: number;
  btauth: AxonBtauthOptions;
  epistula: AxonEpistulaOptions;
  fiber: AxonFiberOptions;
};

const POSITIVE = [
  'maxBodyBytes',
  'maxBodyBytesInFlight',
  'maxHeaderBytes',
  'headersTimeoutMs',
  'requestTimeoutMs',
  'maxConnections',
  'maxConnectionsPerIp',
  'maxConcurrency',
  'defaultTimeoutS',
  'maxTimeoutS',
] as const;

/** Applies the defaults and rejects options that cannot work, naming the field. */
export function resolveAxonOptions(options: AxonOptions): ResolvedAxonOptions {
  if (!options?.keypair?.hasSecret) {
    throw new TransportError(
      'INVALID_OPTIONS',
      'axon: options.keypair must be a keypair with a secret key',
    );
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const o: ResolvedAxonOptions = {
    host: options.host ?? '0.0.0.0',
    port: options.port ?? 8091,
    maxBodyBytes,
    maxBodyBytesInFlight: options.maxBodyBytesInFlight ?? 4 * maxBodyBytes,
    maxHeaderBytes: options.maxHeaderBytes ?? 16 * 1024,
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 5_000,
    maxConnections: options.maxConnections ?? 1024,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP,
    maxConcurrency: options.maxConcurrency ?? 64,
    maxQueue: options.maxQueue ?? 256,
    defaultTimeoutS: options.defaultTimeoutS ?? DEFAULT_TIMEOUT_S,
    maxTimeoutS: options.maxTimeoutS ?? 60,
    nonceDeltaMs: options.nonceDeltaMs ?? 4_000,
    nonceMaxFutureMs: options.nonceMaxFutureMs ?? 4_000,
    nonceMaxEntries: options.nonceMaxEntries ?? 200_000,
    rateLimit: options.rateLimit ?? { perSecond: 50, burst: 100 },
    verifyWorkers: options.verifyWorkers ?? DEFAULT_VERIFY_WORKERS,
    version: options.version ?? PROTOCOL_VERSION,
    ping: options.ping ?? true,
    keypair: options.keypair,
    wires: resolveWires(options.wires),
    btauth: options.btauth ?? {},
    epistula: options.epistula ?? {},
    fiber: options.fiber ?? {},
  };
  for (const key of POSITIVE) {
    if (!(Number.isFinite(o[key]) && o[key] > 0)) {
      throw new TransportError('INVALID_OPTIONS', `axon: options.${key} must be a positive number`);
    }
  }
  if (o.maxBodyBytesInFlight < o.maxBodyBytes) {
    throw new TransportError(
      'INVALID_OPTIONS',
      `axon: options.maxBodyBytesInFlight (${o.maxBodyBytesInFlight}) must be at least options.maxBodyBytes (${o.maxBodyBytes})`,
    );
  }
  if (o.headersTimeoutMs > o.requestTimeoutMs) {
    throw new TransportError(
      'INVALID_OPTIONS',
      `axon: options.headersTimeoutMs (${o.headersTimeoutMs}) must be at most options.requestTimeoutMs (${o.requestTimeoutMs})`,
    );
  }
  if (!(Number.isInteger(o.verifyWorkers) && o.verifyWorkers >= 0)) {
    throw new TransportError(
      'INVALID_OPTIONS',
      'axon: options.verifyWorkers must be an integer ≥ 0',
    );
  }
  return o;
}

function resolveWires(wires: readonly WireName[] | undefined): readonly WireName[] {
  if (wires === undefined) return ['synapse'];
  if (!Array.isArray(wires) || wires.length === 0) {
    throw new TransportError(
      'INVALID_OPTIONS',
      `axon: options.wires must be a non-empty list of ${WIRE_NAMES.join(', ')}`,
    );
  }
  for (const w of wires) {
    if (!WIRE_NAMES.includes(w)) {
      throw new TransportError(
        'INVALID_OPTIONS',
        `axon: options.wires: unknown wire ${JSON.stringify(w)} (known: ${WIRE_NAMES.join(', ')})`,
      );
    }
  }
  return [...new Set(wires)];
}
