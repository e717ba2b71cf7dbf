#!/usr/bin/env node
/**
 * An adversarial template miner as a process, for the local market (tooling/demo):
 * `--market.variant wrong|slow|garbage` plus every flag of the template's miner.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/_template/src/market/adversary-main.ts --help`
 */
import { runMiner, runNeuronCli } from '@subnetkit/neuron';
import { backendFromConfig, createTemplateMiner } from '../miner/miner.js';
import { adversaryConfigSchema, createAdversaryMiner } from './adversaries.js';

await runNeuronCli({
  schema: adversaryConfigSchema,
  programName: 'template-adversary',
  summary:
    'A template miner that misbehaves on purpose (--market.variant), so the market shows the validator pays it nothing. Never run it on a real subnet.',
  defaults: { neuron: { name: 'miner' } },
  start: (config) =>
    runMiner(
      createAdversaryMiner(config.market.variant, createTemplateMiner(backendFromConfig(config))),
      { config },
    ),
});
