#!/usr/bin/env node
/**
 * `text-miner`: the text subnet's miner process.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/text/src/miner/main.ts --help`
 */
import { runMiner, runNeuronCli } from '@subnetkit/neuron';
import { textConfigSchema } from '../config.js';
import { backendFromConfig, createTextMiner } from './miner.js';

await runNeuronCli({
  schema: textConfigSchema,
  programName: 'text-miner',
  summary:
    'Streams the answer to each TextGeneration task (the reference model and an extractive solver here, or an OpenAI-compatible server) on subnet --netuid.',
  defaults: { neuron: { name: 'miner' } },
  start: (config) => runMiner(createTextMiner(backendFromConfig(config)), { config }),
});
