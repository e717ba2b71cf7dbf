import type { SubtensorChain } from '@subnetkit/chain';
import {
  buildRows,
  decideMarketOutcome,
  decideOutcome,
  formatTable,
  type MinerRow,
  type Outcome,
} from '../report.js';
import { scoresFromStatus } from '../status.js';
import { guard } from './abort.js';
import { pollStatuses } from './poll.js';
import type { MarketRun, SubnetResult, SubnetRun } from './types.js';

/** What the run found: filled subnet by subnet, so a failure part-way keeps what was read. */
export interface MarketReport {
  /** Every subnet's rows. */
  rows: MinerRow[];
  subnets: SubnetResult[];
  /** The whole market's verdict, once every subnet is read. */
  outcome: Outcome | null;
}

/** A report with nothing read yet. */
export function emptyReport(): MarketReport {
  return { rows: [], subnets: [], outcome: null };
}

/** Reads every subnet's incentives from the chain, decides each and the market, prints it. */
export async function finishMarket(
  market: MarketRun,
  chain: SubtensorChain,
  runs: readonly SubnetRun[],
  report: MarketReport,
): Promise<void> {
  market.phase('finishing', "reading every miner's incentive from the chain");
  await pollStatuses(runs);
  let finalBlock = 0;
  for (const run of runs) {
    finalBlock = Math.max(finalBlock, await readSubnet(market, chain, run, report));
  }
  const outcome = decideMarketOutcome(
    runs.map((r) => ({ subnet: r.plan.subnet, outcome: r.view.outcome! })),
  );
  report.outcome = outcome;
  market.view.rows = report.rows;
  market.view.outcome = outcome;
  market.say(`\nIncentive per neuron at block ${finalBlock} (read from the chain's metagraph):`);
  for (const r of report.subnets) {
    market.say(`\nsubnet ${r.subnet} (netuid ${r.netuid})\n`);
    market.say(formatTable(r.rows));
    if (report.subnets.length > 1)
      market.say(`\n${r.ok ? 'PASS' : 'FAIL'} ${r.subnet}: ${r.reason}`);
  }
  market.say('');
  market.say(`${outcome.ok ? 'PASS' : 'FAIL'}: ${outcome.reason}`);
  market.view.phase = outcome.ok ? 'done' : 'failed';
}

/** One subnet's rows and verdict from its metagraph, into the report; resolves with its block. */
async function readSubnet(
  market: MarketRun,
  chain: SubtensorChain,
  run: SubnetRun,
  report: MarketReport,
): Promise<number> {
  const final = await guard(chain.getMetagraph(run.plan.netuid), market.signal);
  const rows = buildRows(
    final,
    run.plan.slots,
    new Map(run.neurons.map((r) => [r.slot.id, r.hotkey] as const)),
    {
      scores: scoresFromStatus(run.validator.status),
      served: new Map(run.neurons.map((r) => [r.slot.id, r.view.served] as const)),
    },
  );
  for (const r of run.neurons) {
    const row = rows.find((x) => x.name === r.slot.name);
    if (row) r.view.incentive = row.incentive;
  }
  const honest = run.plan.counts.filter((c) => c.honest).reduce((n, c) => n + c.count, 0);
  const o = decideOutcome(rows, honest);
  run.view.outcome = o;
  report.subnets.push({
    subnet: run.plan.subnet,
    netuid: run.plan.netuid,
    ok: o.ok,
    reason: o.reason,
    rows,
  });
  report.rows.push(...rows);
  return final.block;
}
