import type { Axon } from '@subnetkit/transport';
import type { NeuronConfig } from '../../config/schema.js';
import type { HealthReport } from '../../status-server.js';
import { chainCheck, type HealthCheck, healthReport, lifecycleCheck } from '../health.js';
import type { MinerNode } from './types.js';

function axonCheck(axon: Axon): HealthCheck {
  try {
    return { ok: true, port: axon.port };
  } catch {
    return { ok: false, reason: 'the axon is not listening' };
  }
}

/** The miner's `/healthz`: chain connected, axon listening, lifecycle running. */
export function minerHealth<C extends NeuronConfig>(
  node: MinerNode<C>,
  axon: Axon,
): () => HealthReport {
  return () =>
    healthReport({
      chain: chainCheck(node.chain),
      axon: axonCheck(axon),
      lifecycle: lifecycleCheck(node.lifecycle),
    });
}
