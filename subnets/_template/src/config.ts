import { extendNeuronConfig } from '@subnetkit/neuron';
import { z } from 'zod';

/**
 * The template's flags: every neuron flag (`--netuid`, `--wallet.*`, `--axon.*`, `--neuron.*` …)
 * plus a `template` section. Rename the section when you copy the template.
 */
export const templateConfigSchema = extendNeuronConfig({
  template: z.object({
    backend: z
      .enum(['offline', 'http'])
      .default('offline')
      .describe('Miner backend: offline (answers here, no model) or http (--template.backend_url)'),
    backendUrl: z.string().url().optional().meta({
      description: 'HTTP backend: POST {"dummy_input": n} there, expect {"dummy_output": m}',
      placeholder: 'URL',
    }),
  }),
});

export type TemplateConfig = z.output<typeof templateConfigSchema>;
