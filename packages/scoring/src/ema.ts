import { assertFinite, ScoringError } from './errors.js';

/**
 * Normalises `x` to sum 1. All-zero (or empty) input returns a zero vector — never NaN.
 * NaN/±∞ or negative entries throw a {@link ScoringError} naming the index.
 */
export function safeNormalize(x: ArrayLike<number>, field = 'x'): Float64Array {
  assertFinite(x, field);
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < 0) {
      throw new ScoringError('NEGATIVE_VALUE', `${field}[${i}]: must be >= 0, got ${v}`, {
        details: { field: `${field}[${i}]` },
      });
    }
    sum += v;
  }
  if (sum === 0) return out;
  for (let i = 0; i < x.length; i++) out[i] = x[i]! / sum;
  return out;
}

function checkAlpha(alpha: number, field = 'alpha'): void {
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `${field}: must be in [0, 1], got ${alpha}`, {
      details: { field },
    });
  }
}

/** One EMA step: `α·sample + (1−α)·old`. */
export function ema(old: number, sample: number, alpha: number): number {
  checkAlpha(alpha);
  if (!Number.isFinite(sample)) {
    throw new ScoringError('INVALID_NUMBER', `sample: must be finite, got ${sample}`, {
      details: { field: 'sample' },
    });
  }
  return alpha * sample + (1 - alpha) * old;
}

/** Options of {@link createScoreEma}. */
export interface ScoreEmaOptions {
  /** Weight of a new sample, in [0, 1] (the Python template uses 0.1). */
  alpha: number;
  /** Initial number of uids (grows with {@link ScoreEma.syncHotkeys}). */
  n?: number;
  /** Score a uid starts with and is reset to when its hotkey changes (default 0). */
  initialScore?: number;
}

/** Serialised state of a {@link ScoreEma} (plain JSON). */
export interface ScoreEmaState {
  alpha: number;
  initialScore: number;
  scores: number[];
  hotkeys: Array<string | null>;
  samples: number[];
}

/**
 * Per-uid score bookkeeping for a validator:
 * - `update(uids, samples)`: `score[u] = α·sample + (1−α)·score[u]` for the given uids only;
 * - `syncHotkeys(hotkeys)`: a uid whose hotkey changed (deregistered and re-registered by
 *   someone else) is reset to `initialScore` with its sample count cleared; the vector grows
 *   or shrinks with the metagraph;
 * - `normalized()`: {@link safeNormalize}d scores, ready for weight processing.
 */
export interface ScoreEma {
  readonly alpha: number;
  /** Current scores (a copy). */
  scores(): Float64Array;
  /** Number of samples folded into each uid's score since its last reset. */
  sampleCounts(): Uint32Array;
  update(uids: ArrayLike<number>, samples: ArrayLike<number>): void;
  syncHotkeys(hotkeys: ReadonlyArray<string>): number[];
  reset(uid: number): void;
  normalized(): Float64Array;
  toJSON(): ScoreEmaState;
}

/** Creates a {@link ScoreEma}; pass `state` (from `toJSON`) to restore one. */
export function createScoreEma(options: ScoreEmaOptions, state?: ScoreEmaState): ScoreEma {
  checkAlpha(options.alpha, 'alpha');
  const initial = options.initialScore ?? 0;
  if (!Number.isFinite(initial)) {
    throw new ScoringError('INVALID_NUMBER', `initialScore: must be finite, got ${initial}`, {
      details: { field: 'initialScore' },
    });
  }
  let scores = new Float64Array(state?.scores ?? new Array(options.n ?? 0).fill(initial));
  let counts = new Uint32Array(state?.samples ?? new Array(scores.length).fill(0));
  let hotkeys: Array<string | null> = state?.hotkeys ?? new Array(scores.length).fill(null);
  if (counts.length !== scores.length || hotkeys.length !== scores.length) {
    throw new ScoringError('LENGTH_MISMATCH', 'state: scores, samples and hotkeys differ', {
      details: { field: 'state' },
    });
  }
  assertFinite(scores, 'state.scores');

  const resize = (n: number) => {
    if (n === scores.length) return;
    const s = new Float64Array(n).fill(initial);
    s.set(scores.subarray(0, Math.min(n, scores.length)));
    const c = new Uint32Array(n);
    c.set(counts.subarray(0, Math.min(n, counts.length)));
    scores = s;
    counts = c;
    hotkeys = Array.from({ length: n }, (_, i) => hotkeys[i] ?? null);
  };

  return {
    alpha: options.alpha,
    scores: () => Float64Array.from(scores),
    sampleCounts: () => Uint32Array.from(counts),
    update(uids, samples) {
      if (uids.length !== samples.length) {
        throw new ScoringError(
          'LENGTH_MISMATCH',
          `samples: uids has ${uids.length} entries but samples has ${samples.length}`,
          { details: { field: 'samples' } },
        );
      }
      assertFinite(samples, 'samples');
      for (let k = 0; k < uids.length; k++) {
        const u = uids[k]!;
        if (!Number.isInteger(u) || u < 0 || u >= scores.length) {
          throw new ScoringError(
            'INVALID_UID',
            `uids[${k}]: ${u} is not in [0, ${scores.length})`,
            { details: { field: `uids[${k}]` } },
          );
        }
      }
      const a = options.alpha;
      for (let k = 0; k < uids.length; k++) {
        const u = uids[k]!;
        scores[u] = a * samples[k]! + (1 - a) * scores[u]!;
        counts[u] = counts[u]! + 1;
      }
    },
    syncHotkeys(next) {
      resize(next.length);
      const changed: number[] = [];
      for (let i = 0; i < next.length; i++) {
        const prev = hotkeys[i];
        if (prev !== null && prev !== undefined && prev !== next[i]) {
          scores[i] = initial;
          counts[i] = 0;
          changed.push(i);
        }
        hotkeys[i] = next[i]!;
      }
      return changed;
    },
    reset(uid) {
      if (!Number.isInteger(uid) || uid < 0 || uid >= scores.length) {
        throw new ScoringError('INVALID_UID', `uid: ${uid} is not in [0, ${scores.length})`, {
          details: { field: 'uid' },
        });
      }
      scores[uid] = initial;
      counts[uid] = 0;
    },
    normalized: () => safeNormalize(scores, 'scores'),
    toJSON: () => ({
      alpha: options.alpha,
      initialScore: initial,
      scores: Array.from(scores),
      hotkeys: [...hotkeys],
      samples: Array.from(counts),
    }),
  };
}
