import {
  type StreamObservation,
  type ValidatorSetDefinition,
  validatorTaskKind,
} from '@subnetkit/neuron';
import { unverifiable } from '@subnetkit/scoring';
import type { TextConfig } from '../config.js';
import { referenceModelId } from '../miner/backend.js';
import type { ReferenceModel } from '../model/ngram.js';
import { TextGeneration } from '../protocol.js';
import { AnswerRegistry } from './answers.js';
import { scoreGrounded } from './score-grounded.js';
import { scoreInference } from './score-inference.js';
import { type InferencePrivate, inferenceTask } from './task.js';
import { extractionTask, type GroundedPrivate, qaTask } from './task-grounded.js';

export interface TextValidatorOptions {
  /**
   * Share of verified-inference tasks also checked by exact regeneration
   * (`--text.regenerate_share`, default 1: it costs about as much as the audit here, ~10 ms per
   * 500 tokens). The audit catches what no honest sampler does; a cheat it cannot see (another
   * seed, a skipped `<eos>` where one was merely likely, a replay whose context the 4-gram no
   * longer sees) fails every regenerated task, so earns at most 1 − share of an honest miner.
   * Lower it only for a reference model whose regeneration is costly.
   */
  regenerateShare?: number;
  /** Relative shares of the task kinds (default inference 2, qa 1, extraction 1). */
  weights?: { inference?: number; qa?: number; extraction?: number };
}

/** Streams past this are cut and fail (a 1,024-token answer with 5 logprobs each is ~150 KiB). */
export const MAX_STREAM_BYTES = 1024 * 1024;

/**
 * The text validator: three kinds of task over the one `TextGeneration` synapse, drawn per miner
 * from its own seed.
 *
 * - `verified-inference`: a prompt, sampling parameters and a sampling seed for the reference
 *   model; the streamed answer is audited in one pass of the model (and regenerated exactly on
 *   a share of tasks);
 * - `qa`: a question about documents the validator wrote, with planted facts;
 * - `extraction`: fields (as JSON) or a short summary of a fixture page.
 *
 * Every kind is scored on speed as the validator measured it; the stream is kept as an artifact.
 */
export function createTextValidator(
  model: ReferenceModel,
  options: TextValidatorOptions = {},
): ValidatorSetDefinition<TextConfig> {
  const modelId = referenceModelId(model);
  // Every context sorted once now, so each audit reads ranks without sorting (~4 ms / 500 tokens).
  model.precompute();
  const regenerateShare = options.regenerateShare ?? 1;
  const answers = new AnswerRegistry();
  const weights = { inference: 2, qa: 1, extraction: 1, ...options.weights };
  /** Scores a streamed answer; a missing observation is the runtime's fault, not the miner's. */
  const observed = <T>(
    stream: StreamObservation | undefined,
    score: (s: StreamObservation) => T,
  ) => (stream ? score(stream) : unverifiable('no stream observation (the runtime gives one)'));
  return {
    tasks: [
      validatorTaskKind({
        name: 'verified-inference',
        protocol: TextGeneration,
        weight: weights.inference,
        maxStreamBytes: MAX_STREAM_BYTES,
        createTask: (seed) => inferenceTask(seed, model, modelId, { regenerateShare }),
        score: (task, _response, ctx) =>
          observed(ctx.stream, (stream) =>
            scoreInference({
              model,
              modelId,
              task: task.private as InferencePrivate,
              stream,
              timeoutMs: ctx.timeoutS * 1000,
            }),
          ),
      }),
      ...(['qa', 'extraction'] as const).map((kind) =>
        validatorTaskKind({
          name: kind,
          protocol: TextGeneration,
          weight: weights[kind],
          maxStreamBytes: MAX_STREAM_BYTES,
          createTask: (seed) => (kind === 'qa' ? qaTask(seed) : extractionTask(seed)),
          score: (task, _response, ctx) =>
            observed(ctx.stream, (stream) =>
              scoreGrounded({
                task: task.private as GroundedPrivate,
                stream,
                timeoutMs: ctx.timeoutS * 1000,
                taskId: ctx.seed.taskId,
                uid: ctx.uid,
                answers,
              }),
            ),
        }),
      ),
    ],
  };
}
