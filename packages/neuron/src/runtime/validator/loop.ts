import type { NeuronConfig } from '../../config/schema.js';
import { isNeuronError } from '../../errors.js';
import { errorMessage } from '../shared.js';
import { loopStep } from './step.js';
import type { ValidatorNode } from './types.js';

/** The loop: one step every `--neuron.step_interval` seconds until shutdown; a failed step is reported. */
export function runLoop<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<void> {
  const { config, lifecycle, logger } = v;
  const stepIntervalMs = config.neuron.stepInterval * 1000;
  return (async () => {
    while (!lifecycle.signal.aborted) {
      try {
        await lifecycle.track(loopStep(v));
      } catch (error) {
        if (isNeuronError(error, 'SHUTTING_DOWN')) break;
        v.telemetry.stepFailures++;
        v.report(error, 'step');
        logger.error({ err: error }, `validator step failed: ${errorMessage(error)}`);
      }
      if (!(await lifecycle.sleep(stepIntervalMs))) break;
    }
  })();
}
