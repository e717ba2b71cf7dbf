import { extendNeuronConfig } from '@subnetkit/neuron';
import { z } from 'zod';

/** The text subnet's flags: every neuron flag plus a `text` section. */
export const textConfigSchema = extendNeuronConfig({
  text: z.object({
    backend: z
      .enum(['reference'])
      .default('reference')
      .describe('Miner backend: reference (the reference model, here, offline)'),
    regenerateShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('Validator: share of verified-inference tasks also checked by exact regeneration'),
  }),
});

export type TextConfig = z.output<typeof textConfigSchema>;
