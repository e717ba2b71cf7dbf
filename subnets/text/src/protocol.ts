/**
 * The text subnet's protocol: one streaming synapse, `TextGeneration`. The validator sends chat
 * messages, the model it asks for, a seed and sampling parameters; the miner streams its answer
 * as newline-delimited JSON events (`src/stream/events.ts`): text pieces with their token ids and
 * logprobs when it has them, then one final event with the finish reason and the usage.
 *
 * Python peers: the same fields, `required_hash_fields = ['messages', 'model', 'seed',
 * 'temperature', 'top_k', 'top_p', 'max_tokens', 'logprobs']`, so a changed task is refused.
 */
import { defineSynapse, type InputOf } from '@subnetkit/transport/wire';
import { z } from 'zod';

/** Most messages a task sends, and characters per message. */
export const MAX_MESSAGES = 16;
export const MAX_MESSAGE_CHARS = 16_384;
/** Most completion tokens a task asks for. */
export const MAX_COMPLETION_TOKENS = 1024;

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(MAX_MESSAGE_CHARS),
});

export const TextGeneration = defineSynapse({
  name: 'TextGeneration',
  input: {
    messages: z.array(chatMessageSchema).min(1).max(MAX_MESSAGES),
    /** The model asked for: the reference model's id for verified inference. */
    model: z.string().min(1).max(200),
    /** 32 bytes, hex: the sampling seed (the reference model's sampler is exact from it). */
    seed: z.string().regex(/^[0-9a-f]{64}$/),
    temperature: z.number().min(0).max(2),
    /** 0 = no top-k. */
    top_k: z.int().min(0).max(1000),
    top_p: z.number().gt(0).max(1),
    max_tokens: z.int().min(1).max(MAX_COMPLETION_TOKENS),
    /** Top logprobs per token the validator asks for (0 = none). */
    logprobs: z.int().min(0).max(20),
  },
  hashFields: [
    'messages',
    'model',
    'seed',
    'temperature',
    'top_k',
    'top_p',
    'max_tokens',
    'logprobs',
  ],
  streaming: true,
});

export type TextGenerationSynapse = typeof TextGeneration;
export type TextGenerationInput = InputOf<TextGenerationSynapse>;
