import type { SubtensorChain } from '@subnetkit/chain';
import type { MarketRoster } from '@subnetkit/neuron';
import type { Dashboard } from '../dashboard.js';
import type { DemoError } from '../errors.js';
import type { MarketOptions } from '../options.js';
import type { NeuronSlot, SubnetPlan } from '../plan.js';
import type { MinerRow } from '../report.js';
import type { NeuronStatus } from '../status.js';
import type { SupervisedChild, Supervisor } from '../supervisor.js';
import type { MarketView, NeuronView, SubnetView } from '../view.js';
import type { MarketConsole, MarketOut } from './console.js';

export interface MarketComponents {
  /** Console output (default `process.stdout`). */
  out?: MarketOut;
  /** Repo root (default: found from this file). */
  root?: string;
  /** The subnets to choose from (default: every `subnets/*` exporting `./market`). */
  rosters?: readonly MarketRoster[];
  /** The localnet CLI to run (default: `packages/localnet/src/cli.ts`). */
  localnetEntry?: string;
  /** Install SIGINT/SIGTERM/SIGHUP handlers that stop the market (the CLI does). */
  handleSignals?: boolean;
  /** Extra arguments for each neuron, after the market's and the roster's (tests). */
  neuronArgs?: (slot: NeuronSlot) => string[];
  /** How long children get between SIGTERM and SIGKILL when the market stops (default 5 s). */
  stopGraceMs?: number;
  /** Told the pid of every process started (tests check they are gone afterwards). */
  onChild?: (pid: number, name: string) => void;
}

/** One subnet's verdict. */
export interface SubnetResult {
  subnet: string;
  netuid: number;
  ok: boolean;
  reason: string;
  rows: MinerRow[];
}

export interface MarketResult {
  ok: boolean;
  /**
   * 0 success, 1 honest miners not on top (in some subnet) or a failure, 130 interrupted, 141
   * the console output closed (EPIPE).
   */
  exitCode: number;
  reason: string;
  /** Every subnet's rows. */
  rows: MinerRow[];
  subnets: SubnetResult[];
  /** The run's directory (removed unless kept). */
  dir: string;
  kept: boolean;
  error?: DemoError;
}

/** One neuron while the market runs. */
export interface Running {
  slot: NeuronSlot;
  view: NeuronView;
  child: SupervisedChild | null;
  hotkey: string;
  status: NeuronStatus | null;
}

/** One subnet while the market runs. */
export interface SubnetRun {
  plan: SubnetPlan;
  view: SubnetView;
  validator: Running;
  neurons: Running[];
  minerCount: number;
  lastEpochSeen: number;
  done: boolean;
}

/** One run of the market: what every step reads, and what `stopMarket` releases. */
export interface MarketRun extends MarketConsole {
  readonly options: MarketOptions;
  readonly components: MarketComponents;
  readonly root: string;
  readonly plans: readonly SubnetPlan[];
  /** The run's directory. */
  readonly dir: string;
  readonly view: MarketView;
  readonly supervisor: Supervisor;
  /** Aborts with the run's first failure: a crash, the timeout, a signal. */
  readonly signal: AbortSignal;
  /** Every neuron, once planned: a child that exits is looked up here. */
  readonly running: Running[];
  /** Opened by the steps as they go, released by `stopMarket`. */
  readonly held: { chain?: SubtensorChain; dashboard?: Dashboard; unsubscribe?: () => void };
  /** Cancels the run's timeout. */
  clearDeadline(): void;
  /** Removes the exit and signal handlers `openMarket` installed. */
  removeHandlers(): void;
}
