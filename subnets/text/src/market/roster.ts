/**
 * The text subnet in the local market (`npm run demo`, tooling/demo): the package's `./market`
 * subpath. Only URLs here: importing this module starts nothing.
 */
import { adversaryMiner, defineMarketRoster, marketEntry } from '@subnetkit/neuron';
import { ADVERSARY_DESCRIPTIONS, type AdversaryVariant } from './adversaries.js';

/** This package's module `path` (`.ts` from source, `.js` once built). */
const entry = (path: string) => marketEntry(import.meta.url, path);

const adversary = (variant: AdversaryVariant, count = 1) =>
  adversaryMiner(import.meta.url, variant, ADVERSARY_DESCRIPTIONS[variant], { count });

export const market = defineMarketRoster({
  subnet: 'text',
  validator: { entry: entry('../validator/main') },
  miners: [
    {
      variant: 'honest',
      honest: true,
      count: 2,
      description: 'the real miner: the reference model, streamed token by token',
      entry: entry('../miner/main'),
      wires: ['synapse', 'epistula'],
    },
    adversary('random'),
    adversary('impostor'),
    adversary('padder'),
    adversary('copycat'),
    adversary('slow'),
  ],
});
