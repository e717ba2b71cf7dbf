import {
  convertWeightsAndUidsForEmit,
  processWeightsForNetuid,
  safeNormalize,
  type WeightHyperparams,
} from '@subnetkit/scoring';
import { NeuronError } from '../errors.js';

/** u16 weights ready for `Chain.submitWeights` / `setWeights`. */
export interface WeightsToEmit {
  uids: number[];
  weights: number[];
  /** True when every score was 0: the SDK then emits uniform weights (kept, but flagged). */
  allZero: boolean;
  /** Which `process_weights` branch of the SDK produced them. */
  branch: 'uniform' | 'below-min-allowed' | 'quantile';
}

/**
 * The Python template's `set_weights` preparation, through `@subnetkit/scoring`: scores
 * normalised to sum 1, `process_weights_for_netuid` with the subnet's `MinAllowedWeights` and
 * `MaxWeightsLimit`, then `convert_weights_and_uids_for_emit` (u16, max-upscaled, half-even).
 */
export function weightsFromScores(
  scores: ArrayLike<number>,
  hyper: Omit<WeightHyperparams, 'n'> & { n?: number },
): WeightsToEmit {
  const n = hyper.n ?? scores.length;
  if (n !== scores.length) {
    throw new NeuronError(
      'INVALID_ARGUMENT',
      `scores: ${scores.length} entries but the metagraph has ${n} uids; resync hotkeys first`,
      { details: { field: 'scores' } },
    );
  }
  const normalized = safeNormalize(scores, 'scores');
  const allZero = normalized.every((x) => x === 0);
  const uids = Array.from({ length: n }, (_, i) => i);
  const processed = processWeightsForNetuid(uids, normalized, { ...hyper, n });
  const emit = convertWeightsAndUidsForEmit(processed.uids, processed.weights);
  return {
    uids: Array.from(emit.uids),
    weights: Array.from(emit.values),
    allZero,
    branch: processed.branch,
  };
}

/** Why weights are (not) sent now. */
export type WeightsDecision =
  | { due: true }
  | {
      due: false;
      reason: 'disabled' | 'epoch' | 'rate-limit' | 'no-scores' | 'warm-up';
      blocksLeft: number;
    };

/**
 * Whether to set weights at `block`: not disabled, at least `epochLength` blocks since the
 * last time (`lastWeightsBlock`, null = never), the chain's rate limit passed (`blocksLeft` from
 * `Chain.getWeightsStatus`), and something scored.
 */
export function weightsDue(input: {
  block: number;
  lastWeightsBlock: number | null;
  epochLength: number;
  chainBlocksLeft: number;
  disabled?: boolean;
  anyScore: boolean;
  /** False while the scores are being rebuilt after a reset (too few samples yet). */
  warmedUp?: boolean;
}): WeightsDecision {
  if (input.disabled)
    return { due: false, reason: 'disabled', blocksLeft: Number.POSITIVE_INFINITY };
  if (input.lastWeightsBlock !== null) {
    const left = input.lastWeightsBlock + input.epochLength - input.block;
    if (left > 0) return { due: false, reason: 'epoch', blocksLeft: left };
  }
  if (input.chainBlocksLeft > 0) {
    return { due: false, reason: 'rate-limit', blocksLeft: input.chainBlocksLeft };
  }
  if (!input.anyScore) return { due: false, reason: 'no-scores', blocksLeft: 0 };
  if (input.warmedUp === false) return { due: false, reason: 'warm-up', blocksLeft: 0 };
  return { due: true };
}

/**
 * Whether the scores are built again after a reset: every miner with a score has at least
 * `minSamples` samples (a score from one sample is noise, and weights from it pay noise).
 */
export function scoresWarmedUp(
  scores: ArrayLike<number>,
  samples: ArrayLike<number>,
  minSamples: number,
): boolean {
  for (let i = 0; i < scores.length; i++) {
    if ((scores[i] ?? 0) > 0 && (samples[i] ?? 0) < minSamples) return false;
  }
  return true;
}
