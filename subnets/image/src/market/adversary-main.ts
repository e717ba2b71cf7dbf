#!/usr/bin/env node
/**
 * An adversarial image miner as a process, for the local market (tooling/demo):
 * `--market.variant blank|wrong-size|copycat|slow` plus every flag of the image miner.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/image/src/market/adversary-main.ts --help`
 */
import { runMiner, runNeuronCli } from '@subnetkit/neuron';
import { backendFromConfig, createImageMiner } from '../miner/miner.js';
import { adversaryConfigSchema, createAdversaryMiner } from './adversaries.js';

await runNeuronCli({
  schema: adversaryConfigSchema,
  programName: 'image-adversary',
  summary:
    'An image miner that misbehaves on purpose (--market.variant), so the market shows the validator pays it nothing. Never run it on a real subnet.',
  defaults: { neuron: { name: 'miner' } },
  start: (config) =>
    runMiner(
      createAdversaryMiner(config.market.variant, createImageMiner(backendFromConfig(config))),
      { config },
    ),
});
