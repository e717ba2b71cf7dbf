import type { Registry } from 'prom-client';
import type { NeuronConfig } from '../../config/schema.js';
import { counterFrom, gaugeFrom, histogramFrom, registerNeuronMetrics } from '../metrics.js';
import { STEP_SECONDS_BUCKETS, type ValidatorNode, type WeightsOutcome } from './types.js';

const OUTCOMES: WeightsOutcome[] = ['set', 'committed', 'refused', 'failed'];

/**
 * The validator's metrics, read from its counters at each scrape: steps (finished, failed,
 * their durations), weights submissions by outcome, tempos without weights, the last
 * weights' block, pending v2 commits.
 */
export function registerValidatorMetrics<C extends NeuronConfig>(
  registry: Registry,
  v: ValidatorNode<C>,
): void {
  registerNeuronMetrics(registry, v);
  const t = v.telemetry;
  counterFrom(registry, 'subnetkit_validator_steps_total', 'Steps run to the end', [], () => [
    [{}, t.steps],
  ]);
  counterFrom(
    registry,
    'subnetkit_validator_step_failures_total',
    'Steps that threw (see /status recentErrors)',
    [],
    () => [[{}, t.stepFailures]],
  );
  histogramFrom(
    registry,
    'subnetkit_validator_step_duration_seconds',
    'Duration of each finished step: sync, queries, scoring and the save (s)',
    STEP_SECONDS_BUCKETS,
    () => [[{}, t.stepSeconds]],
  );
  counterFrom(
    registry,
    'subnetkit_weights_submissions_total',
    'Weights submissions by outcome: set (set_weights), committed (timelocked or v2 hash), refused by the chain (backed off), failed',
    ['outcome'],
    () => OUTCOMES.map((outcome) => [{ outcome }, t.weights[outcome]]),
  );
  gaugeFrom(
    registry,
    'subnetkit_tempos_without_weights',
    'Whole tempos since weights last landed (or since the start)',
    [],
    () => [[{}, v.weightsHealth.temposWithout]],
  );
  gaugeFrom(
    registry,
    'subnetkit_last_weights_block',
    'The block the last weights landed in (0 before any)',
    [],
    () => (v.state.lastWeightsBlock === null ? [] : [[{}, v.state.lastWeightsBlock]]),
  );
  gaugeFrom(
    registry,
    'subnetkit_pending_commits',
    'Commit-reveal v2 commits not yet revealed',
    [],
    () => [[{}, v.pending.length]],
  );
}
