/**
 * What `runMiner` and `runValidator` share: the hotkey, the chain connection, the registration
 * check (with the commands to fix it) and the runtime's options and components.
 */
import { networkInterfaces } from 'node:os';
import {
  type Chain,
  createSubtensorChain,
  type ProviderInterface,
  resolveNetwork,
  type SubtensorChainOptions,
} from '@subnetkit/chain';
import { createWallet, type Keypair, WalletError } from '@subnetkit/wallet';
import type { Logger } from 'pino';
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

/** `--wallet.*` and `--subtensor.*` as flags, for the commands printed in messages. */
function walletFlags(config: NeuronConfig): string {
  const path =
    config.wallet.path === '~/.bittensor/wallets' ? '' : ` --wallet.path ${config.wallet.path}`;
  return `--wallet.name ${config.wallet.name} --wallet.hotkey ${config.wallet.hotkey}${path}`;
}

function networkFlag(config: NeuronConfig): string {
  return config.subtensor.chainEndpoint
    ? `--subtensor.chain_endpoint ${config.subtensor.chainEndpoint}`
    : `--subtensor.network ${config.subtensor.network}`;
}

/** Reads the hotkey named by `--wallet.*`; a missing file says how to create one. */
export async function loadHotkey(config: NeuronConfig): Promise<Keypair> {
  const wallet = createWallet({
    name: config.wallet.name,
    hotkey: config.wallet.hotkey,
    path: config.wallet.path,
  });
  try {
    return await wallet.getHotkey();
  } catch (error) {
    if (error instanceof WalletError && error.code === 'KEYFILE_NOT_FOUND') {
      throw new NeuronError(
        'WALLET_MISSING',
        [
          `no hotkey file at ${wallet.hotkeyPath} (wallet "${config.wallet.name}", hotkey "${config.wallet.hotkey}").`,
          'Create it with btcli:',
          `  btcli wallet new_hotkey --wallet.name ${config.wallet.name} --wallet.hotkey ${config.wallet.hotkey}`,
          'or with subnetkit (coldkey and hotkey; --no-password only for dev chains):',
          `  subnetkit-wallet create ${walletFlags(config)}`,
          'or point --wallet.name / --wallet.hotkey / --wallet.path at an existing one.',
        ].join('\n'),
        { field: 'wallet.hotkey', path: wallet.hotkeyPath },
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The message for an unregistered hotkey: the exact btcli command, and the subnetkit
 * equivalent (`subnetkit-register`, from this package) that works on a subnetkit localnet too.
 */
export function notRegisteredError(config: NeuronConfig, hotkey: string): NeuronError {
  const endpoint = endpointOf(config);
  const network = config.subtensor.chainEndpoint ?? config.subtensor.network;
  return new NeuronError(
    'NOT_REGISTERED',
    [
      `hotkey ${hotkey} (wallet "${config.wallet.name}", hotkey "${config.wallet.hotkey}") is not registered on subnet ${config.netuid} at ${endpoint}.`,
      "Register it (this burns the subnet's registration cost from the wallet's coldkey), then start again:",
      `  btcli subnets register --netuid ${config.netuid} ${walletFlags(config)} --network ${network}`,
      'or with subnetkit (also on a subnetkit localnet dev chain):',
      `  subnetkit-register --netuid ${config.netuid} ${walletFlags(config)} ${networkFlag(config)}`,
    ].join('\n'),
    { field: 'netuid' },
  );
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
  const chainLogger = logger.child({ component: 'chain' });
  const chain = await createSubtensorChain(chainOptions, {
    ...(components.provider ? { provider: components.provider } : {}),
    logger: { info: (m) => chainLogger.info(m), warn: (m) => chainLogger.warn(m) },
  });
  return { chain, owned: true };
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
    { field: 'axon.external_ip' },
  );
}

/** `error.message`, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts the neuron's loopback status endpoint (none with `--status.port -1`); `cleanups`
 * closes it if start-up fails later. Returns its port and its `stop` for the shutdown hooks.
 */
export async function startStatusEndpoint(
  config: NeuronConfig,
  getStatus: StatusServerComponents['getStatus'],
  logger: Logger,
  cleanups: Array<() => unknown>,
  getArtifact?: StatusServerComponents['getArtifact'],
): Promise<{ port: number | null; stop: (() => Promise<void>) | null }> {
  const server = createStatusServer(
    { port: config.status.port, host: config.status.host },
    { getStatus, logger, ...(getArtifact ? { getArtifact } : {}) },
  );
  if (!server) return { port: null, stop: null };
  const { port } = await server.start();
  const stop = () => server.stop();
  cleanups.push(stop);
  return { port, stop };
}
