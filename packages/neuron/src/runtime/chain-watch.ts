/**
 * Notices when the chain under a neuron is no longer the one it started on: the block number
 * going back (a dev chain restarted on the same port, a rollback) or another genesis hash (a
 * different chain at the endpoint). The neuron's registration, metagraph, axon and weights
 * bookkeeping belong to the old chain, so it says so loudly and stops with exit code 1, for its
 * supervisor to start it again against the new one.
 */
import type { BlockInfo, Chain } from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
import { NeuronError } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';

/** Blocks a best head may step back without alarm (a short reorg of unfinalised blocks). */
export const REORG_TOLERANCE = 3;

export interface ChainWatch {
  /** Feed it every new head. */
  onBlock(block: BlockInfo): void;
  /** Compares the genesis hash with the start's (call it on every metagraph sync). */
  checkGenesis(): Promise<void>;
}

export function createChainWatch(node: {
  chain: Chain;
  logger: Logger;
  lifecycle: Lifecycle;
  report(error: unknown, component: string): void;
  genesisHash: string;
}): ChainWatch {
  let highest = 0;
  let stopped = false;
  const stop = (message: string, details: Record<string, unknown>) => {
    if (stopped) return;
    stopped = true;
    const error = new NeuronError('CHAIN_CHANGED', message, { details });
    node.report(error, 'chain');
    node.logger.error({ err: error, ...details }, message);
    void node.lifecycle.shutdown('chain changed', { exitCode: 1 });
  };
  const checkGenesis = async () => {
    if (stopped) return;
    const now = await node.chain.getGenesisHash().catch(() => null);
    if (now === null || now === node.genesisHash) return;
    stop(
      `the chain at ${node.chain.endpoint} is another chain now (genesis ${now}, was ${node.genesisHash}): stopping; start the neuron again to register, sync and serve on it`,
      { genesisHash: now, startGenesisHash: node.genesisHash },
    );
  };
  return {
    onBlock(block) {
      if (stopped) return;
      if (block.number + REORG_TOLERANCE < highest) {
        stop(
          `the chain at ${node.chain.endpoint} went back from block ${highest} to ${block.number} (restarted or rolled back): stopping; start the neuron again to re-check its registration, metagraph and axon`,
          { block: block.number, highest },
        );
        return;
      }
      if (block.number > highest) highest = block.number;
    },
    checkGenesis,
  };
}
