import type { NeuronConfig } from '../../config/schema.js';
import type { MinerBackend } from '../../types.js';
import type { MinerNode } from './types.js';

/** Starts the backend (its own child logger, the lifecycle's signal); closed if start-up fails. */
export async function startBackend<C extends NeuronConfig>(
  node: MinerNode<C>,
  backend: MinerBackend,
): Promise<void> {
  await backend.start?.({
    logger: node.logger.child({ component: 'backend' }),
    signal: node.lifecycle.signal,
  });
  if (backend.close) node.cleanups.push(() => backend.close?.());
}
