import { join } from 'node:path';
import type { NeuronConfig } from '../../config/schema.js';
import {
  createValidatorState,
  loadValidatorState,
  STATE_FILE,
  saveValidatorState,
} from '../../state/validator-state.js';
import type { StartedNeuron } from '../startup.js';
import type { ValidatorNode, ValidatorStateFile } from './types.js';

/** Loads the state across restarts, or starts one; a corrupt file is moved aside, never overwritten. */
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
  if (loaded.quarantined) {
    logger.error(
      { quarantined: loaded.quarantined, err: loaded.error },
      'state file was corrupt: moved aside, starting with fresh scores',
    );
    started.report(loaded.error, 'state');
  }
  const state =
    loaded.state ??
    createValidatorState({
      netuid,
      hotkey: hotkey.ss58Address,
      alpha: config.neuron.movingAverageAlpha,
    });
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
