import { fileURLToPath } from 'node:url';
import type { MarketMiner, MarketRoster } from '@subnetkit/neuron';
import { DemoError } from './errors.js';
import { MAX_NEURONS, type MinerCount } from './options.js';

/** The first subnet's netuid (created at genesis by localnet, owner //Alice); the next get 2, 3 … */
export const FIRST_NETUID = 1;

/** Who a neuron is in the market: the plan, the view and the report all name it so. */
export interface NeuronIdentity {
  subnet: string;
  netuid: number;
  /** Its name within the subnet: `validator`, `honest-1`, `wrong-1` … */
  name: string;
  role: 'validator' | 'miner';
  /** The roster's miner variant (`validator` for the validator). */
  variant: string;
  honest: boolean;
}

/** One neuron of the market as planned before anything starts. */
export interface NeuronSlot extends NeuronIdentity {
  /** Unique in the market: hotkey name, process and log name (`template-honest-1`). */
  id: string;
  /** Loopback address it binds and publishes (subtensor refuses 127.0.0.1). */
  ip: string;
  /** The process's module (a path); null for a miner that never starts (dead). */
  entry: string | null;
  /** The roster's own flags for it. */
  args: readonly string[];
  /** The wire a miner serves (the validator's is Synapse, its default to miners). */
  wire: WireName;
}

/** One subnet of the market: its netuid, how many miners of each variant, its neurons. */
export interface SubnetPlan {
  subnet: string;
  netuid: number;
  roster: MarketRoster;
  /** Miners per variant, in roster order. */
  counts: Array<{ variant: string; honest: boolean; count: number; description: string }>;
  /** The validator first, then the miners by variant. */
  slots: NeuronSlot[];
}

/** A wire a miner serves (`--axon.wires`). */
export type WireName = NonNullable<MarketMiner['wires']>[number];

/** Instance `n` (from 1) of a variant serves its wires in turn. */
function wireOf(wires: readonly WireName[] | undefined, n: number): WireName {
  if (!wires || wires.length === 0) return 'synapse';
  return wires[(n - 1) % wires.length]!;
}

const bad = (message: string) =>
  new DemoError('INVALID_OPTION', message, { details: { field: 'miners' } });

/** Per-variant counts: each roster's defaults, then every `--miners` term in order. */
function applyCounts(rosters: readonly MarketRoster[], terms: readonly MinerCount[]) {
  const counts = rosters.map((r) => new Map(r.miners.map((m) => [m.variant, m.count ?? 1])));
  for (const t of terms) {
    const targets =
      t.subnet === null
        ? rosters.map((_, i) => i)
        : [rosters.findIndex((r) => r.subnet === t.subnet)];
    if (targets[0] === -1) {
      throw bad(
        `--miners: "${t.subnet}.${t.variant}": subnet "${t.subnet}" is not running (running: ${rosters.map((r) => r.subnet).join(', ')})`,
      );
    }
    let hit = false;
    for (const i of targets) {
      for (const m of rosters[i]!.miners) {
        if (t.variant === null ? m.honest : m.variant === t.variant) {
          counts[i]!.set(m.variant, t.count);
          hit = true;
        }
      }
    }
    if (!hit) {
      const where = t.subnet === null ? 'any running subnet' : `subnet "${t.subnet}"`;
      const known = [...new Set(targets.flatMap((i) => rosters[i]!.miners.map((m) => m.variant)))];
      throw bad(
        `--miners: no miner variant "${t.variant}" in ${where} (variants: ${known.join(', ')})`,
      );
    }
  }
  return counts;
}

/**
 * The market's subnets and neurons: netuids 1, 2 … in the given order; for each, its
 * validator then its miners by variant, each on its own loopback address from 127.0.0.2
 * (every address of 127.0.0.0/8 but 127.0.0.1 reaches this host on Linux and is accepted by
 * `serve_axon`). Refuses counts that leave a subnet without an honest miner.
 */
export function planMarket(
  rosters: readonly MarketRoster[],
  miners: readonly MinerCount[] = [],
): SubnetPlan[] {
  const counts = applyCounts(rosters, miners);
  let host = 2;
  const plans = rosters.map((roster, i): SubnetPlan => {
    const netuid = FIRST_NETUID + i;
    const c = counts[i]!;
    const subnet = roster.subnet;
    const slot = (s: Omit<NeuronSlot, 'id' | 'subnet' | 'netuid' | 'ip'>): NeuronSlot => ({
      id: `${subnet}-${s.name}`,
      subnet,
      netuid,
      ip: `127.0.0.${host++}`,
      ...s,
    });
    const slots = [
      slot({
        name: 'validator',
        role: 'validator',
        variant: 'validator',
        honest: false,
        entry: fileURLToPath(roster.validator.entry),
        args: roster.validator.args ?? [],
        wire: 'synapse',
      }),
    ];
    for (const m of roster.miners) {
      for (let n = 1; n <= c.get(m.variant)!; n++) {
        slots.push(
          slot({
            name: `${m.variant}-${n}`,
            role: 'miner',
            variant: m.variant,
            honest: m.honest,
            entry: m.entry === null ? null : fileURLToPath(m.entry),
            args: m.args ?? [],
            wire: wireOf(m.wires, n),
          }),
        );
      }
    }
    if (!roster.miners.some((m) => m.honest && c.get(m.variant)! > 0)) {
      throw bad(`--miners: subnet "${subnet}" needs at least one honest miner`);
    }
    return {
      subnet,
      netuid,
      roster,
      counts: roster.miners.map((m) => ({
        variant: m.variant,
        honest: m.honest,
        count: c.get(m.variant)!,
        description: m.description,
      })),
      slots,
    };
  });
  const total = plans.reduce((n, p) => n + p.slots.length, 0);
  if (total > MAX_NEURONS) {
    throw bad(
      `--miners: ${total} neurons in all, at most ${MAX_NEURONS} (one loopback address each)`,
    );
  }
  return plans;
}

/** Every neuron of the plan, subnet by subnet. */
export function allSlots(plans: readonly SubnetPlan[]): NeuronSlot[] {
  return plans.flatMap((p) => p.slots);
}

/** Just the identity fields of a neuron (to copy them onto a view or a row). */
export function identityOf(n: NeuronIdentity): NeuronIdentity {
  const { subnet, netuid, name, role, variant, honest } = n;
  return { subnet, netuid, name, role, variant, honest };
}
