/**
 * The grounded task kinds: questions about validator-written documents (`qa`) and fields or a
 * summary of a fixture page (`extraction`). Any model may answer them (`model: "any"`); the
 * validator knows the answer key and keeps it to itself.
 */
import type { TaskSeed } from '@subnetkit/neuron';
import type { ExtractionExpected, QaAnswerKey } from '../metrics/score.js';
import type { TextGenerationInput } from '../protocol.js';
import { createExtractionTask } from '../tasks/extraction.js';
import { createQaTask } from '../tasks/qa.js';
import { deriveTaskBytes } from './task.js';

export { ANY_MODEL };

import { ANY_MODEL } from '../miner/backend.js';

export type GroundedPrivate =
  | { kind: 'qa'; answer: QaAnswerKey; maxWords: number; fact: string }
  | { kind: 'extraction'; expected: ExtractionExpected };

function input(
  seed: string,
  messages: TextGenerationInput['messages'],
  maxTokens: number,
): TextGenerationInput {
  return {
    messages,
    model: ANY_MODEL,
    seed: Buffer.from(deriveTaskBytes(seed, 'grounded/sample')).toString('hex'),
    temperature: 0,
    top_k: 0,
    top_p: 1,
    max_tokens: maxTokens,
    logprobs: 0,
  };
}

export function qaTask(seed: Pick<TaskSeed, 'seed'>): {
  input: TextGenerationInput;
  private: GroundedPrivate;
} {
  const t = createQaTask(deriveTaskBytes(seed.seed, 'qa'));
  return {
    input: input(seed.seed, t.messages, 64),
    private: { kind: 'qa', answer: t.answer, maxWords: t.maxWords, fact: t.fact },
  };
}

export function extractionTask(seed: Pick<TaskSeed, 'seed'>): {
  input: TextGenerationInput;
  private: GroundedPrivate;
} {
  const t = createExtractionTask(deriveTaskBytes(seed.seed, 'extraction'));
  return {
    input: input(seed.seed, t.messages, 256),
    private: { kind: 'extraction', expected: t.expected },
  };
}
