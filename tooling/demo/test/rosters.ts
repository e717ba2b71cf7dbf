// Rosters for the demo's tests: shaped like the template's, entries anywhere.
import { pathToFileURL } from 'node:url';
import { defineMarketRoster, type MarketRoster } from '@subnetkit/neuron';

const url = (p: string, base: string) => pathToFileURL(`${base}/${p}`);

/** A roster shaped like the template's (honest 3 on two wires, wrong on Fiber, slow, garbage 0, dead). */
export function testRoster(subnet: string, base = '/repo/subnets/x/src'): MarketRoster {
  const adversary = (variant: string, count = 1) => ({
    variant,
    honest: false,
    count,
    description: variant,
    entry: url('market/adversary-main.ts', base),
    args: ['--market.variant', variant],
  });
  return defineMarketRoster({
    subnet,
    validator: { entry: url('validator/main.ts', base) },
    miners: [
      {
        variant: 'honest',
        honest: true,
        count: 3,
        description: 'h',
        entry: url('miner/main.ts', base),
        wires: ['synapse', 'btauth'],
      },
      { ...adversary('wrong'), wires: ['fiber'] },
      adversary('slow'),
      adversary('garbage', 0),
      { variant: 'dead', honest: false, description: 'd', entry: null },
    ],
  });
}
