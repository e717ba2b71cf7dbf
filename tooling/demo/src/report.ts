import type { Metagraph } from '@subnetkit/chain';
import { identityOf, type NeuronIdentity, type NeuronSlot } from './plan.js';

/** One line of the final table. */
export interface MinerRow extends NeuronIdentity {
  uid: number;
  hotkey: string;
  axon: string;
  /** The wire a miner served (`-` for the validator). */
  wire: string;
  /** Incentive as a fraction (the chain's u16 / 65535). */
  incentive: number;
  /** Dividends as a fraction (validators). */
  dividends: number;
  /** Emission of the last epoch, alpha rao. */
  emission: bigint;
  /** The validator's EMA score of this uid at the end, when known. */
  score: number | null;
  /** Requests the miner reports having answered, when known. */
  served: number | null;
}

export interface Outcome {
  ok: boolean;
  reason: string;
}

const U16_MAX = 65535;

/**
 * Rows for every planned neuron of one subnet that is in its metagraph, from the chain's own
 * numbers. `hotkeys` and `served` are keyed by slot id.
 */
export function buildRows(
  metagraph: Metagraph,
  slots: readonly NeuronSlot[],
  hotkeys: ReadonlyMap<string, string>,
  extra: { scores?: ReadonlyMap<number, number>; served?: ReadonlyMap<string, number | null> } = {},
): MinerRow[] {
  const rows: MinerRow[] = [];
  for (const slot of slots) {
    const hotkey = hotkeys.get(slot.id);
    const uid = hotkey === undefined ? -1 : metagraph.hotkeys.indexOf(hotkey);
    if (hotkey === undefined || uid < 0) continue;
    const axon = metagraph.axons[uid];
    rows.push({
      ...identityOf(slot),
      uid,
      hotkey,
      axon: axon && axon.ip !== '0.0.0.0' ? `${axon.ip}:${axon.port}` : '-',
      wire: slot.role === 'miner' ? slot.wire : '-',
      incentive: (metagraph.incentive[uid] ?? 0) / U16_MAX,
      dividends: (metagraph.dividends[uid] ?? 0) / U16_MAX,
      emission: metagraph.emission[uid] ?? 0n,
      score: slot.role === 'validator' ? null : (extra.scores?.get(uid) ?? null),
      served: extra.served?.get(slot.id) ?? null,
    });
  }
  return rows;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * A subnet's market works when every honest miner earns more incentive than every adversarial
 * one (and more than nothing). Ties count as failures: they mean the validator could not tell
 * them apart.
 */
export function decideOutcome(rows: readonly MinerRow[], expectedHonest?: number): Outcome {
  const miners = rows.filter((r) => r.role === 'miner');
  const honest = miners.filter((r) => r.honest);
  const faulty = miners.filter((r) => !r.honest);
  if (honest.length === 0) return { ok: false, reason: 'no honest miner is in the metagraph' };
  if (expectedHonest !== undefined && honest.length !== expectedHonest) {
    return {
      ok: false,
      reason: `${expectedHonest - honest.length} honest miner(s) missing from the metagraph`,
    };
  }
  const weakest = honest.reduce((a, b) => (b.incentive < a.incentive ? b : a));
  if (weakest.incentive <= 0) {
    return {
      ok: false,
      reason: `honest miner ${weakest.name} (uid ${weakest.uid}) has no incentive: the validator's weights did not reach it`,
    };
  }
  if (faulty.length > 0) {
    const strongest = faulty.reduce((a, b) => (b.incentive > a.incentive ? b : a));
    if (strongest.incentive >= weakest.incentive) {
      return {
        ok: false,
        reason: `${strongest.variant} miner ${strongest.name} (uid ${strongest.uid}, ${pct(strongest.incentive)}) is not below honest miner ${weakest.name} (uid ${weakest.uid}, ${pct(weakest.incentive)})`,
      };
    }
    return {
      ok: true,
      reason: `every honest miner is on top: lowest honest ${weakest.name} ${pct(weakest.incentive)} > highest adversarial ${strongest.name} ${pct(strongest.incentive)}`,
    };
  }
  return {
    ok: true,
    reason: `every honest miner earns incentive (lowest ${pct(weakest.incentive)})`,
  };
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i >= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The market passes when every subnet does; the reason names each subnet's verdict (one
 * subnet: its own reason).
 */
export function decideMarketOutcome(
  subnets: readonly { subnet: string; outcome: Outcome }[],
): Outcome {
  if (subnets.length === 1) return subnets[0]!.outcome;
  const failed = subnets.filter((s) => !s.outcome.ok);
  if (failed.length > 0) {
    return {
      ok: false,
      reason: failed.map((s) => `${s.subnet}: ${s.outcome.reason}`).join('; '),
    };
  }
  return {
    ok: true,
    reason: `in every subnet (${subnets.map((s) => s.subnet).join(', ')}) every honest miner out-earns every adversarial one`,
  };
}

/** One subnet's final table, incentive from the chain, highest first, validator last. */
export function formatTable(rows: readonly MinerRow[]): string {
  const sorted = [...rows].sort((a, b) => {
    if ((a.role === 'validator') !== (b.role === 'validator'))
      return a.role === 'validator' ? 1 : -1;
    return b.incentive - a.incentive || a.uid - b.uid;
  });
  const cells = [
    [
      'uid',
      'neuron',
      'kind',
      'axon',
      'wire',
      'incentive',
      'dividends',
      'emission (α)',
      'score',
      'served',
    ],
    ...sorted.map((r) => [
      String(r.uid),
      r.name,
      r.role === 'validator' ? 'validator' : r.honest ? 'honest' : 'adversarial',
      r.axon,
      r.wire,
      pct(r.incentive),
      pct(r.dividends),
      (Number(r.emission) / 1e9).toFixed(3),
      r.score === null ? '-' : r.score.toFixed(3),
      r.served === null ? '-' : String(r.served),
    ]),
  ];
  const lines = pad(cells);
  const rule = '─'.repeat(Math.max(...lines.map((l) => l.length)));
  return [lines[0], rule, ...lines.slice(1)].join('\n');
}
