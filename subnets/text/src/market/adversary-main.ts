#!/usr/bin/env node
/**
 * An adversarial text miner as a process, for the local market (tooling/demo):
 * `--market.variant random|impostor|padder|copycat|slow` plus every flag of the text miner.
 * Dev: `node --conditions=@subnetkit/source --import tsx subnets/text/src/market/adversary-main.ts --help`
 */
import { runMiner, runNeuronCli } from '@subnetkit/neuron';
import { ReferenceBackend } from '../miner/backend.js';
import { createTextMiner } from '../miner/miner.js';
import { loadReferenceModel } from '../model/load.js';
import { solveTask } from '../solver/index.js';
import { adversaryConfigSchema, createAdversaryBackend } from './adversaries.js';

await runNeuronCli({
  schema: adversaryConfigSchema,
  programName: 'text-adversary',
  summary:
    'A text miner that cheats on purpose (--market.variant), so the market shows the validator pays it less. Never run it on a real subnet.',
  defaults: { neuron: { name: 'miner' } },
  start: (config) =>
    runMiner(
      createTextMiner(
        createAdversaryBackend(
          config.market.variant,
          new ReferenceBackend(loadReferenceModel(), { solve: solveTask }),
        ),
      ),
      { config },
    ),
});
