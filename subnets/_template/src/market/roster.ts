/**
 * The template in the local market (`npm run demo`, tooling/demo): the package's `./market`
 * subpath. The market finds every subnet that exports one, gives it its own netuid and runs
 * its validator and miners, each a process, with the common flags (netuid, wallet, chain,
 * axon, status port). Only URLs here: importing this module starts nothing.
 */
import { adversaryMiner, defineMarketRoster, marketEntry } from '@subnetkit/neuron';
import type { WireName } from '@subnetkit/transport';
import { ADVERSARY_DESCRIPTIONS, type AdversaryVariant } from './adversaries.js';

/** This package's module `path` (`.ts` from source, `.js` once built). */
const entry = (path: string) => marketEntry(import.meta.url, path);

const adversary = (variant: AdversaryVariant, count: number, wires: WireName[]) =>
  adversaryMiner(import.meta.url, variant, ADVERSARY_DESCRIPTIONS[variant], { count, wires });

export const market = defineMarketRoster({
  subnet: 'template',
  validator: { entry: entry('../validator/main') },
  miners: [
    {
      variant: 'honest',
      honest: true,
      count: 3,
      description: 'the real miner: right answers (2 · input)',
      entry: entry('../miner/main'),
      // One per wire: the SDK ≤ 10 Synapse wire, SDK 11's btauth/1 and Epistula v2.
      wires: ['synapse', 'btauth', 'epistula'],
    },
    // A cheater gains nothing from another wire: the same checks run over every one.
    adversary('wrong', 1, ['fiber']),
    adversary('slow', 1, ['btauth']),
    adversary('garbage', 0, ['synapse']),
    {
      variant: 'dead',
      honest: false,
      count: 1,
      description: 'registered, axon published, nothing listens',
      entry: null,
    },
  ],
});
