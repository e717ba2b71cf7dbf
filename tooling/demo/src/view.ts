import type { NeuronIdentity } from './plan.js';
import type { MinerRow, Outcome } from './report.js';

export type NeuronState =
  | 'planned'
  | 'starting'
  | 'up'
  | 'unreachable'
  | 'exited'
  | 'never started';

export interface NeuronView extends NeuronIdentity {
  /** Unique in the market (`template-honest-1`). */
  id: string;
  uid: number | null;
  ip: string;
  axonPort: number;
  /** The wire a miner's axon serves (the validator speaks Synapse unless told otherwise). */
  wire: string;
  statusPort: number | null;
  state: NeuronState;
  /** The validator's EMA score of this uid (miners). */
  score: number | null;
  /** Requests answered, as the miner reports. */
  served: number | null;
  /** Incentive from the last metagraph read (fraction). */
  incentive: number | null;
  step: number | null;
  lastWeightsBlock: number | null;
}

/** One subnet's progress: each has its own netuid, so its own epochs and warm-up. */
export interface SubnetView {
  subnet: string;
  netuid: number;
  /** Its epoch index at the head block. */
  epoch: number | null;
  /** End block of the validator's first step that queried every miner (warm-up done). */
  warmBlock: number | null;
  /** Block of the validator's first weights after the warm-up: epochs are counted from it. */
  firstWeightsBlock: number | null;
  epochsDone: number;
  outcome: Outcome | null;
}

/** Everything the progress line and the dashboard show. */
export interface MarketView {
  phase: 'starting' | 'setup' | 'running' | 'finishing' | 'done' | 'failed';
  message: string;
  dir: string;
  tempo: number;
  blockTimeMs: number;
  block: number | null;
  epochsTarget: number;
  startedAt: number;
  subnets: SubnetView[];
  neurons: NeuronView[];
  rows: MinerRow[] | null;
  /** The whole market's verdict (every subnet's). */
  outcome: Outcome | null;
}

function score(v: NeuronView): string {
  if (v.state === 'never started') return 'dead';
  if (v.state === 'exited') return 'EXITED';
  if (v.state === 'starting' || v.state === 'planned') return '…';
  const s = v.score === null ? '-' : v.score.toFixed(2);
  return v.state === 'unreachable' ? `${s}?` : s;
}

function subnetSegment(view: MarketView, s: SubnetView): string {
  const parts = [
    s.subnet,
    s.warmBlock === null
      ? 'warm-up: validator querying every miner'
      : s.firstWeightsBlock === null
        ? 'waiting for weights'
        : `epoch ${s.epochsDone}/${view.epochsTarget}`,
  ];
  const neurons = view.neurons.filter((n) => n.subnet === s.subnet);
  const v = neurons.find((n) => n.role === 'validator');
  if (v) parts.push(`validator ${v.state === 'up' ? `step ${v.step ?? '-'}` : v.state}`);
  parts.push(
    neurons
      .filter((n) => n.role === 'miner')
      .map((n) => `${n.name} ${score(n)}`)
      .join(' '),
  );
  return parts.join(' · ');
}

/** One line, cut to `width` columns: block, then per subnet its progress and each miner. */
export function formatProgressLine(view: MarketView, width = 120): string {
  const elapsed = ((Date.now() - view.startedAt) / 1000).toFixed(0);
  const head = [`${elapsed}s`, view.block === null ? 'block -' : `block ${view.block}`];
  if (view.phase !== 'running') {
    head.push(view.message);
  } else {
    for (const s of view.subnets) head.push(subnetSegment(view, s));
  }
  const line = head.join(' | ');
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}
