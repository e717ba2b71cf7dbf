import type { NeuronConfig } from '../../config/schema.js';
import { toRao } from '../../miner/policy.js';
import { runValidatorStep, type StepOutcome } from '../../validator/step.js';
import { observeBuckets } from '../metrics.js';
import { errorMessage } from '../shared.js';
import { syncMetagraph } from './metagraph-sync.js';
import { persist } from './state.js';
import { STEP_SECONDS_BUCKETS, type ValidatorNode } from './types.js';
import { maybeSetWeights } from './weights.js';

/**
 * A miner whose axon says it does not serve the wire we spoke fails every query; the operator
 * must list it in `--neuron.miner_wires`, so say so (once per hotkey).
 */
function warnWireRefusals<C extends NeuronConfig>(
  v: ValidatorNode<C>,
  outcomes: readonly StepOutcome[],
): void {
  for (const o of outcomes) {
    if (o.statusCode !== 400 || v.wireWarned.has(o.hotkey)) continue;
    const reason = o.verdict.reasons.find((r) => r.includes('is not enabled on this axon'));
    if (!reason) continue;
    v.wireWarned.add(o.hotkey);
    v.logger.warn(
      { uid: o.uid, hotkey: o.hotkey, wire: o.wire, reason },
      `miner ${o.uid} does not serve the ${o.wire} wire: add ${o.hotkey}=WIRE to --neuron.miner_wires`,
    );
  }
}

/**
 * One loop step: the metagraph sync when due, one `runValidatorStep` (while registered), its
 * errors reported, the state saved, then weights when due.
 */
export async function loopStep<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<void> {
  const { config, logger, lifecycle } = v;
  const startedAt = performance.now();
  if (v.block - v.lastSync >= config.neuron.epochLength) await syncMetagraph(v);
  if (!v.registered) return;
  const result = await runValidatorStep(
    {
      definition: v.definition,
      state: v.state,
      secret: v.secret.secret,
      metagraph: v.metagraph,
      neuron: v.neuron,
      sampleSize: config.neuron.sampleSize,
      timeoutS: config.neuron.timeout,
      selfUid: v.uid,
      validatorStakeLimit: toRao(config.neuron.vpermitTaoLimit),
      minerWires: v.minerWires,
    },
    {
      dendrite: v.dendrite,
      evidence: v.evidence,
      ...(v.artifacts ? { artifacts: v.artifacts } : {}),
    },
  );
  v.state = { ...result.state, block: v.block };
  for (const e of result.errors) {
    v.report(e.error, `validator:${e.stage}`);
    logger.warn(
      { err: e.error, uid: e.uid, stage: e.stage },
      'validator error (no miner was penalised)',
    );
  }
  warnWireRefusals(v, result.outcomes);
  const count = (s: string) => result.outcomes.filter((o) => o.verdict.status === s).length;
  v.lastStep = {
    step: v.state.step - 1,
    block: v.block,
    queried: result.outcomes.length,
    pass: count('pass'),
    fail: count('fail'),
    unverifiable: count('unverifiable'),
  };
  await persist(v);
  const t = v.telemetry;
  t.steps++;
  t.lastStepAt = v.now();
  const seconds = (performance.now() - startedAt) / 1000;
  observeBuckets(t.stepSeconds, STEP_SECONDS_BUCKETS, seconds);
  logger.info({ ...v.lastStep, seconds }, 'step done');
  v.events.onStep?.({ step: v.state.step - 1, block: v.block, outcomes: result.outcomes });
  if (lifecycle.signal.aborted) return;
  try {
    await maybeSetWeights(v);
  } catch (error) {
    v.report(error, 'weights');
    logger.error({ err: error }, `setting weights failed: ${errorMessage(error)}`);
  }
}
