import type { NeuronConfig } from '../config/schema.js';
import type { ShutdownPhase } from '../lifecycle.js';
import type { StartedNeuron } from './startup.js';

/** One shutdown hook: its phase, name and what it runs; a falsy entry when not wanted. */
export type ShutdownHook =
  | readonly [ShutdownPhase, string, () => unknown]
  | false
  | null
  | undefined;

/**
 * Registers the shutdown: stop watching blocks, close the chain (when owned), then the role's
 * hooks in order (`persist` and `close` hooks run in reverse registration order).
 */
export function installShutdown<C extends NeuronConfig>(
  node: StartedNeuron<C>,
  unsubscribe: () => unknown,
  hooks: ShutdownHook[],
): void {
  const { lifecycle, chain } = node;
  lifecycle.onShutdown('stop', 'blocks', unsubscribe);
  if (node.owned) lifecycle.onShutdown('close', 'chain', () => chain.close());
  for (const hook of hooks) if (hook) lifecycle.onShutdown(...hook);
}
