import type { ValidatorDefinition } from '@subnetkit/neuron';
import { unverifiable } from '@subnetkit/scoring';
import type { TextConfig } from '../config.js';
import { referenceModelId } from '../miner/backend.js';
import type { ReferenceModel } from '../model/ngram.js';
import { TextGeneration } from '../protocol.js';
import { type InferenceEvidence, scoreInference } from './score-inference.js';
import { type InferencePrivate, inferenceTask } from './task.js';

export interface TextValidatorOptions {
  /**
   * Share of tasks also checked by exact regeneration (`--text.regenerate_share`, 0.5). The
   * audit catches what no honest sampler does; a cheat it cannot see (another seed, a skipped
   * `<eos>` where one was merely likely) fails every regenerated task, so earns at most
   * 1 − share of an honest miner.
   */
  regenerateShare?: number;
}

/** Streams past this are cut and fail (a 1,024-token answer with 5 logprobs each is ~150 KiB). */
export const MAX_STREAM_BYTES = 1024 * 1024;

/**
 * The text validator. Each miner gets its own verified-inference task from its own seed: a
 * prompt, sampling parameters and a sampling seed for the reference model; the streamed answer
 * is audited in one pass of the model (and regenerated exactly on a share of tasks), and
 * scored on speed as the validator measured it. The stream is kept in the artifact store.
 */
export function createTextValidator(
  model: ReferenceModel,
  options: TextValidatorOptions = {},
): ValidatorDefinition<typeof TextGeneration, InferencePrivate, InferenceEvidence, TextConfig> {
  const modelId = referenceModelId(model);
  // Every context sorted once now, so each audit reads ranks without sorting (~4 ms / 500 tokens).
  model.precompute();
  const regenerateShare = options.regenerateShare ?? 0.5;
  return {
    name: 'verified-inference',
    protocol: TextGeneration,
    maxStreamBytes: MAX_STREAM_BYTES,
    createTask(seed) {
      return inferenceTask(seed, model, modelId, { regenerateShare });
    },
    score(task, _response, ctx) {
      if (!ctx.stream) return unverifiable('no stream observation (the runtime gives one)');
      return scoreInference({
        model,
        modelId,
        task: task.private as InferencePrivate,
        stream: ctx.stream,
        timeoutMs: ctx.timeoutS * 1000,
      });
    },
  };
}
