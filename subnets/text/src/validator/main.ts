#!/usr/bin/env node
/**
 * `text-validator`: the text subnet's validator process.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/text/src/validator/main.ts --help`
 */
import { runNeuronCli, runValidator } from '@subnetkit/neuron';
import { textConfigSchema } from '../config.js';
import { loadReferenceModel } from '../model/load.js';
import { createTextValidator } from './validator.js';

await runNeuronCli({
  schema: textConfigSchema,
  programName: 'text-validator',
  summary:
    'Sends each miner its own verified-inference task, audits the streamed answer against the reference model on this CPU, and sets weights every --neuron.epoch_length blocks.',
  defaults: { neuron: { name: 'validator' } },
  start: (config) =>
    runValidator(
      createTextValidator(loadReferenceModel(), { regenerateShare: config.text.regenerateShare }),
      { config },
    ),
});
