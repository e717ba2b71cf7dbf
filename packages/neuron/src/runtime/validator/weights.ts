import { isChainError, randomSalt, type WeightsStatus } from '@subnetkit/chain';
import type { NeuronConfig } from '../../config/schema.js';
import { weightsDue, weightsFromScores } from '../../validator/weights.js';
import { persist } from './state.js';
import type { ValidatorNode, WeightsRecord } from './types.js';

/** The weights to emit from the scores, within the subnet's limits. */
type Emit = ReturnType<typeof weightsFromScores>;

/**
 * Commit-reveal v2 (the subnet only takes hash commits): `commit_weights` now, the weights and
 * the salt kept in the state until the reveal epoch.
 */
async function commitWeights<C extends NeuronConfig>(
  v: ValidatorNode<C>,
  params: { netuid: number; uids: number[]; weights: number[]; versionKey: bigint },
  emit: Emit,
): Promise<WeightsRecord> {
  const salt = randomSalt();
  const r = await v.chain.commitWeights(v.hotkey, { ...params, salt });
  v.pending.push({
    uids: emit.uids,
    weights: emit.weights,
    salt: r.salt,
    versionKey: String(params.versionKey),
    commitBlock: r.blockNumber,
    commitHash: r.commitHash,
  });
  v.weightsMethod = 'commit_reveal_v2';
  return {
    block: r.blockNumber,
    uids: emit.uids.length,
    mode: 'commit',
    method: 'commit_reveal_v2',
  };
}

/** Submits the weights from the scores (`set_weights`, timelocked, or a v2 hash commit), then persists. */
async function setWeights<C extends NeuronConfig>(
  v: ValidatorNode<C>,
  status: WeightsStatus,
): Promise<void> {
  const { scores } = v.state.scores;
  const emit = weightsFromScores(scores, {
    n: scores.length,
    minAllowedWeights: v.hyper.minAllowedWeights,
    maxWeightsLimit: v.hyper.maxWeightsLimit,
  });
  if (emit.uids.length === 0) return;
  const params = {
    netuid: v.netuid,
    uids: emit.uids,
    weights: emit.weights,
    versionKey: status.versionKey,
  };
  try {
    const r = await v.chain.submitWeights(v.hotkey, params);
    v.weightsMethod = r.method;
    v.lastWeights = {
      block: r.blockNumber,
      uids: emit.uids.length,
      mode: r.method === 'set_weights' ? 'set' : 'commit',
      method: r.method,
    };
  } catch (error) {
    if (!isChainError(error, 'COMMIT_REVEAL_V2_REQUIRED')) throw error;
    v.lastWeights = await commitWeights(v, params, emit);
  }
  const lastWeights = v.lastWeights;
  v.state = { ...v.state, lastWeightsBlock: lastWeights.block };
  await persist(v);
  v.logger.info(
    { ...lastWeights, allZero: emit.allZero, branch: emit.branch },
    lastWeights.mode === 'set' ? 'weights set' : 'weights committed',
  );
  v.events.onWeights?.(lastWeights);
}

/** Sets weights when due: registered, every epoch, after the chain's rate limit, with a score. */
export async function maybeSetWeights<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<void> {
  if (!v.registered) return;
  const { config } = v;
  const status = await v.chain.getWeightsStatus(v.netuid, v.hotkey.ss58Address);
  v.block = Math.max(v.block, status.currentBlock);
  const decision = weightsDue({
    block: status.currentBlock,
    lastWeightsBlock: v.state.lastWeightsBlock,
    epochLength: config.neuron.epochLength,
    chainBlocksLeft: status.blocksLeft,
    disabled: config.neuron.disableSetWeights,
    anyScore: v.state.scores.scores.some((s) => s > 0),
  });
  if (!decision.due) {
    v.logger.debug({ reason: decision.reason, blocksLeft: decision.blocksLeft }, 'weights not due');
    return;
  }
  await setWeights(v, status);
}
