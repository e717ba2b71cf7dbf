import { join } from 'node:path';
import { startDashboard } from '../dashboard.js';
import type { SubnetPlan } from '../plan.js';
import type { MarketRun } from './types.js';

/** Prints the header (the subnets, their neurons, the run directory) and opens the dashboard. */
export async function announceMarket(market: MarketRun): Promise<void> {
  const { options, plans } = market;
  const n = plans.length;
  market.say(
    `subnetkit local market: ${n} subnet${n === 1 ? '' : 's'} on one dev chain, tempo ${options.tempo}, ${options.blockTimeMs} ms blocks`,
  );
  for (const p of plans)
    market.say(`  ${p.subnet.padEnd(12)}  netuid ${p.netuid}: ${describePlan(p)}`);
  market.say(`  run directory ${market.dir} (logs in ${join(market.dir, 'logs')})`);
  if (options.dashboardPort !== null) {
    market.held.dashboard = await startDashboard(options.dashboardPort, () => market.view);
    market.say(`  dashboard     ${market.held.dashboard.url}`);
  }
}

/** `1 validator, 6 miners (3 honest, 1 wrong, 1 slow, 1 dead)`. */
function describePlan(plan: SubnetPlan): string {
  const counts = plan.counts.filter((c) => c.count > 0);
  const miners = counts.reduce((n, c) => n + c.count, 0);
  return `1 validator, ${miners} miners (${counts.map((c) => `${c.count} ${c.variant}`).join(', ')})`;
}
