/**
 * What `runMiner` and `runValidator` share: the runtime's options and components, the chain
 * connection, the published IP and the status endpoint.
 */
import { networkInterfaces } from 'node:os';
import {
  type Chain,
  createSubtensorChain,
  isChainError,
  type ProviderInterface,
  resolveNetwork,
  type SubtensorChainOptions,
} from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
import type { Keypair } from '@subnetkit/wallet';
import type { NeuronConfig } from '../config/schema.js';
import { NeuronError } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';
import { createStatusServer, type StatusServerComponents } from '../status-server.js';

/** Options of `runMiner` / `runValidator`. */
export interface RunOptions<C extends NeuronConfig = NeuronConfig> {
  /** The loaded config (`loadConfig(...)`), possibly extended with the subnet's sections. */
  config: C;
  /** Extra `SubtensorChain` options (timeouts, `blockTimeSeconds` of a fast dev chain, beacon). */
  chain?: Omit<SubtensorChainOptions, 'network' | 'chainEndpoint'>;
  /** `role` in logs and `/status` (default `miner` / `validator`). */
  role?: string;
  /** Node's process metrics on `/metrics` too (`subnetkit_process_*`, `subnetkit_nodejs_*`); default off. */
  processMetrics?: boolean;
}

/** Injected parts; everything is created from the config when absent. */
export interface RunComponents {
  logger?: Logger;
  /** An already-connected chain. The runtime does not close it. */
  chain?: Chain;
  /** A provider for the `SubtensorChain` the runtime creates (an in-process localnet). */
  provider?: ProviderInterface;
  /** The hotkey, instead of reading `--wallet.*` from disk. */
  hotkey?: Keypair;
  /** The lifecycle to use (default: a new one with `--neuron.shutdown_timeout`). */
  lifecycle?: Lifecycle;
  now?: () => number;
}

/** The endpoint a config points at (for messages). */
export function endpointOf(config: NeuronConfig): string {
  try {
    return resolveNetwork(config.subtensor.network, config.subtensor.chainEndpoint).endpoint;
  } catch {
    return config.subtensor.chainEndpoint ?? config.subtensor.network;
  }
}

/** Connects the chain from `--subtensor.*` unless one was injected. */
export async function connectChain(
  options: RunOptions,
  components: RunComponents,
  logger: Logger,
): Promise<{ chain: Chain; owned: boolean }> {
  if (components.chain) return { chain: components.chain, owned: false };
  const { config } = options;
  const chainOptions: SubtensorChainOptions = {
    blockTimeSeconds: config.subtensor.blockTime,
    ...(config.subtensor.drandBeacon === 'chain' ? { beacon: 'chain' as const } : {}),
    ...options.chain,
    network: config.subtensor.network,
  };
  if (config.subtensor.chainEndpoint) chainOptions.chainEndpoint = config.subtensor.chainEndpoint;
  const retries = config.subtensor.connectRetries;
  for (let attempt = 0; ; attempt++) {
    try {
      const chain = await createSubtensorChain(chainOptions, {
        ...(components.provider ? { provider: components.provider } : {}),
        logger: logger.child({ component: 'chain' }),
      });
      return { chain, owned: true };
    } catch (error) {
      if (attempt >= retries || !isChainError(error) || !UNREACHABLE.has(error.code)) throw error;
      const waitMs = Math.min(1000 * 2 ** attempt, 30_000);
      logger.warn(
        { err: error, attempt: attempt + 1, retries, waitMs },
        `chain not reachable (${error.message}): try ${attempt + 2} of ${retries + 1} in ${waitMs / 1000} s`,
      );
      if (!(await sleepUnlessAborted(waitMs, components.lifecycle?.signal))) throw error;
    }
  }
}

/** Connection failures worth another try at start-up (the node may still be starting). */
const UNREACHABLE: ReadonlySet<string> = new Set([
  'CONNECTION_REFUSED',
  'CONNECT_TIMEOUT',
  'DISCONNECTED',
]);

function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(() => resolve(true), ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve(false);
      },
      { once: true },
    );
  });
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * The IP a miner publishes with `serve_axon`: `--axon.external_ip`, else `--axon.ip` when it is
 * a concrete address, else the first non-internal IPv4 of this machine. Never guessed from the
 * internet (the Python SDK asks external services; we do not send traffic anywhere).
 */
export function publishedIp(config: NeuronConfig): string {
  if (config.axon.externalIp) return config.axon.externalIp;
  if (!UNSPECIFIED.has(config.axon.ip)) return config.axon.ip;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  throw new NeuronError(
    'AXON_PUBLISH',
    'cannot tell which IP to publish on chain: this machine has no non-loopback IPv4 address; set --axon.external_ip',
    { details: { field: 'axon.external_ip' } },
  );
}

/** `error.message`, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts the neuron's loopback status endpoint (none with `--status.port -1`): `/status`,
 * `/healthz`, `/metrics` and, on a validator, `/artifacts/<sha256>`; `cleanups` closes it if
 * start-up fails later. Returns its port and its `stop` for the shutdown hooks.
 */
export async function startStatusEndpoint(
  config: NeuronConfig,
  providers: Omit<StatusServerComponents, 'logger'>,
  logger: Logger,
  cleanups: Array<() => unknown>,
): Promise<{ port: number | null; stop: (() => Promise<void>) | null }> {
  const server = createStatusServer(
    { port: config.status.port, host: config.status.host },
    { ...providers, logger },
  );
  if (!server) return { port: null, stop: null };
  const { port } = await server.start();
  const stop = () => server.stop();
  cleanups.push(stop);
  return { port, stop };
}
