import { fail, unverifiable, type Verdict } from '@subnetkit/scoring';
import type { AnySynapse, AxonTarget, Dendrite, QueryResult, WireName } from '@subnetkit/transport';
import { pickTaskKind, type ResolvedTaskKind, taskKindsOf } from '../definitions.js';
import type { ArtifactStore } from '../evidence/artifacts.js';
import { digestAnswer } from '../evidence/digest.js';
import type { EvidenceLog, ScoreRecordInput } from '../evidence/log.js';
import { nextSeed, seededRandom, type TaskSeed } from '../evidence/seeds.js';
import {
  recordVerdicts,
  resyncHotkeys,
  type ScoreChange,
  type ValidatorState,
  type VerdictEntry,
} from '../state/validator-state.js';
import type {
  AnyValidatorDefinition,
  ArtifactRef,
  NeuronContext,
  StreamObservation,
  StreamSummary,
  ValidatorTask,
} from '../types.js';
import { type Selection, type SelectionView, selectMiners } from './selection.js';
import { DEFAULT_MAX_STREAM_BYTES, DEFAULT_STALL_TIMEOUT_S, readStream } from './stream.js';

export interface ValidatorStepOptions<C> {
  /** A one-synapse `ValidatorDefinition` or a `ValidatorSetDefinition` of task kinds. */
  definition: AnyValidatorDefinition<C>;
  state: ValidatorState;
  /** The validator secret (`loadOrCreateSecret`). */
  secret: Uint8Array;
  /** The synced metagraph (or any view with hotkeys and axons). */
  metagraph: SelectionView;
  neuron: NeuronContext<C>;
  /** `--neuron.sample_size`. */
  sampleSize: number;
  /** `--neuron.timeout`, seconds, unless the task says otherwise. */
  timeoutS: number;
  /** Our uid (never queried). */
  selfUid: number | null;
  /** rao; validators with a permit above it are not queried (`--neuron.vpermit_tao_limit`). */
  validatorStakeLimit?: bigint;
  /** Miners speaking another wire than the dendrite's default (`--neuron.miner_wires`), by hotkey. */
  minerWires?: ReadonlyMap<string, WireName>;
}

export interface ValidatorStepComponents {
  dendrite: Pick<Dendrite, 'call' | 'stream'>;
  evidence?: EvidenceLog;
  /** Where the bytes a verdict was about are kept (`ScoreContext.keep`, streamed answers). */
  artifacts?: ArtifactStore;
  now?: () => number;
  /** For selection (default a CSPRNG). */
  random?: () => number;
}

/** What happened to one queried miner. */
export interface StepOutcome {
  uid: number;
  hotkey: string;
  taskId: string;
  /** The task kind, the synapse and the wire it went over. */
  taskKind: string;
  synapse: string;
  wire: WireName;
  verdict: Verdict;
  change: ScoreChange;
  statusCode: number;
  latencyMs: number;
  stream: StreamSummary | null;
  artifacts: ArtifactRef[];
}

/** A failure of the validator's own code (never charged to a miner). */
export interface StepError {
  uid: number | null;
  stage: 'createTask' | 'score' | 'evidence';
  error: unknown;
}

export interface ValidatorStepResult {
  /** The new state (step + 1, scores, cycle, seed counter); save it. */
  state: ValidatorState;
  selection: Selection;
  outcomes: StepOutcome[];
  /** Uids reset because their hotkey changed. */
  resets: number[];
  errors: StepError[];
}

function validVerdict(v: unknown): v is Verdict {
  if (typeof v !== 'object' || v === null) return false;
  const x = v as Verdict;
  if (x.status === 'unverifiable') return x.score === null;
  return (
    (x.status === 'pass' || x.status === 'fail') &&
    typeof x.score === 'number' &&
    x.score >= 0 &&
    x.score <= 1 &&
    typeof x.components === 'object' &&
    Array.isArray(x.reasons)
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Planned<C> {
  uid: number;
  hotkey: string;
  seed: TaskSeed;
  /** The miner's own seed that drew a shared kind (the task came from another seed). */
  kindSeed?: TaskSeed;
  kind: ResolvedTaskKind<C>;
  task: ValidatorTask<AnySynapse>;
}

interface Answered<C> extends Planned<C> {
  response: QueryResult<AnySynapse>;
  stream: StreamObservation | null;
  latencyMs: number;
  timeoutS: number;
}

interface Judged<C> extends Answered<C> {
  verdict: Verdict;
  artifacts: ArtifactRef[];
}

/** What the step's parts share. */
interface StepRun<C> {
  options: ValidatorStepOptions<C>;
  components: ValidatorStepComponents;
  kinds: ResolvedTaskKind<C>[];
  now: () => number;
  errors: StepError[];
  state: ValidatorState;
  step: number;
}

/** Hotkeys that changed since the last step: their scores reset, and the reset is logged. */
async function resync<C>(run: StepRun<C>): Promise<number[]> {
  const { options, components } = run;
  const result = resyncHotkeys(run.state, options.metagraph.hotkeys);
  run.state = result.state;
  for (const uid of result.changed) {
    await components.evidence
      ?.appendReset({
        step: run.step,
        uid,
        previousHotkey: options.state.scores.hotkeys[uid] ?? null,
        hotkey: options.metagraph.hotkeys[uid] ?? null,
      })
      .catch((error) => run.errors.push({ uid, stage: 'evidence', error }));
  }
  return result.changed;
}

/** Round-robin selection of the miners to query this step. */
function select<C>(run: StepRun<C>): Selection {
  const { options, components } = run;
  const selectOptions: Parameters<typeof selectMiners>[1] = {
    sampleSize: options.sampleSize,
    called: run.state.cycle,
    selfUid: options.selfUid,
  };
  if (options.validatorStakeLimit !== undefined) {
    selectOptions.validatorStakeLimit = options.validatorStakeLimit;
  }
  if (components.random) selectOptions.random = components.random;
  const selection = selectMiners(options.metagraph, selectOptions);
  run.state = { ...run.state, cycle: selection.called };
  return selection;
}

async function makeTask<C>(
  run: StepRun<C>,
  kind: ResolvedTaskKind<C>,
  seed: TaskSeed,
  uid: number | null,
  hotkey: string | null,
): Promise<ValidatorTask<AnySynapse> | undefined> {
  try {
    return await kind.createTask(seed, uid, {
      random: seededRandom(seed.seed),
      step: run.step,
      hotkey,
      neuron: run.options.neuron,
    });
  } catch (error) {
    run.errors.push({ uid, stage: 'createTask', error });
    return undefined;
  }
}

/**
 * A seed per miner, and from it the miner's task kind and task. Miners drawn for a `shared`
 * kind get one task from one shared seed.
 */
async function plan<C>(run: StepRun<C>, uids: readonly number[]): Promise<Planned<C>[]> {
  const { options } = run;
  const planned: Planned<C>[] = [];
  const shared = new Map<ResolvedTaskKind<C>, Array<{ uid: number; kindSeed?: TaskSeed }>>();
  const join = (kind: ResolvedTaskKind<C>, member: { uid: number; kindSeed?: TaskSeed }) => {
    const group = shared.get(kind);
    if (group) group.push(member);
    else shared.set(kind, [member]);
  };
  // One shared kind only: no per-miner seed is drawn (the seed counter moves once per step).
  const onlyShared = run.kinds.length === 1 && run.kinds[0]!.taskMode === 'shared';
  for (const uid of uids) {
    const hotkey = options.metagraph.hotkeys[uid]!;
    if (onlyShared) {
      join(run.kinds[0]!, { uid });
      continue;
    }
    const next = nextSeed(run.state, options.secret, uid);
    run.state = next.state;
    const kind = pickTaskKind(run.kinds, next.seed);
    if (kind.taskMode === 'shared') {
      join(kind, { uid, kindSeed: next.seed });
      continue;
    }
    const task = await makeTask(run, kind, next.seed, uid, hotkey);
    if (task) planned.push({ uid, hotkey, seed: next.seed, kind, task });
  }
  for (const [kind, group] of shared) {
    const next = nextSeed(run.state, options.secret, null);
    run.state = next.state;
    const task = await makeTask(run, kind, next.seed, null, null);
    if (!task) continue;
    for (const { uid, kindSeed } of group) {
      const hotkey = options.metagraph.hotkeys[uid]!;
      planned.push({ uid, hotkey, seed: next.seed, kind, task, ...(kindSeed ? { kindSeed } : {}) });
    }
  }
  return planned;
}

/** Queries every planned miner concurrently; streams are read on the validator's clock. */
function query<C>(run: StepRun<C>, planned: readonly Planned<C>[]): Promise<Answered<C>[]> {
  const { options, components, now } = run;
  return Promise.all(
    planned.map(async (p): Promise<Answered<C>> => {
      const axon = options.metagraph.axons[p.uid]!;
      const target: AxonTarget = { ip: axon.ip, port: axon.port, hotkey: p.hotkey };
      const wire = options.minerWires?.get(p.hotkey);
      if (wire) target.wire = wire;
      const timeoutS = p.task.timeoutS ?? options.timeoutS;
      const started = now();
      if (p.kind.protocol.streaming) {
        const read = await readStream(components.dendrite, target, p.kind.protocol, p.task.input, {
          timeoutS,
          maxStreamBytes:
            p.task.maxStreamBytes ?? p.kind.maxStreamBytes ?? DEFAULT_MAX_STREAM_BYTES,
          stallTimeoutS: p.task.stallTimeoutS ?? p.kind.stallTimeoutS ?? DEFAULT_STALL_TIMEOUT_S,
          signal: options.neuron.signal,
        });
        return { ...p, ...read, stream: read.observation, latencyMs: now() - started, timeoutS };
      }
      const response = await components.dendrite.call(target, p.kind.protocol, p.task.input, {
        timeout: timeoutS,
        signal: options.neuron.signal,
      });
      return { ...p, response, stream: null, latencyMs: now() - started, timeoutS };
    }),
  );
}

/** Why an answer is a miner failure before any scoring, or null when it can be scored. */
function transportVerdict<C>(run: StepRun<C>, a: Answered<C>): Verdict | null {
  if (run.options.neuron.signal.aborted) return unverifiable('query cancelled by the validator');
  const d = a.response.dendrite;
  if (a.stream?.end === 'cancelled') return unverifiable('query cancelled by the validator');
  // a stream the validator stopped (stalled, oversized) or that ended early is the miner's
  if (a.stream && a.stream.end !== 'complete') {
    return fail(`stream ${a.stream.end}: ${a.stream.reason ?? ''}`.trim(), {
      evidence: { statusCode: d.status_code, stream: streamSummary(a.stream) },
    });
  }
  if (a.response.error === 'CANCELLED') return unverifiable('query cancelled by the validator');
  if (!a.response.ok) {
    return fail(`no valid answer: ${d.status_code} ${d.status_message}`.trim(), {
      evidence: { statusCode: d.status_code, error: a.response.error ?? null },
    });
  }
  return null;
}

/**
 * Turns each answer into a verdict; the validator's own failures are `unverifiable`. Answers
 * are scored concurrently (a `score` that hands its checks to a worker pool checks many miners
 * on every core); the verdicts keep the answers' order.
 */
function judge<C>(run: StepRun<C>, answered: readonly Answered<C>[]): Promise<Judged<C>[]> {
  return Promise.all(answered.map((a) => judgeOne(run, a)));
}

async function judgeOne<C>(run: StepRun<C>, a: Answered<C>): Promise<Judged<C>> {
  const { options, components } = run;
  const artifacts: ArtifactRef[] = [];
  const keep = async (bytes: Uint8Array | string, meta: { mediaType: string; role?: string }) => {
    if (!components.artifacts) return null;
    try {
      const ref = await components.artifacts.put(bytes, meta);
      artifacts.push(ref);
      return ref;
    } catch (error) {
      run.errors.push({ uid: a.uid, stage: 'evidence', error });
      return null;
    }
  };
  if (a.stream && a.stream.bytes > 0) {
    const body = a.stream.text || Buffer.concat(a.stream.chunks as Uint8Array[]);
    const mediaType = a.stream.text ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    await keep(body, { mediaType, role: 'stream' });
  }
  let verdict = transportVerdict(run, a);
  if (verdict === null) {
    try {
      const v = await a.kind.score(a.task, a.response, {
        seed: a.seed,
        uid: a.uid,
        hotkey: a.hotkey,
        step: run.step,
        neuron: options.neuron,
        latencyMs: a.latencyMs,
        timeoutS: a.timeoutS,
        ...(a.stream ? { stream: a.stream } : {}),
        keep,
      });
      if (validVerdict(v)) {
        verdict = v;
      } else {
        run.errors.push({
          uid: a.uid,
          stage: 'score',
          error: new Error(`score() of task kind "${a.kind.name}" returned an invalid verdict`),
        });
        verdict = unverifiable('validator error: score() returned an invalid verdict');
      }
    } catch (error) {
      run.errors.push({ uid: a.uid, stage: 'score', error });
      verdict = unverifiable(`validator error in score(): ${errorText(error)}`);
    }
  }
  return { ...a, verdict, artifacts };
}

function streamSummary(s: StreamObservation): StreamSummary {
  const { chunks, text: _text, ...rest } = s;
  return { ...rest, chunks: chunks.length };
}

function answerDigestOf(a: Judged<unknown>): string | null {
  if (a.stream) return a.stream.bytes > 0 ? digestAnswer(a.stream.text || a.stream.chunks) : null;
  return a.response.ok ? digestAnswer(a.response.output) : null;
}

/** Evidence, written after every task of the step closed, so seeds are revealed late. */
async function writeEvidence<C>(
  run: StepRun<C>,
  judged: readonly Judged<C>[],
  changes: readonly ScoreChange[],
  closedAt: number,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const [i, a] of judged.entries()) {
    const change = changes[i]!;
    const statusCode = a.response.dendrite.status_code;
    const stream = a.stream ? streamSummary(a.stream) : null;
    outcomes.push({
      uid: a.uid,
      hotkey: a.hotkey,
      taskId: a.seed.taskId,
      taskKind: a.kind.name,
      synapse: a.kind.protocol.name,
      wire: a.response.wire,
      verdict: a.verdict,
      change,
      statusCode,
      latencyMs: a.latencyMs,
      stream,
      artifacts: a.artifacts,
    });
    const evidence = run.components.evidence;
    if (!evidence) continue;
    const record: ScoreRecordInput = {
      step: run.step,
      uid: a.uid,
      hotkey: a.hotkey,
      taskId: a.seed.taskId,
      taskKind: a.kind.name,
      synapse: a.kind.protocol.name,
      wire: a.response.wire,
      seed: a.seed.seed,
      commitment: a.seed.commitment,
      answerDigest: answerDigestOf(a),
      statusCode,
      latencyMs: a.latencyMs,
      verdict: {
        status: a.verdict.status,
        score: a.verdict.score,
        components: a.verdict.components,
        reasons: a.verdict.reasons,
        evidence: a.verdict.evidence,
      },
      alpha: change.alpha,
      sample: change.sample,
      before: change.before,
      after: change.after,
      samplesBefore: change.samplesBefore,
      deadline: closedAt,
    };
    if (a.kindSeed) record.kindSeed = a.kindSeed.seed;
    if (stream) record.stream = stream;
    if (a.artifacts.length > 0) record.artifacts = a.artifacts;
    await evidence.appendScore(record).catch((error) => {
      run.errors.push({ uid: a.uid, stage: 'evidence', error });
    });
  }
  return outcomes;
}

/**
 * One validator step without the chain: resync hotkeys, pick miners (round-robin), derive a
 * seed per miner and from it a task kind and a task (or one shared task), query them
 * concurrently (streams read on the validator's clock), turn each answer into a verdict, fold
 * the verdicts into the EMA scores and write the evidence (with any kept artifacts).
 *
 * A miner that does not answer, answers garbage, times out, or streams too slowly, too much or
 * not to the end gets `fail`; the validator's own failures — `createTask` or `score` throwing,
 * an invalid verdict, a query cancelled by our shutdown — are `unverifiable` (or skip the
 * miner) and never lower a score.
 */
export async function runValidatorStep<C>(
  options: ValidatorStepOptions<C>,
  components: ValidatorStepComponents,
): Promise<ValidatorStepResult> {
  const run: StepRun<C> = {
    options,
    components,
    kinds: taskKindsOf(options.definition),
    now: components.now ?? Date.now,
    errors: [],
    state: options.state,
    step: options.state.step,
  };
  const resets = await resync(run);
  const selection = select(run);
  const planned = await plan(run, selection.uids);
  const answered = await query(run, planned);
  const closedAt = run.now();
  const judged = await judge(run, answered);
  const entries: VerdictEntry[] = judged.map((a) => ({ uid: a.uid, verdict: a.verdict }));
  const recorded = recordVerdicts(run.state, entries, { step: run.step, now: run.now() });
  run.state = { ...recorded.state, step: run.step + 1 };
  const outcomes = await writeEvidence(run, judged, recorded.changes, closedAt);
  return { state: run.state, selection, outcomes, resets, errors: run.errors };
}
