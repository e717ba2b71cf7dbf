#!/usr/bin/env node
/**
 * `image-miner`: the image subnet's miner process.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/image/src/miner/main.ts --help`
 */
import { runMiner, runNeuronCli } from '@subnetkit/neuron';
import { imageConfigSchema } from '../config.js';
import { backendFromConfig, createImageMiner } from './miner.js';

await runNeuronCli({
  schema: imageConfigSchema,
  programName: 'image-miner',
  summary:
    'Generates the image each ImageGeneration task asks for (procedural here, or an HTTP image model) on subnet --netuid.',
  defaults: { neuron: { name: 'miner' } },
  start: (config) => runMiner(createImageMiner(backendFromConfig(config)), { config }),
});
