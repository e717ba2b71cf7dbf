/**
 * The seams between a subnet and the runtime: what a subnet writes (`MinerDefinition`,
 * `ValidatorDefinition`) and what the runtime hands it. Written against the transport, chain
 * and scoring APIs; `runMiner`/`runValidator` (not built yet) consume these.
 */
import type { Chain, Metagraph } from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
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

/**
 * One synapse a miner serves: its protocol and its handler, with optional blacklist/priority
 * rules for this synapse only. A subnet with several synapses lists one per protocol
 * ({@link MinerSetDefinition}); `minerSynapse` keeps each entry's types.
 */
export interface MinerSynapse<
  S extends AnySynapse,
  B extends MinerBackend = MinerBackend,
  C = NeuronConfig,
> {
  protocol: S;
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

/** What a one-synapse miner declares: the synapse, its handler and the backend. */
export interface MinerDefinition<
  S extends AnySynapse,
  B extends MinerBackend = MinerBackend,
  C = NeuronConfig,
> extends MinerSynapse<S, B, C> {
  backend: B;
}

/**
 * What a miner with several synapses declares: one backend and one entry per synapse (route).
 * Each entry is typed by its own protocol; build them with `minerSynapse(...)`.
 */
export interface MinerSetDefinition<B extends MinerBackend = MinerBackend, C = NeuronConfig> {
  backend: B;
  // biome-ignore lint/suspicious/noExplicitAny: a list of synapses of different types.
  synapses: readonly MinerSynapse<any, B, C>[];
}

/** Either form of a miner definition. */
export type AnyMinerDefinition<B extends MinerBackend = MinerBackend, C = NeuronConfig> =
  | MinerDefinition<AnySynapse, B, C>
  | MinerSetDefinition<B, C>;

/** One task for one miner (or several, in `shared` mode). */
export interface ValidatorTask<S extends AnySynapse, P = unknown> extends StreamLimits {
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

/** How a streamed answer arrived, measured on the validator's clock. */
export interface StreamObservation {
  /**
   * `complete`, or why the stream ended early: each is a miner failure except `cancelled`
   * (the validator itself stopped, e.g. on shutdown).
   */
  end: 'complete' | 'cut' | 'stalled' | 'oversized' | 'timeout' | 'refused' | 'cancelled';
  /** Why it ended that way, in words (null when complete). */
  reason: string | null;
  /** The chunks as received (strings, or bytes for a byte stream). */
  chunks: Array<string | Uint8Array>;
  /** The chunks joined, when they are text. */
  text: string;
  /** Bytes received, including a chunk that crossed the cap (which is not in `chunks`). */
  bytes: number;
  /** From sending the request to the first chunk (null: no chunk). */
  timeToFirstChunkMs: number | null;
  /** From sending the request to the end of the stream. */
  totalMs: number;
  /** Chunks per second after the first one (null with fewer than two chunks). */
  chunksPerSecond: number | null;
  /** The longest wait between two chunks (or before the first). */
  longestGapMs: number;
}

/** How a streamed answer arrived, as kept in step outcomes and evidence (no chunk bodies). */
export type StreamSummary = Omit<StreamObservation, 'chunks' | 'text'> & { chunks: number };

/** A file kept in the artifact store (see `ArtifactStore`), as referenced from evidence. */
export interface ArtifactRef {
  /** Hex SHA-256 of the bytes: the artifact's address. */
  sha256: string;
  mediaType: string;
  bytes: number;
  /** What the bytes are to the verdict (`answer`, `stream`, `reference` …). */
  role: string;
}

/** `score`'s context. */
export interface ScoreContext<C = NeuronConfig> {
  seed: TaskSeed;
  uid: number;
  hotkey: string;
  step: number;
  neuron: NeuronContext<C>;
  /**
   * Milliseconds from sending the query to its answer (or stream end), on the validator's own
   * clock: what a latency term should use, never a time the miner reports.
   */
  latencyMs: number;
  /** The query's timeout, seconds (the task's, else `--neuron.timeout`): a latency term's scale. */
  timeoutS: number;
  /** For a streaming synapse: how the stream arrived (the answer is `stream.chunks`). */
  stream?: StreamObservation;
  /**
   * Keeps the bytes this verdict is about (an image, a clip, returned records) in the artifact
   * store and references them from the evidence line. Resolves to `null` when the validator
   * keeps no artifacts.
   */
  keep(
    bytes: Uint8Array | string,
    meta: { mediaType: string; role?: string },
  ): Promise<ArtifactRef | null>;
}

/** Stream limits a task may set (defaults: the task kind's, then the runtime's). */
export interface StreamLimits {
  /** Largest stream accepted, bytes; more is cut and fails as `oversized`. */
  maxStreamBytes?: number;
  /** Longest wait for the next chunk, seconds; longer fails as `stalled`. */
  stallTimeoutS?: number;
}

/**
 * One kind of task a validator sends: the synapse it goes over, how a task is made from a
 * seed, and how an answer is scored. By default every miner gets its own task from its own
 * seed (`taskMode: 'per-miner'`), so answers cannot be shared, cached or replayed; a kind that
 * must send one task to several miners sets `taskMode: 'shared'` (then `uid` is `null`).
 * `score` must return `unverifiable` — never a low score — when the validator itself could not
 * check an answer.
 */
export interface ValidatorTaskKind<S extends AnySynapse, P = unknown, E = unknown, C = NeuronConfig>
  extends StreamLimits {
  /** The kind's name in evidence and `/status` (default: the protocol's name). */
  name?: string;
  protocol: S;
  /** Relative share of this kind among the tasks (default 1). */
  weight?: number;
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

/** What a one-synapse validator declares (one task kind). */
export interface ValidatorDefinition<
  S extends AnySynapse,
  P = unknown,
  E = unknown,
  C = NeuronConfig,
> extends ValidatorTaskKind<S, P, E, C> {}

/**
 * What a validator with several task kinds declares. Each step, each queried miner gets one
 * kind, drawn by weight from the miner's own seed (so it cannot be predicted, and the draw can
 * be checked from the revealed seed). Build entries with `validatorTaskKind(...)`.
 */
export interface ValidatorSetDefinition<C = NeuronConfig> {
  // biome-ignore lint/suspicious/noExplicitAny: a list of task kinds of different types.
  tasks: readonly ValidatorTaskKind<any, any, any, C>[];
}

/** Either form of a validator definition. */
export type AnyValidatorDefinition<C = NeuronConfig> =
  | ValidatorDefinition<AnySynapse, unknown, unknown, C>
  | ValidatorSetDefinition<C>;
