import { join } from 'node:path';
import type { NeuronConfig } from '../../config/schema.js';
import {
  createValidatorState,
  loadValidatorState,
  STATE_FILE,
  saveValidatorState,
  type ValidatorState,
} from '../../state/validator-state.js';
import type { StartedNeuron } from '../startup.js';
import type { ValidatorNode, ValidatorStateFile } from './types.js';

/**
 * Loads the state across restarts, or starts one. A corrupt file is moved aside, never
 * overwritten, and the previous generation (`state.json.prev`) taken instead when it is good;
 * with none, the scores start over in warm-up (no weights before `--neuron.min_samples`).
 */
export async function loadState<C extends NeuronConfig>(
  started: StartedNeuron<C>,
  stateDir: string,
): Promise<ValidatorStateFile> {
  const { config, logger, netuid, hotkey } = started;
  const statePath = join(stateDir, STATE_FILE);
  const loaded = await loadValidatorState(statePath, {
    expect: { netuid, hotkey: hotkey.ss58Address },
    onCorrupt: 'quarantine',
  });
  if (loaded.quarantined && loaded.fellBackTo) {
    logger.warn(
      { quarantined: loaded.quarantined, fellBackTo: loaded.fellBackTo, err: loaded.error },
      `state file was corrupt: moved aside, going on from the previous generation (step ${loaded.state?.step})`,
    );
    started.report(loaded.error, 'state');
  } else if (loaded.quarantined) {
    logger.error(
      { quarantined: loaded.quarantined, err: loaded.error },
      `state file was corrupt and no previous generation was usable: moved aside, starting with fresh scores; no weights until every scored miner has ${config.neuron.minSamples} samples`,
    );
    started.report(loaded.error, 'state');
  }
  const state: ValidatorState = loaded.state ?? {
    ...createValidatorState({
      netuid,
      hotkey: hotkey.ss58Address,
      alpha: config.neuron.movingAverageAlpha,
    }),
    // Scores lost, not a first start: hold the weights until the scores are built again.
    ...(loaded.quarantined ? { warmup: true } : {}),
  };
  if (loaded.state) {
    logger.info(
      {
        step: state.step,
        n: state.scores.scores.length,
        lastWeightsBlock: state.lastWeightsBlock,
      },
      'state reloaded',
    );
  }
  return { statePath, state, pending: [...(state.pendingCommits ?? [])] };
}

/** Saves the state with the pending commits, after any save in progress. */
export function persist<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<void> {
  const run = v.saving.then(async () => {
    v.state = await saveValidatorState(v.statePath, { ...v.state, pendingCommits: v.pending });
  });
  v.saving = run.catch(() => {});
  return run;
}
