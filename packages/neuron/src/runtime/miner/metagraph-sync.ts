import type { NeuronConfig } from '../../config/schema.js';
import { CallerIndex } from '../../miner/policy.js';
import { checkRegistration } from '../registration.js';
import type { MinerNode } from './types.js';

/**
 * The miner's metagraph sync: one at a time (a call during a sync joins it), callers rebuilt,
 * deregistration noted; a failed sync keeps the previous metagraph.
 */
export function createMetagraphSync<C extends NeuronConfig>(
  node: MinerNode<C>,
): () => Promise<void> {
  let syncing: Promise<void> | null = null;
  return (): Promise<void> => {
    syncing ??= (async () => {
      try {
        await node.chainWatch.checkGenesis();
        const m = await node.chain.getMetagraph(node.netuid);
        node.metagraph = m;
        node.callers = new CallerIndex(m);
        node.lastSync = m.block;
        checkRegistration(node, m);
        node.logger.debug({ block: m.block, n: m.n }, 'metagraph synced');
      } catch (error) {
        node.errors.push(error, 'metagraph');
        node.logger.warn({ err: error }, 'metagraph sync failed; keeping the previous one');
      } finally {
        syncing = null;
      }
    })();
    return syncing;
  };
}

/** Follows new blocks and syncs the metagraph every `--neuron.epoch_length` blocks; returns the unsubscribe. */
export function watchBlocks<C extends NeuronConfig>(
  node: MinerNode<C>,
  syncMetagraph: () => Promise<void>,
): Promise<() => void> {
  const { config, lifecycle } = node;
  return node.chain.subscribeBlocks((b) => {
    node.chainWatch.onBlock(b);
    node.block = b.number;
    if (b.number - node.lastSync >= config.neuron.epochLength && !lifecycle.signal.aborted) {
      void lifecycle.track(syncMetagraph()).catch(() => {});
    }
  });
}
