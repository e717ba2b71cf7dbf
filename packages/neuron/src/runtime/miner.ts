import type { Chain, Metagraph } from '@subnetkit/chain';
import { type Axon, createAxon, TransportMetrics } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import type { NeuronConfig } from '../config/schema.js';
import { minerSynapsesOf } from '../definitions.js';
import { NeuronError } from '../errors.js';
import { createLifecycle, type Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logging.js';
import { createMinerHandlers } from '../miner/handlers.js';
import { CallerIndex } from '../miner/policy.js';
import { RecentErrors, type StatusSnapshot } from '../status-server.js';
import type { AnyMinerDefinition, MinerBackend, NeuronContext } from '../types.js';
import { loadHotkey, notRegisteredError } from './registration.js';
import {
  connectChain,
  endpointOf,
  errorMessage,
  publishedIp,
  type RunComponents,
  type RunOptions,
  startStatusEndpoint,
} from './shared.js';

/** Requests a miner's `forward` handled, for `/status`. */
export interface MinerCounts {
  /** `forward` returned an answer. */
  served: number;
  /** `forward` threw. */
  failed: number;
  /** Refused before `forward` (blacklist, signature, nonce, rate limit …), by reason. */
  rejected: Record<string, number>;
}

/** A started miner. */
export interface RunningMiner {
  readonly lifecycle: Lifecycle;
  readonly axon: Axon;
  readonly chain: Chain;
  readonly hotkey: Keypair;
  readonly uid: number;
  /** The `/status` port, when enabled. */
  readonly statusPort: number | null;
  /** What `/status` returns. */
  status(): StatusSnapshot;
  /** The latest synced metagraph. */
  metagraph(): Metagraph;
  /** Re-reads the metagraph now (normally every `--neuron.epoch_length` blocks). */
  syncMetagraph(): Promise<void>;
  /** Graceful shutdown (the same as SIGTERM through `installSignalHandlers`). */
  stop(reason?: string): ReturnType<Lifecycle['shutdown']>;
}

function sameAxon(
  onChain: { ip: string; port: number; version: number; isServing?: boolean } | undefined,
  wanted: { ip: string; port: number; version: number },
): boolean {
  return (
    onChain !== undefined &&
    onChain.ip === wanted.ip &&
    onChain.port === wanted.port &&
    onChain.version === wanted.version
  );
}

/**
 * Runs a miner: hotkey → chain → registration check → backend → axon (the definition's
 * `forward`, default or custom blacklist/priority over the metagraph's callers) →
 * `serve_axon` only when the published `AxonInfo` differs → metagraph refresh every
 * `--neuron.epoch_length` blocks → `/status`. Resolves once serving; shut it down with
 * `stop()` or `installSignalHandlers(miner.lifecycle, process, …)`.
 */
export async function runMiner<B extends MinerBackend, C extends NeuronConfig>(
  definition: AnyMinerDefinition<B, C>,
  options: RunOptions<C>,
  components: RunComponents = {},
): Promise<RunningMiner> {
  const { config } = options;
  const role = options.role ?? 'miner';
  const now = components.now ?? Date.now;
  const startedAt = now();
  const logger =
    components.logger ??
    createLogger({ logging: config.logging, base: { role, netuid: config.netuid } }).logger;
  const lifecycle =
    components.lifecycle ??
    createLifecycle({ shutdownTimeoutMs: config.neuron.shutdownTimeout * 1000 }, { logger });
  const errors = new RecentErrors();
  const netuid = config.netuid;
  const synapses = minerSynapsesOf(definition);

  // Anything opened before a failure is closed again: a failed start leaves nothing running.
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const cleanup = async () => {
    for (const f of cleanups.reverse())
      await Promise.resolve()
        .then(f)
        .catch(() => {});
  };
  try {
    const hotkey = components.hotkey ?? (await loadHotkey(config));
    const { chain, owned } = await connectChain(options, components, logger);
    if (owned) cleanups.push(() => chain.close());
    const uid = await chain.getUid(netuid, hotkey.ss58Address);
    if (uid === null) throw notRegisteredError(config, hotkey.ss58Address);
    let metagraph = await chain.getMetagraph(netuid);
    let callers = new CallerIndex(metagraph);
    let block = metagraph.block;
    let lastSync = metagraph.block;
    let registered = true;

    const neuron: NeuronContext<C> = {
      config,
      logger,
      signal: lifecycle.signal,
      chain,
      netuid,
      get uid() {
        return registered ? uid : null;
      },
      hotkey: hotkey.ss58Address,
      metagraph: () => metagraph,
    };

    await definition.backend.start?.({
      logger: logger.child({ component: 'backend' }),
      signal: lifecycle.signal,
    });
    if (definition.backend.close) cleanups.push(() => definition.backend.close?.());

    const counts: MinerCounts = { served: 0, failed: 0, rejected: {} };
    const metrics = new TransportMetrics();
    const axon = createAxon(
      {
        keypair: hotkey,
        host: config.axon.ip,
        port: config.axon.port,
        ...(config.axon.externalIp ? { externalIp: config.axon.externalIp } : {}),
        ...(config.axon.externalPort ? { externalPort: config.axon.externalPort } : {}),
      },
      { logger: logger.child({ component: 'axon' }), metrics },
    );
    for (const entry of synapses) {
      const handlers = createMinerHandlers(entry, {
        backend: definition.backend,
        neuron,
        callers: () => callers,
        policy: config.blacklist,
      });
      axon.attach(entry.protocol, {
        ...handlers,
        forward: async (input, ctx) => {
          try {
            const out = await handlers.forward(input, ctx);
            counts.served++;
            return out;
          } catch (error) {
            counts.failed++;
            errors.push(error, `forward:${entry.protocol.name}`);
            throw error;
          }
        },
      });
    }
    await axon.start();
    cleanups.push(() => axon.stop({ graceMs: 1000 }));

    // Publish the axon only when what the chain has differs (serve_axon is rate limited).
    const wanted = {
      ip: publishedIp(config),
      port: config.axon.externalPort ?? axon.port,
      version: axon.info().version,
    };
    if (sameAxon(metagraph.axons[uid], wanted)) {
      logger.info({ uid, axon: wanted }, 'axon already published on chain; not serving it again');
    } else {
      try {
        const r = await chain.serveAxon(hotkey, { netuid, ...wanted, protocol: 4 });
        logger.info({ uid, axon: wanted, block: r.blockNumber }, 'axon published with serve_axon');
      } catch (error) {
        throw new NeuronError(
          'AXON_PUBLISH',
          `serve_axon for ${wanted.ip}:${wanted.port} failed: ${errorMessage(error)}${
            wanted.ip === '127.0.0.1'
              ? ' (subtensor refuses 127.0.0.1; on one machine publish another loopback address, e.g. --axon.external_ip 127.0.0.2)'
              : ''
          }`,
          { field: 'axon.external_ip' },
          { cause: error },
        );
      }
      metagraph = await chain.getMetagraph(netuid);
      callers = new CallerIndex(metagraph);
      lastSync = metagraph.block;
    }

    let syncing: Promise<void> | null = null;
    const syncMetagraph = (): Promise<void> => {
      syncing ??= (async () => {
        try {
          const m = await chain.getMetagraph(netuid);
          metagraph = m;
          callers = new CallerIndex(m);
          lastSync = m.block;
          const stillOurs = m.hotkeys[uid] === hotkey.ss58Address;
          if (stillOurs !== registered) {
            registered = stillOurs;
            if (!stillOurs) {
              const e = notRegisteredError(config, hotkey.ss58Address);
              errors.push(e, 'metagraph');
              logger.error({ uid }, `deregistered: uid ${uid} now belongs to ${m.hotkeys[uid]}`);
            }
          }
          logger.debug({ block: m.block, n: m.n }, 'metagraph synced');
        } catch (error) {
          errors.push(error, 'metagraph');
          logger.warn({ err: error }, 'metagraph sync failed; keeping the previous one');
        } finally {
          syncing = null;
        }
      })();
      return syncing;
    };

    const unsubscribe = await chain.subscribeBlocks((b) => {
      block = b.number;
      if (b.number - lastSync >= config.neuron.epochLength && !lifecycle.signal.aborted) {
        void lifecycle.track(syncMetagraph()).catch(() => {});
      }
    });

    const status = (): StatusSnapshot => {
      const snap = metrics.snapshot();
      const rejected: Record<string, number> = {};
      for (const [reason, n] of Object.entries(snap.rejections ?? {})) {
        if (typeof n === 'number' && n > 0) rejected[reason] = n;
      }
      counts.rejected = rejected;
      return {
        role,
        hotkey: hotkey.ss58Address,
        uid: registered ? uid : null,
        netuid,
        block,
        step: null,
        endpoint: endpointOf(config),
        axon: {
          ip: config.axon.ip,
          port: axon.port,
          externalIp: wanted.ip,
          externalPort: wanted.port,
        },
        backend: definition.backend.name,
        synapses: synapses.map((e) => ({
          name: e.protocol.name,
          streaming: e.protocol.streaming,
        })),
        requests: { ...counts, rejected },
        metagraph: { block: metagraph.block, n: metagraph.n },
        uptimeSeconds: Math.round((now() - startedAt) / 1000),
        recentErrors: errors.list(),
      };
    };

    const { port: statusPort, stop: stopStatus } = await startStatusEndpoint(
      config,
      status,
      logger,
      cleanups,
    );

    // Shutdown: stop taking requests, drain, then close the backend, the status server, the chain.
    lifecycle.onShutdown('stop', 'blocks', unsubscribe);
    lifecycle.onShutdown('stop', 'axon', () =>
      axon.stop({ graceMs: config.neuron.shutdownTimeout * 1000 }),
    );
    if (owned) lifecycle.onShutdown('close', 'chain', () => chain.close());
    if (stopStatus) lifecycle.onShutdown('close', 'status', stopStatus);
    if (definition.backend.close) {
      lifecycle.onShutdown('close', 'backend', () => definition.backend.close?.());
    }
    logger.info(
      { uid, hotkey: hotkey.ss58Address, port: axon.port, status: statusPort },
      `${role} serving ${synapses.map((e) => e.protocol.name).join(', ')} on subnet ${netuid}`,
    );

    return {
      lifecycle,
      axon,
      chain,
      hotkey,
      uid,
      statusPort,
      status,
      metagraph: () => metagraph,
      syncMetagraph,
      stop: (reason = 'stop') => lifecycle.shutdown(reason),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
