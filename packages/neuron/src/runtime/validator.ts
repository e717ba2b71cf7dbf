import { neuronStateDir } from '../config/paths.js';
import type { NeuronConfig } from '../config/schema.js';
import { taskKindsOf } from '../definitions.js';
import type { AnyValidatorDefinition } from '../types.js';
import { createMetricsRegistry, metricsProvider, newBucketStats } from './metrics.js';
import { type RunComponents, type RunOptions, startStatusEndpoint } from './shared.js';
import { installShutdown } from './shutdown.js';
import { firstMetagraph, startNeuron } from './startup.js';
import { validatorHealth } from './validator/health.js';
import { runLoop } from './validator/loop.js';
import { registerValidatorMetrics } from './validator/metrics.js';
import { watchBlocks } from './validator/reveal.js';
import { loadState, persist } from './validator/state.js';
import { validatorStatus } from './validator/status.js';
import { openStores } from './validator/stores.js';
import {
  type RunningValidator,
  STEP_SECONDS_BUCKETS,
  type ValidatorEvents,
  type ValidatorNode,
  type ValidatorTelemetry,
} from './validator/types.js';

export type { RunningValidator, ValidatorEvents, WeightsRecord } from './validator/types.js';

/**
 * Runs a validator: hotkey → chain → registration check → state (reloaded, or new; a corrupt
 * file is quarantined) + secret + evidence log → loop: metagraph sync every
 * `--neuron.epoch_length` blocks, one `runValidatorStep`, an atomic state save, then weights
 * when due (every epoch, after the chain's rate limit) through `chain.submitWeights`
 * (`set_weights`, or a timelocked commit when the subnet has commit-reveal); a subnet that only
 * takes hash commits (v2) gets `commit_weights` now and `reveal_weights` in its reveal epoch,
 * the salt kept in the state. Resolves once the loop runs.
 */
export async function runValidator<C extends NeuronConfig>(
  definition: AnyValidatorDefinition<C>,
  options: RunOptions<C>,
  components: RunComponents & { events?: ValidatorEvents } = {},
): Promise<RunningValidator> {
  const kinds = taskKindsOf(definition);
  const stateDir = neuronStateDir(options.config);
  const events = components.events ?? {};
  const onError = (error: unknown, component: string) => events.onError?.(error, component);
  const started = await startNeuron(options, components, 'validator', { stateDir, onError });
  return started.closeOnFailure(async () => {
    const file = await loadState(started, stateDir);
    const stores = await openStores(started, stateDir);
    const synced = await firstMetagraph(started);
    const { chain, netuid } = synced;
    const hyper = synced.metagraph.hyperparameters ?? (await chain.getHyperparameters(netuid));
    const fields = { definition, kinds, stateDir, events, hyper, saving: Promise.resolve() };
    const weightsHealth = {
      sinceBlock: synced.metagraph.block,
      blocker: null,
      refusal: null,
      backoffUntil: 0,
      temposWithout: 0,
      warnedAt: 0,
    };
    const telemetry: ValidatorTelemetry = {
      steps: 0,
      stepFailures: 0,
      stepSeconds: newBucketStats(STEP_SECONDS_BUCKETS),
      lastStepAt: null,
      weights: { set: 0, committed: 0, refused: 0, failed: 0 },
      lastWeightsAt: null,
    };
    const last = {
      lastWeights: null,
      lastStep: null,
      weightsMethod: null,
      weightsHealth,
      telemetry,
    };
    // The same object: the definition's `neuron` view reads its metagraph and registration.
    const v: ValidatorNode<C> = Object.assign(synced, file, stores, fields, last);
    const unsubscribe = await watchBlocks(v);
    const status = validatorStatus(v);
    const { config, lifecycle, logger, cleanups, hotkey, uid, role, artifacts } = v;
    const getArtifact = artifacts ? (sha256: string) => artifacts.get(sha256) : undefined;
    const registry = createMetricsRegistry({
      role,
      netuid,
      processMetrics: options.processMetrics === true,
    });
    registerValidatorMetrics(registry, v);
    const statusEndpoint = await startStatusEndpoint(
      config,
      {
        getStatus: status,
        getHealth: validatorHealth(v),
        getMetrics: metricsProvider(registry),
        ...(getArtifact ? { getArtifact } : {}),
      },
      logger,
      cleanups,
    );
    // Shutdown: stop the loop and block watch, let the step finish (its queries are cancelled
    // by the abort signal and count as the validator's own failure), persist, then close.
    installShutdown(v, unsubscribe, [
      ['close', 'dendrite', () => v.dendrite.close()],
      statusEndpoint.stop && ['close', 'status', statusEndpoint.stop],
      ['persist', 'evidence', () => v.evidence.close()],
      ['persist', 'state', () => persist(v)],
    ]);
    const done = runLoop(v);
    logger.info(
      {
        uid,
        hotkey: hotkey.ss58Address,
        stateDir,
        step: v.state.step,
        status: statusEndpoint.port,
      },
      `${role} running on subnet ${netuid}`,
    );
    return {
      lifecycle,
      chain,
      hotkey,
      uid,
      stateDir,
      statusPort: statusEndpoint.port,
      state: () => v.state,
      status,
      done,
      stop: (reason = 'stop') => lifecycle.shutdown(reason),
    };
  });
}
