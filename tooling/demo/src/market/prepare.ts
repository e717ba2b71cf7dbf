import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DemoError } from '../errors.js';
import type { MarketOptions } from '../options.js';
import { findRepoRoot } from '../paths.js';
import { allSlots, identityOf, type NeuronSlot, planMarket, type SubnetPlan } from '../plan.js';
import { freePort } from '../ports.js';
import { discoverSubnets, selectSubnets } from '../subnets.js';
import type { NeuronView } from '../view.js';
import { createMarketWallets, type MarketWallets } from '../wallets.js';
import { guard } from './abort.js';
import type { MarketComponents, MarketRun, Running, SubnetRun } from './types.js';

/** A neuron's two ports: its axon's, and its status endpoint's. */
export interface NeuronPorts {
  axon: number;
  status: number;
}

/** The market's neurons before they start: wallets, ports, each subnet's neurons. */
export interface Neurons {
  wallets: MarketWallets;
  /** Per slot id. */
  ports: ReadonlyMap<string, NeuronPorts>;
  runs: SubnetRun[];
}

/**
 * The subnets of the market, planned, every process entry checked on disk: what `runMarket`
 * runs. Throws `INVALID_OPTION` (an unknown subnet or variant), `NO_SUBNETS`,
 * `ROSTER_INVALID` or `ENTRY_MISSING` before anything starts.
 */
export async function prepareMarket(
  options: Pick<MarketOptions, 'subnets' | 'miners'>,
  components: Pick<MarketComponents, 'root' | 'rosters'> = {},
): Promise<SubnetPlan[]> {
  const root = components.root ?? findRepoRoot();
  const found = components.rosters
    ? components.rosters.map((roster) => ({ roster }))
    : await discoverSubnets(root);
  const plans = planMarket(
    selectSubnets(found, options.subnets).map((s) => s.roster),
    options.miners,
  );
  for (const slot of allSlots(plans)) {
    if (slot.entry !== null && !existsSync(slot.entry)) {
      throw new DemoError(
        'ENTRY_MISSING',
        `subnet ${slot.subnet}: the ${slot.role === 'validator' ? 'validator' : `${slot.variant} miner`}'s entry ${relative(root, slot.entry)} does not exist (see its market roster)`,
      );
    }
  }
  return plans;
}

/** A new run directory in `tmpRoot` (default: the OS temp dir), with `logs/` and `state/`. */
export function createRunDir(tmpRoot: string = tmpdir()): string {
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(join(tmpRoot, 'subnetkit-market-'));
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'state'));
  return dir;
}

/** Creates the dev wallet and picks every neuron's ports; each neuron joins the view. */
export async function prepareNeurons(market: MarketRun): Promise<Neurons> {
  market.phase('setup', 'creating the dev wallet, funding it, registering every neuron');
  const slots = allSlots(market.plans);
  const wallets = await guard(
    createMarketWallets(
      market.dir,
      slots.map((s) => s.id),
    ),
    market.signal,
  );
  const ports = new Map<string, NeuronPorts>();
  for (const slot of slots) {
    ports.set(slot.id, { axon: await freePort(slot.ip), status: await freePort() });
  }
  const runs = market.plans.map((plan, i): SubnetRun => {
    const members = plan.slots.map((slot) => {
      const hotkey = wallets.hotkeys.get(slot.id)!.ss58Address;
      const r: Running = {
        slot,
        view: neuronView(slot, ports.get(slot.id)!),
        child: null,
        hotkey,
        status: null,
      };
      market.view.neurons.push(r.view);
      market.running.push(r);
      return r;
    });
    return {
      plan,
      view: market.view.subnets[i]!,
      validator: members.find((r) => r.slot.role === 'validator')!,
      neurons: members,
      minerCount: plan.slots.length - 1,
      lastEpochSeen: -1,
      done: false,
    };
  });
  return { wallets, ports, runs };
}

/** A planned neuron's view: a miner with no entry (dead) has no status endpoint. */
function neuronView(slot: NeuronSlot, ports: NeuronPorts): NeuronView {
  const dead = slot.entry === null;
  return {
    id: slot.id,
    ...identityOf(slot),
    uid: null,
    ip: slot.ip,
    axonPort: ports.axon,
    wire: slot.wire,
    statusPort: dead ? null : ports.status,
    state: dead ? 'never started' : 'planned',
    score: null,
    served: null,
    incentive: null,
    step: null,
    lastWeightsBlock: null,
  };
}
