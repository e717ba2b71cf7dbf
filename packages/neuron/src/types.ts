/**
 * The seams between a subnet and the runtime: what a subnet writes (`MinerDefinition`,
 * `ValidatorDefinition`) and what the runtime hands it. Written against the transport, chain
 * and scoring APIs; `runMiner`/`runValidator` (not built yet) consume these.
 */
import type { Chain, Metagraph } from '@subnetkit/chain';
import type { Verdict } from '@subnetkit/scoring';
import type {
  AnySynapse,
  BlacklistVerdict,
  HandlerContext,
  InputInitOf,
  InputOf,
  QueryResult,
  RequestInfo,
  SynapseHandlers,
} from '@subnetkit/transport';
import type { Logger } from 'pino';
import type { NeuronConfig } from './config/schema.js';
import type { SeededRandom, TaskSeed } from './evidence/seeds.js';
import type { CallerView } from './miner/policy.js';

/** What the runtime shares with every subnet callback. */
export interface NeuronContext<C = NeuronConfig> {
  readonly config: C;
  readonly logger: Logger;
  /** Aborted when the neuron shuts down. */
  readonly signal: AbortSignal;
  readonly chain: Chain;
  readonly netuid: number;
  /** Our uid (null until registered). */
  readonly uid: number | null;
  /** Our hotkey (SS58). */
  readonly hotkey: string;
  /** The latest synced metagraph. */
  metagraph(): Metagraph;
}

/**
 * Where a miner's answers come from: the offline default, or an HTTP client for a model or API.
 * `start` runs before the axon serves; `close` on shutdown (after in-flight requests).
 */
export interface MinerBackend {
  readonly name: string;
  start?(context: { logger: Logger; signal: AbortSignal }): Promise<void>;
  close?(): Promise<void>;
}

/** What a miner's `forward` returns for synapse `S` (chunks for streaming synapses). */
export type MinerForwardResult<S extends AnySynapse> = Awaited<
  ReturnType<SynapseHandlers<S>['forward']>
>;

/** `forward`'s second argument: the transport's handler context plus the runtime's view. */
export interface MinerForwardContext<B extends MinerBackend, C = NeuronConfig>
  extends HandlerContext {
  backend: B;
  /** The verified caller as the metagraph knows it. */
  caller: CallerView;
  neuron: NeuronContext<C>;
}

/** `blacklist`/`priority` see the caller before the body is read. */
export interface MinerPolicyContext<C = NeuronConfig> {
  caller: CallerView;
  neuron: NeuronContext<C>;
  /** The default rule's answer (`--blacklist.*`), to extend rather than replace. */
  defaultBlacklist(): { blacklisted: boolean; reason: string };
}

/** What a subnet's miner declares. */
export interface MinerDefinition<
  S extends AnySynapse,
  B extends MinerBackend = MinerBackend,
  C = NeuronConfig,
> {
  protocol: S;
  backend: B;
  forward(
    input: InputOf<S>,
    context: MinerForwardContext<B, C>,
  ): MinerForwardResult<S> | Promise<MinerForwardResult<S>>;
  /** Replaces the default (`defaultBlacklist` with `--blacklist.*`); true → 403. */
  blacklist?(
    info: RequestInfo,
    context: MinerPolicyContext<C>,
  ): BlacklistVerdict | Promise<BlacklistVerdict>;
  /** Replaces the default (caller stake); higher runs first when requests queue. */
  priority?(
    input: InputOf<S>,
    info: RequestInfo,
    context: MinerPolicyContext<C>,
  ): number | Promise<number>;
}

/** One task for one miner (or several, in `shared` mode). */
export interface ValidatorTask<S extends AnySynapse, P = unknown> {
  /** What is sent. */
  input: InputInitOf<S>;
  /** What `score` needs and the miner must not see (the expected answer …). */
  private?: P;
  /** Seconds the miner has (default `--neuron.timeout`). */
  timeoutS?: number;
}

/** `createTask`'s context: the seed's own random stream and who the task is for. */
export interface TaskContext<C = NeuronConfig> {
  /** Deterministic randomness from the seed: the task can be rebuilt from the revealed seed. */
  random: SeededRandom;
  step: number;
  /** The miner's hotkey (`null` for a shared task). */
  hotkey: string | null;
  neuron: NeuronContext<C>;
}

/** `score`'s context. */
export interface ScoreContext<C = NeuronConfig> {
  seed: TaskSeed;
  uid: number;
  hotkey: string;
  step: number;
  neuron: NeuronContext<C>;
}

/**
 * What a subnet's validator declares. By default every miner gets its own task from its own
 * seed (`taskMode: 'per-miner'`), so answers cannot be shared, cached or replayed; a subnet
 * that must send one task to several miners sets `taskMode: 'shared'` (then `uid` is `null`).
 * `score` must return `unverifiable` — never a low score — when the validator itself could not
 * check an answer.
 */
export interface ValidatorDefinition<
  S extends AnySynapse,
  P = unknown,
  E = unknown,
  C = NeuronConfig,
> {
  protocol: S;
  taskMode?: 'per-miner' | 'shared';
  createTask(
    seed: TaskSeed,
    uid: number | null,
    context: TaskContext<C>,
  ): ValidatorTask<S, P> | Promise<ValidatorTask<S, P>>;
  score(
    task: ValidatorTask<S, P>,
    response: QueryResult<S>,
    context: ScoreContext<C>,
  ): Verdict<E> | Promise<Verdict<E>>;
}
