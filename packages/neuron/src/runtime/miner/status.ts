import type { Axon, TransportMetrics } from '@subnetkit/transport';
import type { NeuronConfig } from '../../config/schema.js';
import { parseWireList } from '../../config/wires.js';
import type { minerSynapsesOf } from '../../definitions.js';
import type { StatusSnapshot } from '../../status-server.js';
import type { MinerBackend } from '../../types.js';
import { neuronStatus } from '../status.js';
import type { MinerNode, PublishedAxon } from './types.js';

/** What the miner's parts are, for its `/status`. */
export interface MinerStatusParts {
  axon: Axon;
  metrics: TransportMetrics;
  published: PublishedAxon;
  backend: MinerBackend;
  synapses: ReturnType<typeof minerSynapsesOf>;
}

/** The miner's `/status` snapshot: axon, backend, synapses, request counts (rejections by reason). */
export function minerStatus<C extends NeuronConfig>(
  node: MinerNode<C>,
  parts: MinerStatusParts,
): () => StatusSnapshot {
  const { config, counts } = node;
  const { axon, metrics, published, backend, synapses } = parts;
  return () => {
    const snap = metrics.snapshot();
    const rejected: Record<string, number> = {};
    for (const [reason, n] of Object.entries(snap.rejections ?? {})) {
      if (typeof n === 'number' && n > 0) rejected[reason] = n;
    }
    counts.rejected = rejected;
    return neuronStatus(node, null, {
      axon: {
        ip: config.axon.ip,
        port: axon.port,
        externalIp: published.ip,
        externalPort: published.port,
        wires: parseWireList(config.axon.wires),
      },
      backend: backend.name,
      synapses: synapses.map((e) => ({ name: e.protocol.name, streaming: e.protocol.streaming })),
      requests: { ...counts, rejected, byWire: snap.wires },
    });
  };
}
