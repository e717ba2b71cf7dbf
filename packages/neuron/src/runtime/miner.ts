import type { NeuronConfig } from '../config/schema.js';
import { minerSynapsesOf } from '../definitions.js';
import { CallerIndex } from '../miner/policy.js';
import type { AnyMinerDefinition, MinerBackend } from '../types.js';
import { createMetricsRegistry, metricsProvider } from './metrics.js';
import { startBackend } from './miner/backend.js';
import { minerHealth } from './miner/health.js';
import { createMetagraphSync, watchBlocks } from './miner/metagraph-sync.js';
import { registerMinerMetrics } from './miner/metrics.js';
import { publishAxon } from './miner/publish.js';
import { serveSynapses } from './miner/serve.js';
import { minerStatus } from './miner/status.js';
import type { MinerNode, RunningMiner } from './miner/types.js';
import { type RunComponents, type RunOptions, startStatusEndpoint } from './shared.js';
import { installShutdown } from './shutdown.js';
import { firstMetagraph, startNeuron } from './startup.js';

export type { MinerCounts, RunningMiner } from './miner/types.js';

/**
 * Runs a miner: hotkey → chain → registration check → backend → axon (the definition's
 * `forward`, default or custom blacklist/priority over the metagraph's callers) →
 * `serve_axon` only when the published `AxonInfo` differs → metagraph refresh every
 * `--neuron.epoch_length` blocks → `/status`, `/healthz`, `/metrics`. Resolves once serving; shut it down with
 * `stop()` or `installSignalHandlers(miner.lifecycle, process, …)`.
 */
export async function runMiner<B extends MinerBackend, C extends NeuronConfig>(
  definition: AnyMinerDefinition<B, C>,
  options: RunOptions<C>,
  components: RunComponents = {},
): Promise<RunningMiner> {
  const synapses = minerSynapsesOf(definition);
  const { backend } = definition;
  const started = await startNeuron(options, components, 'miner');
  return started.closeOnFailure(async () => {
    const synced = await firstMetagraph(started);
    const counts = { served: 0, failed: 0, rejected: {} };
    // The same object: the definition's `neuron` view reads its metagraph and registration.
    const callers = new CallerIndex(synced.metagraph);
    const node: MinerNode<C> = Object.assign(synced, { callers, counts });
    await startBackend(node, backend);
    const { axon, metrics } = await serveSynapses(node, backend, synapses);
    const published = await publishAxon(node, axon);
    const syncMetagraph = createMetagraphSync(node);
    const unsubscribe = await watchBlocks(node, syncMetagraph);
    const status = minerStatus(node, { axon, metrics, published, backend, synapses });
    const { config, lifecycle, logger, cleanups, chain, hotkey, uid, role } = node;
    const registry = createMetricsRegistry({
      role,
      netuid: node.netuid,
      processMetrics: options.processMetrics === true,
    });
    registerMinerMetrics(registry, node, metrics);
    const statusEndpoint = await startStatusEndpoint(
      config,
      {
        getStatus: status,
        getHealth: minerHealth(node, axon),
        getMetrics: metricsProvider(registry),
      },
      logger,
      cleanups,
    );
    // Shutdown: stop taking requests, drain, then close the backend, the status server, the chain.
    installShutdown(node, unsubscribe, [
      ['stop', 'axon', () => axon.stop({ graceMs: config.neuron.shutdownTimeout * 1000 })],
      statusEndpoint.stop && ['close', 'status', statusEndpoint.stop],
      backend.close && ['close', 'backend', () => backend.close?.()],
    ]);
    logger.info(
      { uid, hotkey: hotkey.ss58Address, port: axon.port, status: statusEndpoint.port },
      `${role} serving ${synapses.map((e) => e.protocol.name).join(', ')} on subnet ${node.netuid}`,
    );
    return {
      lifecycle,
      axon,
      chain,
      hotkey,
      uid,
      statusPort: statusEndpoint.port,
      status,
      metagraph: () => node.metagraph,
      syncMetagraph,
      stop: (reason = 'stop') => lifecycle.shutdown(reason),
    };
  });
}
