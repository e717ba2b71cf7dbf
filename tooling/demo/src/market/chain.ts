import { SubtensorChain } from '@subnetkit/chain';
import { Keypair } from '@subnetkit/wallet';
import { marketGenesis, setupChain } from '../chain-setup.js';
import { epochIndex } from '../epochs.js';
import { startLocalnetProcess } from '../localnet-process.js';
import { localnetEntry } from '../paths.js';
import { allSlots } from '../plan.js';
import { guard } from './abort.js';
import type { Neurons } from './prepare.js';
import type { MarketRun } from './types.js';

/** The market's dev chain: the localnet's URL and a connection to it. */
export interface MarketChain {
  url: string;
  chain: SubtensorChain;
}

/** Starts the localnet process with one subnet per plan, connects, and follows its blocks. */
export async function startChain(market: MarketRun): Promise<MarketChain> {
  const { options, components, root } = market;
  market.phase('starting', 'starting the localnet (subtensor-compatible dev chain)');
  const localnet = await guard(
    startLocalnetProcess(market.supervisor, {
      root,
      entry: components.localnetEntry ?? localnetEntry(root),
      dir: market.dir,
      blockTimeMs: options.blockTimeMs,
      genesis: marketGenesis(
        options.tempo,
        market.plans.map((p) => p.netuid),
      ),
    }),
    market.signal,
  );
  components.onChild?.(localnet.child.pid, 'localnet');
  market.say(`  localnet      ${localnet.url} (pid ${localnet.child.pid})`);
  const chain = await guard(
    SubtensorChain.connect({
      chainEndpoint: localnet.url,
      blockTimeSeconds: options.blockTimeMs / 1000,
      connectTimeoutMs: 30_000,
      txTimeoutMs: 60_000,
    }),
    market.signal,
  );
  market.held.chain = chain;
  market.held.unsubscribe = await guard(
    chain.subscribeBlocks((b) => {
      market.view.block = b.number;
      for (const s of market.view.subnets) s.epoch = epochIndex(options.tempo, s.netuid, b.number);
    }),
    market.signal,
  );
  return { url: localnet.url, chain };
}

/** Funds, registers and stakes every neuron, serves dead axons; resolves with the block after. */
export async function registerNeurons(
  market: MarketRun,
  chain: SubtensorChain,
  { wallets, ports }: Neurons,
): Promise<number> {
  const setup = await guard(
    setupChain(chain, {
      funder: Keypair.fromUri('//Alice'),
      coldkey: wallets.coldkey,
      slots: allSlots(market.plans),
      hotkeys: wallets.hotkeys,
      deadPort: (slot) => ports.get(slot.id)!.axon,
      onStep: (m) => market.say(`  ${m}`),
    }),
    market.signal,
  );
  for (const r of market.running) r.view.uid = setup.uids.get(r.slot.id) ?? null;
  return guard(chain.getCurrentBlock(), market.signal);
}
