/**
 * What the chain would refuse before a validator sends weights, said in words with the fix,
 * and how long it has gone without weights. Missed weight sets are the most common silent loss
 * of a validator's dividends: these turn them into one clear line each.
 */
import type { WeightsStatus } from '@subnetkit/chain';

/** A reason the chain would refuse weights now. */
export interface WeightsBlocker {
  /** Stable key (logged once per change of blocker). */
  key: 'permit' | 'stake';
  /** Whether sending now would certainly be refused (else a warning, and we still try). */
  certain: boolean;
  message: string;
}

const TAO = 1_000_000_000n;
const tao = (rao: bigint) => `${(Number(rao) / Number(TAO)).toFixed(3)} TAO`;

/**
 * The blocker of the weights `status` describes, or null. `stake` is our stake as the
 * metagraph has it (rao; null when unknown). The permit is the chain's own (certain); the stake
 * threshold is compared with the metagraph's stake, which may be counted differently from the
 * chain's stake weight (so only a warning).
 */
export function weightsBlocker(input: {
  status: WeightsStatus;
  hotkey: string;
  stake: bigint | null;
  maxValidators?: number;
}): WeightsBlocker | null {
  const { status, hotkey, stake } = input;
  if (status.validatorPermit === false) {
    const top = input.maxValidators ? `the ${input.maxValidators} ` : 'the ';
    return {
      key: 'permit',
      certain: true,
      message:
        `no validator permit on netuid ${status.netuid} (uid ${status.uid}): the chain refuses its weights (NeuronNoValidatorPermit). ` +
        `Permits go to ${top}hotkeys with the most stake at each epoch: add stake to ${hotkey} (subnetkit-stake add --netuid ${status.netuid} --hotkey ${hotkey} --amount TAO) and wait for the next epoch`,
    };
  }
  const threshold = status.stakeThreshold ?? null;
  if (threshold !== null && threshold > 0n && stake !== null && stake < threshold) {
    return {
      key: 'stake',
      certain: false,
      message:
        `stake ${tao(stake)} on netuid ${status.netuid} is below the chain's weights threshold ${tao(threshold)} (StakeThreshold): ` +
        `the chain may refuse the weights (NotEnoughStakeToSetWeights); add stake to ${hotkey}`,
    };
  }
  return null;
}

/** Whole tempos since the last weights landed (or since `sinceBlock` when none ever did). */
export function temposWithoutWeights(input: {
  block: number;
  lastWeightsBlock: number | null;
  sinceBlock: number;
  tempo: number;
}): number {
  const from = input.lastWeightsBlock ?? input.sinceBlock;
  if (!(input.tempo > 0)) return 0;
  return Math.max(0, Math.floor((input.block - from) / (input.tempo + 1)));
}

/** Chain refusals that will repeat until the operator acts: retried only after a tempo. */
export const PERSISTENT_REFUSALS: ReadonlySet<string> = new Set([
  'NeuronNoValidatorPermit',
  'NotEnoughStakeToSetWeights',
  'IncorrectWeightVersionKey',
  'HotKeyNotRegisteredInSubNet',
  'CommitRevealEnabled',
]);
