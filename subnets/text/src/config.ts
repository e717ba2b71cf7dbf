import { extendNeuronConfig } from '@subnetkit/neuron';
import { z } from 'zod';

/** The text subnet's flags: every neuron flag plus a `text` section. */
export const textConfigSchema = extendNeuronConfig({
  text: z.object({
    backend: z
      .enum(['reference', 'openai'])
      .default('reference')
      .describe(
        'Miner backend: reference (the reference model, here, offline) or openai (an OpenAI-compatible chat-completions server at --text.backend_url)',
      ),
    backendUrl: z.string().url().optional().meta({
      description:
        'openai backend: the server base URL (vLLM, llama.cpp server, a hosted API); POST {url}/v1/chat/completions',
      placeholder: 'URL',
    }),
    backendModel: z
      .string()
      .min(1)
      .optional()
      .describe("openai backend: the model name sent (default: the task's own model)"),
    backendKey: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'openai backend: bearer token (prefer the environment: SUBNETKIT_TEXT_BACKEND_KEY)',
        env: ['OPENAI_API_KEY'],
        placeholder: 'KEY',
      }),
    backendTimeout: z
      .number()
      .positive()
      .max(600)
      .default(60)
      .describe('openai backend: seconds before an answer (the whole stream) is given up'),
    regenerateShare: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe('Validator: share of verified-inference tasks also checked by exact regeneration'),
  }),
});

export type TextConfig = z.output<typeof textConfigSchema>;
