import { type Axon, createAxon, TransportMetrics } from '@subnetkit/transport';
import type { NeuronConfig } from '../../config/schema.js';
import { parseWireList } from '../../config/wires.js';
import type { minerSynapsesOf } from '../../definitions.js';
import { createMinerHandlers } from '../../miner/handlers.js';
import type { MinerBackend } from '../../types.js';
import type { MinerNode } from './types.js';

/**
 * Creates the axon (serving `--axon.wires`; on the signed wires the blacklist, with the
 * metagraph's stake and permits, runs after the signature check) and attaches every synapse (the definition's `forward`, counted as served
 * or failed; default or custom blacklist/priority over the callers), then starts it.
 */
export async function serveSynapses<C extends NeuronConfig>(
  node: MinerNode<C>,
  backend: MinerBackend,
  synapses: ReturnType<typeof minerSynapsesOf>,
): Promise<{ axon: Axon; metrics: TransportMetrics }> {
  const { config, counts } = node;
  const metrics = new TransportMetrics();
  const axon = createAxon(
    {
      keypair: node.hotkey,
      host: config.axon.ip,
      port: config.axon.port,
      ...(config.axon.externalIp ? { externalIp: config.axon.externalIp } : {}),
      ...(config.axon.externalPort ? { externalPort: config.axon.externalPort } : {}),
      wires: parseWireList(config.axon.wires),
    },
    { logger: node.logger.child({ component: 'axon' }), metrics },
  );
  for (const entry of synapses) {
    const handlers = createMinerHandlers(entry, {
      backend,
      neuron: node.neuron,
      callers: () => node.callers,
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
          node.errors.push(error, `forward:${entry.protocol.name}`);
          throw error;
        }
      },
    });
  }
  await axon.start();
  node.cleanups.push(() => axon.stop({ graceMs: 1000 }));
  return { axon, metrics };
}
