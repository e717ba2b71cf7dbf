import type { NeuronConfig } from '../../config/schema.js';
import { toRao } from '../../miner/policy.js';
import { runValidatorStep } from '../../validator/step.js';
import { errorMessage } from '../shared.js';
import { syncMetagraph } from './metagraph-sync.js';
import { persist } from './state.js';
import type { ValidatorNode } from './types.js';
import { maybeSetWeights } from './weights.js';

/**
 * One loop step: the metagraph sync when due, one `runValidatorStep` (while registered), its
 * errors reported, the state saved, then weights when due.
 */
export async function loopStep<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<void> {
  const { config, logger, lifecycle } = v;
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
  logger.info(v.lastStep, 'step done');
  v.events.onStep?.({ step: v.state.step - 1, block: v.block, outcomes: result.outcomes });
  if (lifecycle.signal.aborted) return;
  try {
    await maybeSetWeights(v);
  } catch (error) {
    v.report(error, 'weights');
    logger.error({ err: error }, `setting weights failed: ${errorMessage(error)}`);
  }
}
