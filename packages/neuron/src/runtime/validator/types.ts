import type { Chain, SubnetHyperparameters } from '@subnetkit/chain';
import type { Dendrite, WireName } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import type { NeuronConfig } from '../../config/schema.js';
import type { ResolvedTaskKind } from '../../definitions.js';
import type { ArtifactStore } from '../../evidence/artifacts.js';
import type { EvidenceLog } from '../../evidence/log.js';
import type { ValidatorSecret } from '../../evidence/seeds.js';
import type { Lifecycle } from '../../lifecycle.js';
import type { PendingCommit, ValidatorState } from '../../state/validator-state.js';
import type { StatusSnapshot } from '../../status-server.js';
import type { AnyValidatorDefinition } from '../../types.js';
import type { StepOutcome } from '../../validator/step.js';
import type { SyncedNeuron } from '../startup.js';

/** What the last weight submission did. */
export interface WeightsRecord {
  block: number;
  uids: number;
  mode: 'set' | 'commit';
  method: 'set_weights' | 'timelocked' | 'commit_reveal_v2';
  /** For commit-reveal v2: the block the reveal was included in, once revealed. */
  revealedAt?: number;
}

/** Events a running validator reports (tests and dashboards). */
export interface ValidatorEvents {
  onStep?(step: { step: number; block: number; outcomes: StepOutcome[] }): void;
  onWeights?(record: WeightsRecord): void;
  onError?(error: unknown, component: string): void;
}

/** A started validator. */
export interface RunningValidator {
  readonly lifecycle: Lifecycle;
  readonly chain: Chain;
  readonly hotkey: Keypair;
  readonly uid: number;
  readonly stateDir: string;
  readonly statusPort: number | null;
  /** The current (last saved) state. */
  state(): ValidatorState;
  status(): StatusSnapshot;
  /** Resolves when the loop has ended (after `stop()` or a signal). */
  readonly done: Promise<void>;
  stop(reason?: string): ReturnType<Lifecycle['shutdown']>;
}

/** The last step's counts, for `/status`. */
export interface LastStep {
  step: number;
  block: number;
  queried: number;
  pass: number;
  fail: number;
  unverifiable: number;
}

/** The validator's state file, as loaded (`pending`: the commit-reveal v2 commits not revealed). */
export interface ValidatorStateFile {
  statePath: string;
  state: ValidatorState;
  pending: PendingCommit[];
}

/** What the validator keeps beside its state: the secret, evidence, artifacts and its dendrite. */
export interface ValidatorStores {
  secret: ValidatorSecret;
  evidence: EvidenceLog;
  artifacts: ArtifactStore | null;
  dendrite: Dendrite;
  /** `--neuron.miner_wires`: miners that speak another wire than `--neuron.wire`. */
  minerWires: ReadonlyMap<string, WireName>;
  /** Hotkeys already warned about for refusing our wire (warned once each). */
  wireWarned: Set<string>;
}

/** How the validator's weights are doing, for its log and `/status`. */
export interface WeightsHealth {
  /** The block the validator started at (the count of tempos without weights starts there). */
  sinceBlock: number;
  /** The current blocker's message (a missing permit, stake under the threshold), or null. */
  blocker: string | null;
  /** The last persistent refusal by the chain (`NeuronNoValidatorPermit` …) and its block. */
  refusal: { name: string; block: number; message: string } | null;
  /** No new submission before this block after a persistent refusal. */
  backoffUntil: number;
  /** Whole tempos since weights last landed (or since the start). */
  temposWithout: number;
  /** The count last warned about (warned once per tempo past `--neuron.weights_warn_tempos`). */
  warnedAt: number;
}

/** How a weights submission ended (`subnetkit_weights_submissions_total{outcome}`). */
export type WeightsOutcome = 'set' | 'committed' | 'refused' | 'failed';

/** Upper bounds (seconds) of the step-duration histogram's buckets. */
export const STEP_SECONDS_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** What the validator counts for `/metrics` and `/healthz` (since start). */
export interface ValidatorTelemetry {
  /** Steps that ran to the end (state saved). */
  steps: number;
  /** Steps that threw (reported in `recentErrors`). */
  stepFailures: number;
  /** Each finished step's duration: sync, queries, scoring and the save (not the weights). */
  stepSeconds: { count: number; sum: number; buckets: number[] };
  /** `now()` at the end of the last finished step, or null before the first. */
  lastStepAt: number | null;
  /** Submissions by outcome: `set_weights`, a commit (timelocked or v2), refused by the chain, failed. */
  weights: Record<WeightsOutcome, number>;
  /** `now()` when weights last landed (set or committed) in this run, or null. */
  lastWeightsAt: number | null;
}

/** A validator's running state: the shared neuron, its state file, stores and last results. */
export interface ValidatorNode<C extends NeuronConfig = NeuronConfig>
  extends SyncedNeuron<C>,
    ValidatorStateFile,
    ValidatorStores {
  readonly definition: AnyValidatorDefinition<C>;
  readonly kinds: ResolvedTaskKind<C>[];
  readonly stateDir: string;
  readonly events: ValidatorEvents;
  hyper: SubnetHyperparameters;
  lastWeights: WeightsRecord | null;
  lastStep: LastStep | null;
  weightsMethod: string | null;
  /** Why weights cannot land now, as last said (said again only when it changes). */
  weightsHealth: WeightsHealth;
  /** Counters and times for `/metrics` and `/healthz`. */
  readonly telemetry: ValidatorTelemetry;
  /** The save in progress: saves are serialised (the step loop and the reveal watcher both persist). */
  saving: Promise<unknown>;
}
