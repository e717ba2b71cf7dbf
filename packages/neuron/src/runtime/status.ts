import type { NeuronConfig } from '../config/schema.js';
import type { StatusSnapshot } from '../status-server.js';
import { endpointOf } from './shared.js';
import type { SyncedNeuron } from './startup.js';

/**
 * The `/status` fields every neuron reports, around the role's own: `fields` after the
 * endpoint, `tail` between the metagraph and the uptime.
 */
export function neuronStatus<C extends NeuronConfig>(
  node: SyncedNeuron<C>,
  step: number | null,
  fields: Record<string, unknown>,
  tail: Record<string, unknown> = {},
): StatusSnapshot {
  return {
    role: node.role,
    hotkey: node.hotkey.ss58Address,
    uid: node.registered ? node.uid : null,
    netuid: node.netuid,
    block: node.block,
    step,
    endpoint: endpointOf(node.config),
    ...fields,
    metagraph: { block: node.metagraph.block, n: node.metagraph.n },
    ...tail,
    uptimeSeconds: Math.round((node.now() - node.startedAt) / 1000),
    recentErrors: node.errors.list(),
  };
}
