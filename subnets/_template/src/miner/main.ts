#!/usr/bin/env node
/**
 * `template-miner`: the template's miner process.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/_template/src/miner/main.ts --help`
 */
import { runMiner, runNeuronCli } from '@subnetkit/neuron';
import { templateConfigSchema } from '../config.js';
import { backendFromConfig, createTemplateMiner } from './miner.js';

await runNeuronCli({
  schema: templateConfigSchema,
  programName: 'template-miner',
  summary:
    'Answers Dummy requests (dummy_input → dummy_output = 2 · dummy_input) on subnet --netuid.',
  defaults: { neuron: { name: 'miner' } },
  start: (config) => runMiner(createTemplateMiner(backendFromConfig(config)), { config }),
});
