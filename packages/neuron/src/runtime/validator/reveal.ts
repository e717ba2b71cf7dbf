import type { NeuronConfig } from '../../config/schema.js';
import { isNeuronError } from '../../errors.js';
import type { PendingCommit } from '../../state/validator-state.js';
import { persist } from './state.js';
import type { ValidatorNode } from './types.js';

/** subtensor's epoch index: epochs are offset by netuid + 1 and last tempo + 1 blocks. */
function epochIndex(tempo: number, netuid: number, block: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** `reveal_weights` of one commit in its reveal epoch (a failure is reported, not thrown). */
async function reveal<C extends NeuronConfig>(
  v: ValidatorNode<C>,
  c: PendingCommit,
): Promise<void> {
  try {
    const r = await v.chain.revealWeights(v.hotkey, {
      netuid: v.netuid,
      uids: c.uids,
      weights: c.weights,
      salt: c.salt,
      versionKey: BigInt(c.versionKey),
    });
    v.logger.info({ commitBlock: c.commitBlock, block: r.blockNumber }, 'weights revealed');
    if (v.lastWeights && v.lastWeights.block === c.commitBlock)
      v.lastWeights.revealedAt = r.blockNumber;
    v.events.onWeights?.({
      block: c.commitBlock,
      uids: c.uids.length,
      mode: 'commit',
      method: 'commit_reveal_v2',
      revealedAt: r.blockNumber,
    });
  } catch (error) {
    v.report(error, 'weights');
    v.logger.error({ err: error, commitBlock: c.commitBlock }, 'reveal_weights failed');
  }
}

/** Reveals each pending commit whose reveal epoch has come (an expired one is dropped), then persists. */
async function revealDue<C extends NeuronConfig>(v: ValidatorNode<C>, head: number): Promise<void> {
  const { tempo, commitRevealPeriod: period } = v.hyper;
  const next = head + 1;
  for (const c of [...v.pending]) {
    const revealEpoch = epochIndex(tempo, v.netuid, c.commitBlock) + period;
    const epoch = epochIndex(tempo, v.netuid, next);
    if (epoch < revealEpoch) continue;
    v.pending = v.pending.filter((p) => p !== c);
    if (epoch > revealEpoch) {
      v.report(new Error(`weights commit of block ${c.commitBlock} expired unrevealed`), 'weights');
      v.logger.warn({ commitBlock: c.commitBlock }, 'weights commit expired before its reveal');
      continue;
    }
    await reveal(v, c);
  }
  await persist(v);
}

/**
 * Follows new blocks: the latest block, and the commit-reveal v2 reveal watch (one reveal pass
 * at a time, checked on every block while commits are pending). Returns the unsubscribe.
 */
export function watchBlocks<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<() => void> {
  const { lifecycle } = v;
  let revealing = false;
  const revealOnce = async (head: number) => {
    if (revealing || v.pending.length === 0 || lifecycle.signal.aborted) return;
    revealing = true;
    try {
      await revealDue(v, head);
    } finally {
      revealing = false;
    }
  };
  return v.chain.subscribeBlocks((b) => {
    v.chainWatch.onBlock(b);
    v.block = Math.max(v.block, b.number);
    if (v.pending.length > 0 && !lifecycle.signal.aborted) {
      void lifecycle.track(revealOnce(b.number)).catch((error) => {
        if (!isNeuronError(error, 'SHUTTING_DOWN')) v.report(error, 'weights');
      });
    }
  });
}
