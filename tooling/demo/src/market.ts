import type { DemoError } from './errors.js';
import { announceMarket } from './market/announce.js';
import { registerNeurons, startChain } from './market/chain.js';
import { emptyReport, finishMarket } from './market/finish.js';
import { startNeurons } from './market/neurons.js';
import { openMarket } from './market/open.js';
import { createRunDir, prepareMarket, prepareNeurons } from './market/prepare.js';
import { reportFailure, settleMarket, stopMarket } from './market/stop.js';
import type { MarketComponents, MarketResult } from './market/types.js';
import { watchMarket } from './market/watch.js';
import type { MarketOptions } from './options.js';
import { findRepoRoot } from './paths.js';

/**
 * The local market: a localnet process, a funded dev wallet, one netuid per subnet with one
 * staked validator and the miners its roster (and `--miners`) asks for, each neuron a separate
 * process; runs until `tempos` epochs have passed, in every subnet, since its validator's
 * first weights, then reads every miner's incentive from the chain and decides, subnet by
 * subnet, whether the honest ones are on top. Every child is stopped before this resolves,
 * whatever happens. Bad options or rosters reject before anything starts.
 */
export async function runMarket(
  options: MarketOptions,
  components: MarketComponents = {},
): Promise<MarketResult> {
  const root = components.root ?? findRepoRoot();
  const plans = await prepareMarket(options, { ...components, root });
  const dir = createRunDir(options.tmpRoot);
  const market = openMarket({ options, components, root, plans, dir });
  const report = emptyReport();
  let error: DemoError | undefined;
  try {
    await announceMarket(market);
    const { url, chain } = await startChain(market);
    const neurons = await prepareNeurons(market);
    const setupBlock = await registerNeurons(market, chain, neurons);
    await startNeurons(market, url, neurons);
    await watchMarket(market, chain, neurons.runs, setupBlock);
    await finishMarket(market, chain, neurons.runs, report);
  } catch (e) {
    error = reportFailure(market, e);
  } finally {
    await stopMarket(market);
  }
  return settleMarket(market, report, error);
}
