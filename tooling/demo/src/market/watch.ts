import type { SubtensorChain } from '@subnetkit/chain';
import { epochsBetween, nextEpochBlock } from '../epochs.js';
import { fullStepBlock } from '../status.js';
import { guard, sleep } from './abort.js';
import { pollStatuses } from './poll.js';
import type { MarketRun, SubnetRun } from './types.js';

const TICK_MS = 500;

/** Each tick: polls the neurons, follows the subnets, shows progress, until every subnet is done. */
export async function watchMarket(
  market: MarketRun,
  chain: SubtensorChain,
  runs: readonly SubnetRun[],
  setupBlock: number,
): Promise<void> {
  market.phase(
    'running',
    `running until ${market.options.tempos} epoch(s) have passed, in every subnet, since its validator's weights covered every miner`,
  );
  for (;;) {
    await pollStatuses(runs);
    const head = market.view.block;
    for (const run of runs) {
      if (head !== null) await followSubnet(market, chain, run, head, setupBlock);
    }
    if (runs.every((r) => r.done)) break;
    market.progress();
    await sleep(TICK_MS, market.signal);
  }
}

/** A subnet at `head`: warm-up, then first weights start its clock; done after `tempos` epochs. */
async function followSubnet(
  market: MarketRun,
  chain: SubtensorChain,
  run: SubnetRun,
  head: number,
  setupBlock: number,
): Promise<void> {
  const { tempo, tempos } = market.options;
  const sv = run.view;
  const { netuid } = sv;
  if (sv.warmBlock === null) {
    // Warm-up ends with the validator's first step that queried every miner.
    // A runtime without `lastStep` in its status: the first weights start the clock.
    const full = fullStepBlock(run.validator.status, run.minerCount);
    if (full !== null) {
      sv.warmBlock = full === 'unknown' ? setupBlock : full;
      if (full !== 'unknown') {
        market.say(
          `  ${sv.subnet}: the validator has queried all ${run.minerCount} miners (step ending at block ${full})`,
        );
      }
    }
  }
  // Incentives change only at epochs: read the metagraph once per epoch, and every tick
  // until the weights that start the clock are on chain.
  if (sv.firstWeightsBlock === null || sv.epoch !== run.lastEpochSeen) {
    run.lastEpochSeen = sv.epoch ?? -1;
    const mg = await guard(chain.getMetagraph(netuid), market.signal);
    for (const r of run.neurons) {
      const uid = mg.hotkeys.indexOf(r.hotkey);
      if (uid >= 0) r.view.incentive = (mg.incentive[uid] ?? 0) / 65535;
    }
    const vuid = run.validator.view.uid;
    const last = vuid === null ? 0 : (mg.lastUpdate[vuid] ?? 0);
    if (
      sv.firstWeightsBlock === null &&
      sv.warmBlock !== null &&
      vuid !== null &&
      last > sv.warmBlock
    ) {
      const row = (await guard(chain.getWeights(netuid), market.signal)).get(vuid);
      if (row && row.length > 0) {
        sv.firstWeightsBlock = last;
        market.say(
          `  ${sv.subnet}: validator's weights on chain at block ${last} (${row.length} uids); counting ${tempos} epoch(s) from the next one at block ${nextEpochBlock(tempo, netuid, last)}`,
        );
      }
    }
  }
  if (sv.firstWeightsBlock !== null) {
    sv.epochsDone = Math.min(tempos, epochsBetween(tempo, netuid, sv.firstWeightsBlock, head));
    // Done once its last epoch block is behind us (its incentives are in the state).
    run.done =
      sv.epochsDone >= tempos &&
      epochsBetween(tempo, netuid, sv.firstWeightsBlock, head - 1) >= tempos;
  }
}
