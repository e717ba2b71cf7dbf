import { randomBytes } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import {
  createScoreEma,
  type ScoreEmaState,
  type Verdict,
  verdictSample,
} from '@subnetkit/scoring';
import { z } from 'zod';
import { NeuronError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';

/** Format tag and version written in every state file. */
export const STATE_FORMAT = 'subnetkit-validator-state';
export const STATE_VERSION = 1;
/** File name of the state inside the neuron's state directory. */
export const STATE_FILE = 'state.json';

/** Per-miner bookkeeping, reset with the uid when its hotkey changes. */
export interface MinerRecord {
  hotkey: string;
  /** Verdicts recorded for this hotkey, by status. */
  calls: number;
  passes: number;
  fails: number;
  unverifiable: number;
  /** Fails in a row (reset by a pass). */
  consecutiveFails: number;
  lastStep: number;
  /** ms since the epoch of the last verdict. */
  lastAt: number;
  lastStatus: Verdict['status'];
}

/**
 * Everything a validator must not forget across a restart. Scores are float64 (JSON numbers
 * round-trip them exactly); `scores` is the `@subnetkit/scoring` EMA state.
 */
export interface ValidatorState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  netuid: number;
  /** The validator's own hotkey (SS58). */
  hotkey: string;
  createdAt: string;
  savedAt: string | null;
  /** Completed validator steps. */
  step: number;
  /** Last block seen. */
  block: number | null;
  /** Block at which weights were last set (or committed). */
  lastWeightsBlock: number | null;
  /** Random per state (hex); part of every seed, so a lost state never replays old seeds. */
  seedEpoch: string;
  /** Seeds derived so far; also part of every seed. */
  seedCounter: number;
  scores: ScoreEmaState;
  /** By uid (as a string key). */
  miners: Record<string, MinerRecord>;
  /** Uids already queried in the current round-robin cycle. */
  cycle: number[];
  /** Subnet-specific data (plain JSON). */
  extra: Record<string, unknown>;
  /**
   * Commit-reveal v2 (hash) commits not revealed yet: the weights and the salt must survive a
   * restart, or the commit is lost. Absent in files written before it existed.
   */
  pendingCommits?: PendingCommit[];
  /**
   * Set when the scores started over because the state was lost (corrupt, with no usable
   * previous generation): no weights until every scored miner has enough samples. Absent
   * otherwise.
   */
  warmup?: boolean;
}

/** A commit-reveal v2 commit waiting for its reveal epoch. */
export interface PendingCommit {
  uids: number[];
  /** u16 values as committed. */
  weights: number[];
  salt: number[];
  /** u64 as a decimal string (JSON has no bigint). */
  versionKey: string;
  /** Block the commit was included in. */
  commitBlock: number;
  commitHash: string;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().min(0);
const block = z.number().int().min(0).nullable();

const minerRecordSchema = z.object({
  hotkey: z.string().min(1),
  calls: count,
  passes: count,
  fails: count,
  unverifiable: count,
  consecutiveFails: count,
  lastStep: count,
  lastAt: count,
  lastStatus: z.enum(['pass', 'fail', 'unverifiable']),
});

const stateSchema = z
  .object({
    format: z.literal(STATE_FORMAT),
    version: z.literal(STATE_VERSION),
    netuid: z.number().int().min(0).max(65535),
    hotkey: z.string().min(1),
    createdAt: z.string(),
    savedAt: z.string().nullable(),
    step: count,
    block,
    lastWeightsBlock: block,
    seedEpoch: z.string().regex(/^[0-9a-f]{32}$/),
    seedCounter: count,
    scores: z.object({
      alpha: z.number().min(0).max(1),
      initialScore: finite,
      scores: z.array(finite),
      hotkeys: z.array(z.string().nullable()),
      samples: z.array(count),
    }),
    miners: z.record(z.string().regex(/^(0|[1-9][0-9]*)$/), minerRecordSchema),
    cycle: z.array(count),
    extra: z.record(z.string(), z.unknown()),
    warmup: z.boolean().optional(),
    pendingCommits: z
      .array(
        z
          .object({
            uids: z.array(z.number().int().min(0).max(65535)),
            weights: z.array(z.number().int().min(0).max(65535)),
            salt: z.array(z.number().int().min(0).max(65535)),
            versionKey: z.string().regex(/^(0|[1-9][0-9]*)$/),
            commitBlock: count,
            commitHash: z.string(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const n = s.scores.scores.length;
    if (s.scores.hotkeys.length !== n || s.scores.samples.length !== n) {
      ctx.addIssue({
        code: 'custom',
        path: ['scores'],
        message: `scores (${n}), hotkeys (${s.scores.hotkeys.length}) and samples (${s.scores.samples.length}) differ in length`,
      });
    }
    for (const uid of Object.keys(s.miners)) {
      if (Number(uid) >= n) {
        ctx.addIssue({ code: 'custom', path: ['miners', uid], message: `uid ${uid} >= n (${n})` });
      }
    }
  });

export interface NewStateOptions {
  netuid: number;
  hotkey: string;
  /** EMA alpha (`--neuron.moving_average_alpha`). */
  alpha: number;
  /** Initial number of uids. */
  n?: number;
  /** Clock for `createdAt` (tests). */
  now?: () => Date;
}

/** A fresh state: step 0, zero scores, a new random seed epoch. */
export function createValidatorState(options: NewStateOptions): ValidatorState {
  const ema = createScoreEma({ alpha: options.alpha, n: options.n ?? 0 });
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    netuid: options.netuid,
    hotkey: options.hotkey,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    savedAt: null,
    step: 0,
    block: null,
    lastWeightsBlock: null,
    seedEpoch: randomBytes(16).toString('hex'),
    seedCounter: 0,
    scores: ema.toJSON(),
    miners: {},
    cycle: [],
    extra: {},
  };
}

/** Checks a parsed JSON value against the state schema; `STATE_CORRUPT`/`STATE_VERSION` otherwise. */
export function parseValidatorState(data: unknown, path = 'state'): ValidatorState {
  if (typeof data === 'object' && data !== null) {
    const v = (data as { version?: unknown }).version;
    if (typeof v === 'number' && v > STATE_VERSION) {
      throw new NeuronError(
        'STATE_VERSION',
        `${path}: written by a newer subnetkit (state version ${v}, this one reads ${STATE_VERSION}); upgrade, or move the file away to start fresh`,
        { details: { path } },
      );
    }
  }
  const parsed = stateSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NeuronError(
      'STATE_CORRUPT',
      `${path}: not a valid validator state (${issue.path.join('.') || 'root'}: ${issue.message})`,
      {
        details: {
          path,
          problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        },
      },
    );
  }
  return parsed.data as ValidatorState;
}

/** Saves atomically (temp + fsync + rename, 0600). Serialises before touching the disk. */
export async function saveValidatorState(
  path: string,
  state: ValidatorState,
  now: () => Date = () => new Date(),
): Promise<ValidatorState> {
  const saved = { ...state, savedAt: now().toISOString() };
  try {
    parseValidatorState(saved, path);
  } catch (error) {
    const e = error as NeuronError;
    throw new NeuronError('INVALID_ARGUMENT', `refusing to save: ${e.message}`, {
      details: e.details,
      cause: error,
    });
  }
  const text = `${JSON.stringify(saved, null, 1)}\n`;
  await keepPreviousGeneration(path);
  await writeFileAtomic(path, text);
  return saved;
}

/** The previous generation of a state file, kept beside it by every save. */
export const previousGenerationOf = (path: string) => `${path}.prev`;

/**
 * Copies the file about to be replaced to `<path>.prev` (atomically, so a crash leaves the
 * old `.prev` or the new one, never half of one), when it is a valid state: a corrupt file
 * never overwrites the last good generation.
 */
async function keepPreviousGeneration(path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    parseValidatorState(JSON.parse(text), path);
  } catch {
    return;
  }
  await writeFileAtomic(previousGenerationOf(path), text);
}

export interface LoadStateOptions {
  /** The state must belong to this netuid/hotkey (`STATE_MISMATCH` otherwise). */
  expect?: { netuid?: number; hotkey?: string };
  /**
   * What to do with a corrupt file: `throw` (default) leaves it in place and throws
   * `STATE_CORRUPT`; `quarantine` renames it to `<path>.corrupt-<time>` and reports that path,
   * so the caller can start fresh without losing it.
   */
  onCorrupt?: 'throw' | 'quarantine';
  now?: () => Date;
}

export interface LoadStateResult {
  /** `null` when there was no file (or it was quarantined with no usable previous generation). */
  state: ValidatorState | null;
  /** Where a corrupt file was moved. */
  quarantined?: string;
  /** Why it was quarantined. */
  error?: NeuronError;
  /** The previous generation the state came from instead (`<path>.prev`), after a quarantine. */
  fellBackTo?: string;
}

/** Loads a state file saved by {@link saveValidatorState}. */
export async function loadValidatorState(
  path: string,
  options: LoadStateOptions = {},
): Promise<LoadStateResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: null };
    throw new NeuronError(
      'IO_ERROR',
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
      { details: { path }, cause: error },
    );
  }
  let state: ValidatorState;
  try {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new NeuronError(
        'STATE_CORRUPT',
        `${path}: not valid JSON (${(error as Error).message})`,
        { details: { path }, cause: error },
      );
    }
    state = parseValidatorState(data, path);
  } catch (error) {
    if (!(error instanceof NeuronError) || error.code !== 'STATE_CORRUPT') throw error;
    if (options.onCorrupt !== 'quarantine') {
      throw new NeuronError(
        'STATE_CORRUPT',
        `${error.message}. The file was left in place; move it away to start with fresh scores`,
        { details: error.details, cause: error },
      );
    }
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const quarantined = `${path}.corrupt-${stamp}`;
    await rename(path, quarantined);
    const prev = previousGenerationOf(path);
    const earlier = await loadValidatorState(prev, { ...options, onCorrupt: 'throw' }).catch(
      (e: unknown) => {
        // A previous generation of another netuid/hotkey is a setup error, not a fallback.
        if (e instanceof NeuronError && e.code === 'STATE_MISMATCH') throw e;
        return { state: null };
      },
    );
    if (earlier.state) return { state: earlier.state, quarantined, error, fellBackTo: prev };
    return { state: null, quarantined, error };
  }
  const expect = options.expect ?? {};
  for (const key of ['netuid', 'hotkey'] as const) {
    if (expect[key] !== undefined && expect[key] !== state[key]) {
      throw new NeuronError(
        'STATE_MISMATCH',
        `${path}: belongs to ${key} ${JSON.stringify(state[key])}, not ${JSON.stringify(expect[key])}; use another --neuron.full_path`,
        { details: { path, field: key } },
      );
    }
  }
  return { state };
}

export interface ResyncResult {
  state: ValidatorState;
  /** Uids whose hotkey changed (their score and bookkeeping were reset). */
  changed: number[];
  /** Uids that no longer exist (metagraph shrank). */
  removed: number[];
}

/**
 * Aligns the state with the metagraph's hotkeys: a uid whose hotkey changed (deregistered,
 * taken by someone else) starts again from the initial score with no bookkeeping; the score
 * vector grows or shrinks with the metagraph. Pure: returns a new state.
 */
export function resyncHotkeys(
  state: ValidatorState,
  hotkeys: readonly string[],
  alpha = state.scores.alpha,
): ResyncResult {
  const ema = createScoreEma({ alpha, initialScore: state.scores.initialScore }, state.scores);
  const before = state.scores.scores.length;
  const changed = ema.syncHotkeys(hotkeys);
  const removed: number[] = [];
  for (let uid = hotkeys.length; uid < before; uid++) removed.push(uid);
  const gone = new Set([...changed, ...removed]);
  const miners: Record<string, MinerRecord> = {};
  for (const [uid, record] of Object.entries(state.miners)) {
    if (!gone.has(Number(uid)) && record.hotkey === hotkeys[Number(uid)]) miners[uid] = record;
  }
  return {
    state: {
      ...state,
      scores: ema.toJSON(),
      miners,
      cycle: state.cycle.filter((uid) => !gone.has(uid)),
    },
    changed,
    removed,
  };
}

/** One scored answer to fold into the state. */
export interface VerdictEntry {
  uid: number;
  verdict: Verdict;
}

/** What {@link recordVerdicts} did to one uid (for the evidence log). */
export interface ScoreChange {
  uid: number;
  hotkey: string;
  /** The value folded into the EMA (the previous score for an unverifiable verdict). */
  sample: number;
  before: number;
  after: number;
  /** EMA alpha used. */
  alpha: number;
  /** Samples folded into this uid's score before this one (0 = first since a reset). */
  samplesBefore: number;
}

/**
 * Folds verdicts into the EMA scores and per-miner bookkeeping. An `unverifiable` verdict (the
 * validator's own failure) leaves the score unchanged. Pure: returns a new state.
 */
export function recordVerdicts(
  state: ValidatorState,
  entries: readonly VerdictEntry[],
  options: { step?: number; now?: number; alpha?: number } = {},
): { state: ValidatorState; changes: ScoreChange[] } {
  const alpha = options.alpha ?? state.scores.alpha;
  const ema = createScoreEma({ alpha, initialScore: state.scores.initialScore }, state.scores);
  const hotkeys = state.scores.hotkeys;
  const miners = { ...state.miners };
  const changes: ScoreChange[] = [];
  const step = options.step ?? state.step;
  const now = options.now ?? Date.now();
  for (const { uid, verdict } of entries) {
    const hotkey = hotkeys[uid];
    if (!Number.isInteger(uid) || uid < 0 || uid >= hotkeys.length || hotkey == null) {
      throw new NeuronError(
        'INVALID_ARGUMENT',
        `recordVerdicts: uid ${uid} is not in the synced metagraph (n = ${hotkeys.length}); call resyncHotkeys first`,
        { details: { field: 'uid' } },
      );
    }
    const before = ema.scores()[uid]!;
    const samplesBefore = ema.sampleCounts()[uid]!;
    const sample = verdictSample(verdict, before);
    // The EMA of the previous value with itself is the previous value: no move at all.
    if (verdict.status !== 'unverifiable') ema.update([uid], [sample]);
    const after = ema.scores()[uid]!;
    changes.push({ uid, hotkey, sample, before, after, alpha, samplesBefore });
    const prev = miners[String(uid)];
    const base: MinerRecord =
      prev && prev.hotkey === hotkey
        ? prev
        : {
            hotkey,
            calls: 0,
            passes: 0,
            fails: 0,
            unverifiable: 0,
            consecutiveFails: 0,
            lastStep: step,
            lastAt: now,
            lastStatus: verdict.status,
          };
    miners[String(uid)] = {
      ...base,
      calls: base.calls + 1,
      passes: base.passes + (verdict.status === 'pass' ? 1 : 0),
      fails: base.fails + (verdict.status === 'fail' ? 1 : 0),
      unverifiable: base.unverifiable + (verdict.status === 'unverifiable' ? 1 : 0),
      consecutiveFails:
        verdict.status === 'fail'
          ? base.consecutiveFails + 1
          : verdict.status === 'pass'
            ? 0
            : base.consecutiveFails,
      lastStep: step,
      lastAt: now,
      lastStatus: verdict.status,
    };
  }
  return { state: { ...state, scores: ema.toJSON(), miners }, changes };
}
