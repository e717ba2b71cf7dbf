/**
 * Verified-inference tasks from a seed: a prompt the reference model itself writes (so it is
 * in the model's own world), sampling parameters, and a sampling seed. Everything derives from
 * the task seed through labelled streams, so the sampling seed a miner sees says nothing of
 * the task seed revealed later in the evidence.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { TaskSeed } from '@subnetkit/neuron';
import { seededRandom } from '@subnetkit/neuron/random';
import type { ReferenceModel } from '../model/ngram.js';
import { generate } from '../model/sampling.js';
import { EOS_ID } from '../model/tokenizer.js';
import type { TextGenerationInput } from '../protocol.js';
import type { ChatMessage } from '../tasks/messages.js';

export const SYSTEM_PROMPT = 'Continue the text.';

export interface InferenceParams {
  temperature: number;
  topK: number;
  topP: number;
  maxTokens: number;
  logprobs: number;
}

/** What the validator keeps of a task: its own copy of the messages, parameters and seed. */
export interface InferencePrivate {
  messages: ChatMessage[];
  params: InferenceParams;
  /** Hex, as sent. */
  seed: string;
  /** Also checked by exact regeneration from the seed. */
  regenerate: boolean;
}

/** A 32-byte stream for `label` from a task seed (hex): sha256("subnetkit/text/<label>\0" ‖ seed). */
export function deriveTaskBytes(seed: string, label: string): Uint8Array {
  return sha256(
    new Uint8Array(
      Buffer.concat([Buffer.from(`subnetkit/text/${label}\0`), Buffer.from(seed, 'hex')]),
    ),
  );
}

export function inferenceTask(
  seed: Pick<TaskSeed, 'seed'>,
  model: ReferenceModel,
  modelId: string,
  options: { regenerateShare: number },
): { input: TextGenerationInput; private: InferencePrivate } {
  const rng = seededRandom(deriveTaskBytes(seed.seed, 'params'), 'params');
  const opening = generate({
    model,
    prompt: { tokens: [] },
    seed: deriveTaskBytes(seed.seed, 'prompt'),
    temperature: 1,
    topK: 40,
    maxTokens: rng.range(6, 14),
    logprobs: 0,
  });
  let text = '';
  for (let step = opening.next(); !step.done; step = opening.next()) {
    if (step.value.token === EOS_ID) break;
    text += step.value.text;
  }
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: text.trim() || 'the' },
  ];
  const params: InferenceParams = {
    temperature: rng.pick([0.7, 1]),
    topK: rng.pick([20, 40]),
    topP: rng.pick([1, 0.95]),
    maxTokens: rng.range(24, 96),
    logprobs: 5,
  };
  const samplingSeed = Buffer.from(deriveTaskBytes(seed.seed, 'sample')).toString('hex');
  return {
    input: {
      messages,
      model: modelId,
      seed: samplingSeed,
      temperature: params.temperature,
      top_k: params.topK,
      top_p: params.topP,
      max_tokens: params.maxTokens,
      logprobs: params.logprobs,
    },
    private: {
      messages,
      params,
      seed: samplingSeed,
      regenerate: rng.float() < options.regenerateShare,
    },
  };
}
