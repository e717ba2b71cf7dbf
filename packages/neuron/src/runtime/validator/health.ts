import type { NeuronConfig } from '../../config/schema.js';
import type { HealthReport } from '../../status-server.js';
import { chainCheck, type HealthCheck, healthReport, lifecycleCheck } from '../health.js';
import type { ValidatorNode } from './types.js';

/**
 * How old the last finished step may be before `/healthz` says 503: ten whole steps (the
 * interval plus a query timeout each), at least a minute.
 */
export function stepAgeBoundSeconds(config: NeuronConfig): number {
  return Math.max(60, 10 * (config.neuron.stepInterval + config.neuron.timeout));
}

function stepCheck<C extends NeuronConfig>(v: ValidatorNode<C>): HealthCheck {
  const bound = stepAgeBoundSeconds(v.config);
  const last = v.telemetry.lastStepAt;
  // Before the first step, the start counts.
  const ageSeconds = Math.max(0, (v.now() - (last ?? v.startedAt)) / 1000);
  const check: HealthCheck = {
    ok: ageSeconds <= bound,
    ageSeconds: Math.round(ageSeconds * 10) / 10,
    boundSeconds: bound,
    steps: v.telemetry.steps,
  };
  if (!check.ok) {
    check.reason =
      last === null
        ? `no step finished in the ${Math.round(ageSeconds)} s since the start (bound ${bound} s)`
        : `the last step finished ${Math.round(ageSeconds)} s ago (bound ${bound} s)`;
  }
  return check;
}

function weightsCheck<C extends NeuronConfig>(v: ValidatorNode<C>): HealthCheck {
  const { config, weightsHealth: h, state } = v;
  const lastAt = v.telemetry.lastWeightsAt;
  const ages = {
    lastWeightsBlock: state.lastWeightsBlock,
    ageBlocks:
      state.lastWeightsBlock === null ? null : Math.max(0, v.block - state.lastWeightsBlock),
    ageSeconds: lastAt === null ? null : Math.round((v.now() - lastAt) / 100) / 10,
    temposWithout: h.temposWithout,
    boundTempos: config.neuron.weightsWarnTempos,
  };
  if (config.neuron.disableSetWeights) {
    return { ok: true, ...ages, reason: 'weights disabled (--neuron.disable_set_weights)' };
  }
  if (h.temposWithout < config.neuron.weightsWarnTempos) return { ok: true, ...ages };
  return {
    ok: false,
    ...ages,
    reason: `no weights have landed for ${h.temposWithout} tempos (bound --neuron.weights_warn_tempos ${config.neuron.weightsWarnTempos})${h.blocker ? `: ${h.blocker}` : ''}`,
  };
}

/**
 * The validator's `/healthz`: chain connected, lifecycle running, the last step younger than
 * `stepAgeBoundSeconds`, weights landed within `--neuron.weights_warn_tempos` tempos (always
 * ok with `--neuron.disable_set_weights`).
 */
export function validatorHealth<C extends NeuronConfig>(v: ValidatorNode<C>): () => HealthReport {
  return () =>
    healthReport({
      chain: chainCheck(v.chain),
      lifecycle: lifecycleCheck(v.lifecycle),
      step: stepCheck(v),
      weights: weightsCheck(v),
    });
}
