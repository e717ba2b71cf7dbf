import { ScoringError } from './errors.js';

/**
 * Outcome of checking one miner answer.
 * - `pass`: the check ran; `score` in [0, 1] says how good the answer is.
 * - `fail`: the check ran and the answer is wrong/invalid; `score` is usually 0.
 * - `unverifiable`: the validator itself could not check (missing model, timeout on *our*
 *   side, …). `score` is `null`, and it must never lower a miner's score.
 */
export type VerdictStatus = 'pass' | 'fail' | 'unverifiable';

export interface Verdict<E = unknown> {
  status: VerdictStatus;
  /** In [0, 1]; `null` exactly when `status` is `unverifiable`. */
  score: number | null;
  /** Named sub-scores (e.g. `{ quality: 0.8, latency: 0.9 }`); `null` = unverifiable part. */
  components: Record<string, number | null>;
  /** Human-readable reasons, most important first. */
  reasons: string[];
  /** Whatever lets someone re-check the score later (hashes, seeds, measured values …). */
  evidence: E;
}

function checkScore(score: number, field = 'score'): void {
  if (!(score >= 0 && score <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `${field}: must be in [0, 1], got ${score}`, {
      details: { field },
    });
  }
}

/** A passing verdict with score in [0, 1]. */
export function pass<E = undefined>(
  score: number,
  extra: { components?: Record<string, number | null>; reasons?: string[]; evidence?: E } = {},
): Verdict<E> {
  checkScore(score);
  return {
    status: 'pass',
    score,
    components: extra.components ?? {},
    reasons: extra.reasons ?? [],
    evidence: extra.evidence as E,
  };
}

/** A failing verdict (score 0 unless given). */
export function fail<E = undefined>(
  reason: string,
  extra: { score?: number; components?: Record<string, number | null>; evidence?: E } = {},
): Verdict<E> {
  const score = extra.score ?? 0;
  checkScore(score);
  return {
    status: 'fail',
    score,
    components: extra.components ?? {},
    reasons: [reason],
    evidence: extra.evidence as E,
  };
}

/** The validator could not check this answer; carries no score. */
export function unverifiable<E = undefined>(reason: string, evidence?: E): Verdict<E> {
  return {
    status: 'unverifiable',
    score: null,
    components: {},
    reasons: [reason],
    evidence: evidence as E,
  };
}

/** How {@link combineVerdicts} aggregates the scores of the verifiable parts. */
export type CombineMode = 'weighted-mean' | 'min' | 'product';

export interface CombineOptions {
  /** Default `weighted-mean`. */
  mode?: CombineMode;
  /** Per-part weights for `weighted-mean` (default 1 each). */
  weights?: Record<string, number>;
  /**
   * If true (default), any `fail` part makes the whole verdict `fail` with score 0; if false,
   * a fail only contributes its score.
   */
  failIsFatal?: boolean;
}

/**
 * Combines named part verdicts into one. Unverifiable parts are left out of the aggregate
 * (their weight is redistributed over the verifiable parts), so adding an unverifiable part
 * never lowers the score; if every part is unverifiable the result is unverifiable.
 * `components` maps each part to its score, `reasons` are prefixed with the part name, and
 * `evidence` maps each part to its evidence.
 */
export function combineVerdicts(
  parts: Record<string, Verdict>,
  options: CombineOptions = {},
): Verdict<Record<string, unknown>> {
  const mode = options.mode ?? 'weighted-mean';
  const failIsFatal = options.failIsFatal ?? true;
  const components: Record<string, number | null> = {};
  const evidence: Record<string, unknown> = {};
  const reasons: string[] = [];
  let anyFail = false;
  let wSum = 0;
  let acc = mode === 'weighted-mean' ? 0 : mode === 'min' ? 1 : 1;
  let verifiable = 0;
  for (const [name, v] of Object.entries(parts)) {
    components[name] = v.score;
    evidence[name] = v.evidence;
    for (const r of v.reasons) reasons.push(`${name}: ${r}`);
    if (v.status === 'unverifiable') continue;
    if (v.score === null) {
      throw new ScoringError(
        'INVALID_ARGUMENT',
        `parts.${name}.score: is null but status is not unverifiable`,
        { details: { field: `parts.${name}.score` } },
      );
    }
    checkScore(v.score, `parts.${name}.score`);
    verifiable++;
    if (v.status === 'fail') anyFail = true;
    if (mode === 'weighted-mean') {
      const w = options.weights?.[name] ?? 1;
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new ScoringError(
          'OUT_OF_RANGE',
          `weights.${name}: must be a finite number >= 0, got ${w}`,
          { details: { field: `weights.${name}` } },
        );
      }
      acc += w * v.score;
      wSum += w;
    } else if (mode === 'min') {
      acc = Math.min(acc, v.score);
    } else {
      acc *= v.score;
    }
  }
  if (verifiable === 0) {
    return { status: 'unverifiable', score: null, components, reasons, evidence };
  }
  if (anyFail && failIsFatal) return { status: 'fail', score: 0, components, reasons, evidence };
  const score = mode === 'weighted-mean' ? (wSum > 0 ? acc / wSum : 0) : acc;
  return { status: anyFail ? 'fail' : 'pass', score, components, reasons, evidence };
}

/**
 * The score to fold into a miner's running score: the verdict's score, or `previous` when the
 * verdict is unverifiable (so it can neither raise nor lower the miner).
 */
export function verdictSample(verdict: Verdict, previous: number): number {
  return verdict.status === 'unverifiable' || verdict.score === null ? previous : verdict.score;
}
