import { extendNeuronConfig } from '@subnetkit/neuron';
import { z } from 'zod';

/**
 * The image subnet's flags: every neuron flag plus an `image` section, for the miner's backend
 * and the validator's checks.
 */
export const imageConfigSchema = extendNeuronConfig({
  image: z.object({
    backend: z
      .enum(['procedural', 'http'])
      .default('procedural')
      .describe(
        'Miner backend: procedural (renders the facets here, offline) or http (--image.backend_url)',
      ),
    backendUrl: z.string().url().optional().meta({
      description:
        'HTTP backend: an OpenAI-images-compatible server, or a raw prompt → image service',
      placeholder: 'URL',
    }),
    backendApi: z
      .enum(['openai', 'raw'])
      .default('openai')
      .describe(
        'HTTP backend API: openai (POST {url}/v1/images/generations, b64_json) or raw (POST {url} JSON, image bytes back)',
      ),
    backendModel: z
      .string()
      .min(1)
      .optional()
      .describe('HTTP backend: the model name sent to an OpenAI-compatible server'),
    backendKey: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'HTTP backend: bearer token (prefer the environment: SUBNETKIT_IMAGE_BACKEND_KEY)',
        env: ['OPENAI_API_KEY'],
        placeholder: 'KEY',
      }),
    backendTimeout: z
      .number()
      .positive()
      .max(600)
      .default(60)
      .describe('HTTP backend: seconds before a generation is given up'),
    workers: z
      .int()
      .min(0)
      .max(64)
      .default(2)
      .describe('Validator: worker threads checking images (0 = on the main thread)'),
    ocr: z
      .enum(['paddle', 'tesseract', 'none'])
      .default('paddle')
      .describe(
        'Validator: OCR for the text facet: paddle (PP-OCRv4, bundled), tesseract (Debian tesseract-ocr) or none (the text facet is partial)',
      ),
  }),
});

export type ImageConfig = z.output<typeof imageConfigSchema>;
