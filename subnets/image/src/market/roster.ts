/**
 * The image subnet in the local market (`npm run demo`, tooling/demo): the package's `./market`
 * subpath. The market gives it its own netuid and runs its validator and miners, each a
 * process, with the common flags. Only URLs here: importing this module starts nothing.
 */
import { adversaryMiner, defineMarketRoster, marketEntry } from '@subnetkit/neuron';
import { ADVERSARY_DESCRIPTIONS, type AdversaryVariant } from './adversaries.js';

/** This package's module `path` (`.ts` from source, `.js` once built). */
const entry = (path: string) => marketEntry(import.meta.url, path);

const adversary = (variant: AdversaryVariant, count = 1) =>
  adversaryMiner(import.meta.url, variant, ADVERSARY_DESCRIPTIONS[variant], { count });

export const market = defineMarketRoster({
  subnet: 'image',
  // One check worker: the market runs every neuron on the same cores.
  validator: { entry: entry('../validator/main'), args: ['--image.workers', '1'] },
  miners: [
    {
      variant: 'honest',
      honest: true,
      count: 2,
      description: 'the real miner: renders the asked facets (procedural backend)',
      entry: entry('../miner/main'),
      wires: ['synapse', 'btauth'],
    },
    adversary('blank'),
    adversary('wrong-size'),
    adversary('copycat'),
    adversary('slow'),
  ],
});
