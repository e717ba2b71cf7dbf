#!/usr/bin/env node
/**
 * `image-validator`: the image subnet's validator process.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/image/src/validator/main.ts --help`
 */
import { runNeuronCli, runValidator } from '@subnetkit/neuron';
import { imageConfigSchema } from '../config.js';
import { createImageChecker } from './checker.js';
import { createImageValidator } from './validator.js';

await runNeuronCli({
  schema: imageConfigSchema,
  programName: 'image-validator',
  summary:
    'Sends each miner its own image task, checks the image on this CPU (size, colours, shapes, text, copies) and sets weights every --neuron.epoch_length blocks.',
  defaults: { neuron: { name: 'validator' } },
  start: async (config) => {
    const checker = createImageChecker({ workers: config.image.workers, ocr: config.image.ocr });
    try {
      const validator = await runValidator(createImageValidator({ checker }), { config });
      validator.lifecycle.onShutdown('close', 'image checks', () => checker.close());
      return validator;
    } catch (error) {
      await checker.close();
      throw error;
    }
  },
});
