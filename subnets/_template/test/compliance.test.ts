// The compliance suite every subnet runs (packages/test-utils): wire format, miner policy,
// scoring of right/wrong/slow/garbage/dead miners, validator failures, restarts, weights on chain,
// and the signed wires.
import { loadConfig } from '@subnetkit/neuron';
import { describeSubnetCompliance } from '@subnetkit/test-utils';
import {
  createTemplateMiner,
  createTemplateValidator,
  Dummy,
  OfflineBackend,
  templateConfigSchema,
} from '../src/index.js';

describeSubnetCompliance({
  name: 'template',
  protocol: Dummy,
  createMiner: () => createTemplateMiner(new OfflineBackend()),
  createValidator: () => createTemplateValidator(),
  wrongAnswer: (input) => ({ dummy_output: input.dummy_input * 2 + 1 }),
  // The same handlers over the SDK 11 (btauth/1), Epistula and Fiber wires (`--axon.wires`).
  wires: ['btauth', 'epistula', 'fiber'],
  loadConfig: (argv) => {
    const result = loadConfig(templateConfigSchema, { argv, env: {} });
    if (result.help) throw new Error('unexpected --help');
    return result.config;
  },
});
