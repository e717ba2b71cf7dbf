/**
 * The start-up `runMiner` and `runValidator` share: logger, lifecycle, recent errors, the
 * cleanup list, hotkey, chain connection, registration check, then the first metagraph.
 */
import type { Chain, Metagraph } from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
import type { Keypair } from '@subnetkit/wallet';
import type { NeuronConfig } from '../config/schema.js';
import { createLifecycle, type Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logging.js';
import { ensurePrivateDir } from '../state/atomic.js';
import { RecentErrors } from '../status-server.js';
import type { NeuronContext } from '../types.js';
import { type ChainWatch, createChainWatch } from './chain-watch.js';
import { loadHotkey, notRegisteredError } from './registration.js';
import { connectChain, type RunComponents, type RunOptions } from './shared.js';

/** A neuron connected to the chain with a registered hotkey. */
export interface StartedNeuron<C extends NeuronConfig = NeuronConfig> {
  readonly config: C;
  readonly role: string;
  readonly netuid: number;
  readonly now: () => number;
  readonly startedAt: number;
  readonly logger: Logger;
  readonly lifecycle: Lifecycle;
  readonly errors: RecentErrors;
  /** Keeps an error for `/status` (and hands it to the validator's `onError`). */
  report(error: unknown, component: string): void;
  /** Closes what start-up opened when a later step fails: a failed start leaves nothing running. */
  readonly cleanups: Array<() => unknown>;
  readonly hotkey: Keypair;
  readonly chain: Chain;
  /** The runtime connected the chain itself (and closes it). */
  readonly owned: boolean;
  readonly uid: number;
  /** Runs the rest of start-up; on failure runs the cleanups, then rethrows. */
  closeOnFailure<T>(run: () => Promise<T>): Promise<T>;
}

/** A started neuron with its metagraph, kept up to date by the runtime. */
export interface SyncedNeuron<C extends NeuronConfig = NeuronConfig> extends StartedNeuron<C> {
  metagraph: Metagraph;
  /** The latest block seen. */
  block: number;
  /** The block of the last metagraph sync. */
  lastSync: number;
  /** False once the uid belongs to another hotkey. */
  registered: boolean;
  /** What the definition's code sees of the neuron. */
  readonly neuron: NeuronContext<C>;
  /** Stops the neuron when the chain goes back or is another chain (fed every head). */
  readonly chainWatch: ChainWatch;
}

/** What a role adds to the shared start-up. */
export interface StartupSetup {
  /** A state directory: created private before the logger may write to it. */
  stateDir?: string;
  onError?(error: unknown, component: string): void;
}

/** Runs `cleanups` in reverse, ignoring their failures. */
async function runCleanups(cleanups: Array<() => unknown>): Promise<void> {
  for (const f of cleanups.reverse())
    await Promise.resolve()
      .then(f)
      .catch(() => {});
}

/** Logger, lifecycle, errors and cleanups, then hotkey → chain → registration check. */
export async function startNeuron<C extends NeuronConfig>(
  options: RunOptions<C>,
  components: RunComponents,
  defaultRole: string,
  setup: StartupSetup = {},
): Promise<StartedNeuron<C>> {
  const { config } = options;
  const role = options.role ?? defaultRole;
  const netuid = config.netuid;
  const now = components.now ?? Date.now;
  const startedAt = now();
  const { stateDir } = setup;
  if (stateDir) await ensurePrivateDir(stateDir);
  const logger =
    components.logger ??
    createLogger({ logging: config.logging, base: { role, netuid }, stateDir }).logger;
  const lifecycle =
    components.lifecycle ??
    createLifecycle({ shutdownTimeoutMs: config.neuron.shutdownTimeout * 1000 }, { logger });
  const errors = new RecentErrors();
  const report = (error: unknown, component: string) => {
    errors.push(error, component);
    setup.onError?.(error, component);
  };
  const cleanups: Array<() => unknown> = [];
  const closeOnFailure = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      await runCleanups(cleanups);
      throw error;
    }
  };
  return closeOnFailure(async () => {
    const hotkey = components.hotkey ?? (await loadHotkey(config));
    const { chain, owned } = await connectChain(options, components, logger);
    if (owned) cleanups.push(() => chain.close());
    const uid = await chain.getUid(netuid, hotkey.ss58Address);
    if (uid === null) throw notRegisteredError(config, hotkey.ss58Address);
    const base = { config, role, netuid, now, startedAt, logger, lifecycle, errors, report };
    return { ...base, cleanups, hotkey, chain, owned, uid, closeOnFailure };
  });
}

/** Reads the first metagraph; the neuron counts as registered from here on. */
export async function firstMetagraph<C extends NeuronConfig>(
  started: StartedNeuron<C>,
): Promise<SyncedNeuron<C>> {
  const { config, logger, lifecycle, chain, netuid, hotkey, uid } = started;
  const [metagraph, genesisHash] = await Promise.all([
    chain.getMetagraph(netuid),
    chain.getGenesisHash(),
  ]);
  const chainWatch = createChainWatch({ ...started, genesisHash });
  const node: SyncedNeuron<C> = {
    ...started,
    chainWatch,
    metagraph,
    block: metagraph.block,
    lastSync: metagraph.block,
    registered: true,
    neuron: {
      config,
      logger,
      signal: lifecycle.signal,
      chain,
      netuid,
      get uid() {
        return node.registered ? uid : null;
      },
      hotkey: hotkey.ss58Address,
      metagraph: () => node.metagraph,
    },
  };
  return node;
}
