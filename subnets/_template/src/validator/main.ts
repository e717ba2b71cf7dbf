#!/usr/bin/env node
/**
 * `template-validator`: the template's validator process.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/_template/src/validator/main.ts --help`
 */
import { runNeuronCli, runValidator } from '@subnetkit/neuron';
import { templateConfigSchema } from '../config.js';
import { createTemplateValidator } from './validator.js';

await runNeuronCli({
  schema: templateConfigSchema,
  programName: 'template-validator',
  summary:
    'Sends each miner its own Dummy task, checks answers exactly, and sets weights every --neuron.epoch_length blocks.',
  defaults: { neuron: { name: 'validator' } },
  start: (config) => runValidator(createTemplateValidator(), { config }),
});
