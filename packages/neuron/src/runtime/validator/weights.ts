import { isChainError, randomSalt, type WeightsStatus } from '@subnetkit/chain';
import type { NeuronConfig } from '../../config/schema.js';
import { scoresWarmedUp, weightsDue, weightsFromScores } from '../../validator/weights.js';
import {
  PERSISTENT_REFUSALS,
  temposWithoutWeights,
  weightsBlocker,
} from '../../validator/weights-checks.js';
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

/**
 * Submits the weights from the scores (`set_weights`, timelocked, or a v2 hash commit), then
 * persists. False when there was nothing to submit.
 */
async function setWeights<C extends NeuronConfig>(
  v: ValidatorNode<C>,
  status: WeightsStatus,
): Promise<boolean> {
  const { scores } = v.state.scores;
  const emit = weightsFromScores(scores, {
    n: scores.length,
    minAllowedWeights: v.hyper.minAllowedWeights,
    maxWeightsLimit: v.hyper.maxWeightsLimit,
  });
  if (emit.uids.length === 0) return false;
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
  v.telemetry.weights[lastWeights.mode === 'set' ? 'set' : 'committed']++;
  v.telemetry.lastWeightsAt = v.now();
  v.state = { ...v.state, lastWeightsBlock: lastWeights.block };
  await persist(v);
  v.logger.info(
    { ...lastWeights, allZero: emit.allZero, branch: emit.branch },
    lastWeights.mode === 'set' ? 'weights set' : 'weights committed',
  );
  v.events.onWeights?.(lastWeights);
  return true;
}

/** Our stake as the synced metagraph has it (rao), or null when we have no uid there. */
function ourStake<C extends NeuronConfig>(v: ValidatorNode<C>): bigint | null {
  const uid = v.metagraph.hotkeys.indexOf(v.hotkey.ss58Address);
  return uid < 0 ? null : (v.metagraph.stake[uid] ?? null);
}

/**
 * Says what stops the weights, once per change: a missing permit or too little stake (from the
 * chain's status), and the tempos gone by without weights past `--neuron.weights_warn_tempos`.
 */
function reviewWeightsHealth<C extends NeuronConfig>(
  v: ValidatorNode<C>,
  status: WeightsStatus,
): ReturnType<typeof weightsBlocker> {
  const h = v.weightsHealth;
  const blocker = weightsBlocker({
    status,
    hotkey: v.hotkey.ss58Address,
    stake: ourStake(v),
    maxValidators: v.hyper.maxValidators,
  });
  const message = blocker?.message ?? null;
  if (message !== h.blocker) {
    if (blocker) v.logger.warn({ blocker: blocker.key, certain: blocker.certain }, blocker.message);
    else if (h.blocker) v.logger.info('weights can be set again: the earlier blocker is gone');
    h.blocker = message;
  }
  h.temposWithout = temposWithoutWeights({
    block: status.currentBlock,
    lastWeightsBlock: v.state.lastWeightsBlock,
    sinceBlock: h.sinceBlock,
    tempo: status.tempo ?? v.hyper.tempo,
  });
  const limit = v.config.neuron.weightsWarnTempos;
  // Warned at the limit, then each time the count doubles (3, 6, 12 … tempos).
  if (h.temposWithout >= limit && h.temposWithout >= 2 * h.warnedAt) {
    h.warnedAt = h.temposWithout;
    v.logger.warn(
      {
        temposWithout: h.temposWithout,
        lastWeightsBlock: v.state.lastWeightsBlock,
        blocker: message,
      },
      `no weights have landed for ${h.temposWithout} tempos: this validator earns no dividends${message ? ` (${message})` : ''}`,
    );
  }
  return blocker;
}

/** A refusal that repeats until the operator acts: said once, then retried after a tempo. */
function backOff<C extends NeuronConfig>(
  v: ValidatorNode<C>,
  status: WeightsStatus,
  error: unknown,
): boolean {
  if (!isChainError(error)) return false;
  const name = typeof error.details?.name === 'string' ? error.details.name : null;
  if (!name || !PERSISTENT_REFUSALS.has(name)) return false;
  const h = v.weightsHealth;
  const tempo = status.tempo ?? v.hyper.tempo;
  h.backoffUntil = status.currentBlock + tempo + 1;
  if (h.refusal?.name !== name) {
    v.logger.warn(
      { name, retryAt: h.backoffUntil },
      `the chain refused our weights: ${error.message}; trying again at block ${h.backoffUntil}`,
    );
  }
  h.refusal = { name, block: status.currentBlock, message: error.message };
  return true;
}

/** After a reset: whether every scored miner has its samples now (the warm-up then ends). */
function endWarmup<C extends NeuronConfig>(v: ValidatorNode<C>): boolean {
  if (!v.state.warmup) return true;
  const { scores, samples } = v.state.scores;
  if (!scoresWarmedUp(scores, samples, v.config.neuron.minSamples)) return false;
  const { warmup: _done, ...rest } = v.state;
  v.state = rest;
  v.logger.info(
    { minSamples: v.config.neuron.minSamples },
    'scores rebuilt after the reset: weights can be set again',
  );
  return true;
}

/** Sets weights when due: registered, every epoch, after the chain's rate limit, with a score. */
export async function maybeSetWeights<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<void> {
  if (!v.registered) return;
  const { config } = v;
  const status = await v.chain.getWeightsStatus(v.netuid, v.hotkey.ss58Address);
  v.block = Math.max(v.block, status.currentBlock);
  const blocker = reviewWeightsHealth(v, status);
  const warmedUp = endWarmup(v);
  const decision = weightsDue({
    block: status.currentBlock,
    lastWeightsBlock: v.state.lastWeightsBlock,
    epochLength: config.neuron.epochLength,
    chainBlocksLeft: status.blocksLeft,
    disabled: config.neuron.disableSetWeights,
    anyScore: v.state.scores.scores.some((s) => s > 0),
    warmedUp,
  });
  if (!decision.due) {
    v.logger.debug({ reason: decision.reason, blocksLeft: decision.blocksLeft }, 'weights not due');
    return;
  }
  // Certain refusals are not sent (the chain would only charge the fee and say no).
  if (blocker?.certain) return;
  if (status.currentBlock < v.weightsHealth.backoffUntil) return;
  try {
    await setWeights(v, status);
  } catch (error) {
    // Counted once: refused (a persistent refusal, backed off) or failed (thrown on).
    const refused = backOff(v, status, error);
    v.telemetry.weights[refused ? 'refused' : 'failed']++;
    if (!refused) throw error;
    return;
  }
  v.weightsHealth.refusal = null;
  v.weightsHealth.warnedAt = 0;
}
