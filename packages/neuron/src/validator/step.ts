import { fail, unverifiable, type Verdict } from '@subnetkit/scoring';
import type { AnySynapse, Dendrite, QueryResult } from '@subnetkit/transport';
import { digestAnswer } from '../evidence/digest.js';
import type { EvidenceLog } from '../evidence/log.js';
import { nextSeed, seededRandom, type TaskSeed } from '../evidence/seeds.js';
import {
  recordVerdicts,
  resyncHotkeys,
  type ScoreChange,
  type ValidatorState,
  type VerdictEntry,
} from '../state/validator-state.js';
import type { NeuronContext, ValidatorDefinition, ValidatorTask } from '../types.js';
import { type Selection, type SelectionView, selectMiners } from './selection.js';

export interface ValidatorStepOptions<S extends AnySynapse, P, E, C> {
  definition: ValidatorDefinition<S, P, E, C>;
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
}

export interface ValidatorStepComponents {
  dendrite: Pick<Dendrite, 'call'>;
  evidence?: EvidenceLog;
  now?: () => number;
  /** For selection (default a CSPRNG). */
  random?: () => number;
}

/** What happened to one queried miner. */
export interface StepOutcome {
  uid: number;
  hotkey: string;
  taskId: string;
  verdict: Verdict;
  change: ScoreChange;
  statusCode: number;
  latencyMs: number;
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

interface Planned<S extends AnySynapse, P> {
  uid: number;
  hotkey: string;
  seed: TaskSeed;
  task: ValidatorTask<S, P>;
}

/**
 * One validator step without the chain: resync hotkeys, pick miners (round-robin), derive a
 * seed and a task per miner (or one shared task), query them concurrently, turn each answer
 * into a verdict, fold the verdicts into the EMA scores and write the evidence.
 *
 * A miner that does not answer, answers garbage, or times out gets `fail`; the validator's own
 * failures — `createTask` or `score` throwing, an invalid verdict, a query cancelled by our
 * shutdown — are `unverifiable` (or skip the miner) and never lower a score.
 */
export async function runValidatorStep<S extends AnySynapse, P, E, C>(
  options: ValidatorStepOptions<S, P, E, C>,
  components: ValidatorStepComponents,
): Promise<ValidatorStepResult> {
  const { definition, neuron, metagraph } = options;
  const now = components.now ?? Date.now;
  const errors: StepError[] = [];

  const resync = resyncHotkeys(options.state, metagraph.hotkeys);
  let state = resync.state;
  const step = state.step;
  for (const uid of resync.changed) {
    await components.evidence
      ?.appendReset({
        step,
        uid,
        previousHotkey: options.state.scores.hotkeys[uid] ?? null,
        hotkey: metagraph.hotkeys[uid] ?? null,
      })
      .catch((error) => errors.push({ uid, stage: 'evidence', error }));
  }

  const selectOptions: Parameters<typeof selectMiners>[1] = {
    sampleSize: options.sampleSize,
    called: state.cycle,
    selfUid: options.selfUid,
  };
  if (options.validatorStakeLimit !== undefined) {
    selectOptions.validatorStakeLimit = options.validatorStakeLimit;
  }
  if (components.random) selectOptions.random = components.random;
  const selection = selectMiners(metagraph, selectOptions);
  state = { ...state, cycle: selection.called };

  // Seeds and tasks.
  const planned: Planned<S, P>[] = [];
  const makeTask = async (seed: TaskSeed, uid: number | null, hotkey: string | null) => {
    try {
      return await definition.createTask(seed, uid, {
        random: seededRandom(seed.seed),
        step,
        hotkey,
        neuron,
      });
    } catch (error) {
      errors.push({ uid, stage: 'createTask', error });
      return undefined;
    }
  };
  if (definition.taskMode === 'shared') {
    if (selection.uids.length > 0) {
      const next = nextSeed(state, options.secret, null);
      state = next.state;
      const task = await makeTask(next.seed, null, null);
      if (task) {
        for (const uid of selection.uids) {
          planned.push({ uid, hotkey: metagraph.hotkeys[uid]!, seed: next.seed, task });
        }
      }
    }
  } else {
    for (const uid of selection.uids) {
      const next = nextSeed(state, options.secret, uid);
      state = next.state;
      const hotkey = metagraph.hotkeys[uid]!;
      const task = await makeTask(next.seed, uid, hotkey);
      if (task) planned.push({ uid, hotkey, seed: next.seed, task });
    }
  }

  // Queries, concurrently; each call is bounded by its own timeout.
  const answered = await Promise.all(
    planned.map(async (p) => {
      const axon = metagraph.axons[p.uid]!;
      const started = now();
      const response = (await components.dendrite.call(
        { ip: axon.ip, port: axon.port, hotkey: p.hotkey },
        definition.protocol,
        p.task.input,
        { timeout: p.task.timeoutS ?? options.timeoutS, signal: neuron.signal },
      )) as QueryResult<S>;
      return { ...p, response, started, finished: now() };
    }),
  );

  // Every task of this step is closed (answered, failed or timed out) from here on.
  const closedAt = now();

  // Verdicts.
  const entries: VerdictEntry[] = [];
  const verdicts: Verdict[] = [];
  for (const a of answered) {
    let verdict: Verdict;
    if (!a.response.ok) {
      const d = a.response.dendrite;
      verdict =
        a.response.error === 'CANCELLED' || neuron.signal.aborted
          ? unverifiable('query cancelled by the validator')
          : fail(`no valid answer: ${d.status_code} ${d.status_message}`.trim(), {
              evidence: { statusCode: d.status_code, error: a.response.error ?? null },
            });
    } else {
      try {
        const v = await definition.score(a.task, a.response, {
          seed: a.seed,
          uid: a.uid,
          hotkey: a.hotkey,
          step,
          neuron,
        });
        if (validVerdict(v)) {
          verdict = v;
        } else {
          errors.push({
            uid: a.uid,
            stage: 'score',
            error: new Error('score() returned an invalid verdict'),
          });
          verdict = unverifiable('validator error: score() returned an invalid verdict');
        }
      } catch (error) {
        errors.push({ uid: a.uid, stage: 'score', error });
        verdict = unverifiable(`validator error in score(): ${errorText(error)}`);
      }
    }
    verdicts.push(verdict);
    entries.push({ uid: a.uid, verdict });
  }
  const recorded = recordVerdicts(state, entries, { step, now: now() });
  state = { ...recorded.state, step: step + 1 };

  // Evidence: written after each task closed (the call returned), so seeds are revealed late.
  const outcomes: StepOutcome[] = [];
  for (const [i, a] of answered.entries()) {
    const verdict = verdicts[i]!;
    const change = recorded.changes[i]!;
    const statusCode = a.response.dendrite.status_code;
    const latencyMs = a.finished - a.started;
    outcomes.push({
      uid: a.uid,
      hotkey: a.hotkey,
      taskId: a.seed.taskId,
      verdict,
      change,
      statusCode,
      latencyMs,
    });
    if (!components.evidence) continue;
    const record: Parameters<EvidenceLog['appendScore']>[0] = {
      step,
      uid: a.uid,
      hotkey: a.hotkey,
      taskId: a.seed.taskId,
      seed: a.seed.seed,
      commitment: a.seed.commitment,
      answerDigest: a.response.ok ? digestAnswer(a.response.output) : null,
      statusCode,
      latencyMs,
      verdict: {
        status: verdict.status,
        score: verdict.score,
        components: verdict.components,
        reasons: verdict.reasons,
        evidence: verdict.evidence,
      },
      alpha: change.alpha,
      sample: change.sample,
      before: change.before,
      after: change.after,
      samplesBefore: change.samplesBefore,
      deadline: closedAt,
    };
    await components.evidence.appendScore(record).catch((error) => {
      errors.push({ uid: a.uid, stage: 'evidence', error });
    });
  }
  return { state, selection, outcomes, resets: resync.changed, errors };
}
