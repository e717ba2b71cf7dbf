import type { MinerKind } from './options.js';
import type { MinerRow, Outcome } from './report.js';

export type NeuronState =
  | 'planned'
  | 'starting'
  | 'up'
  | 'unreachable'
  | 'exited'
  | 'never started';

export interface NeuronView {
  name: string;
  kind: MinerKind | 'validator';
  uid: number | null;
  ip: string;
  axonPort: number;
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

/** Everything the progress line and the dashboard show. */
export interface MarketView {
  phase: 'starting' | 'setup' | 'running' | 'finishing' | 'done' | 'failed';
  message: string;
  dir: string;
  netuid: number;
  tempo: number;
  blockTimeMs: number;
  block: number | null;
  epoch: number | null;
  /** End block of the validator's first step that queried every miner (warm-up done). */
  warmBlock: number | null;
  /** Block of the validator's first weights after the warm-up: epochs are counted from it. */
  firstWeightsBlock: number | null;
  epochsDone: number;
  epochsTarget: number;
  startedAt: number;
  neurons: NeuronView[];
  rows: MinerRow[] | null;
  outcome: Outcome | null;
}

function score(v: NeuronView): string {
  if (v.state === 'never started') return 'dead';
  if (v.state === 'exited') return 'EXITED';
  if (v.state === 'starting' || v.state === 'planned') return '…';
  const s = v.score === null ? '-' : v.score.toFixed(2);
  return v.state === 'unreachable' ? `${s}?` : s;
}

/** One line, cut to `width` columns. */
export function formatProgressLine(view: MarketView, width = 120): string {
  const elapsed = ((Date.now() - view.startedAt) / 1000).toFixed(0);
  const head = [`${elapsed}s`, view.block === null ? 'block -' : `block ${view.block}`];
  if (view.phase !== 'running') {
    head.push(view.message);
  } else {
    head.push(
      view.warmBlock === null
        ? 'warm-up: validator querying every miner'
        : view.firstWeightsBlock === null
          ? 'waiting for weights'
          : `epoch ${view.epochsDone}/${view.epochsTarget}`,
    );
    const v = view.neurons.find((n) => n.kind === 'validator');
    if (v) head.push(`validator ${v.state === 'up' ? `step ${v.step ?? '-'}` : v.state}`);
    const miners = view.neurons
      .filter((n) => n.kind !== 'validator')
      .map((n) => `${n.name} ${score(n)}`)
      .join(' ');
    head.push(miners);
  }
  const line = head.join(' | ');
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}
