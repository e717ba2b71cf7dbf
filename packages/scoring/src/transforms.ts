import { assertFinite, ScoringError } from './errors.js';

/**
 * Power transform `xᵢ^p` (p > 0) — p > 1 sharpens differences between good and great miners,
 * p < 1 flattens them. Inputs must be finite and ≥ 0. With `normalize`, the result sums to 1
 * (all-zero stays all-zero).
 */
export function powerTransform(
  x: ArrayLike<number>,
  exponent: number,
  normalize = false,
): Float64Array {
  if (!(exponent > 0) || !Number.isFinite(exponent)) {
    throw new ScoringError(
      'OUT_OF_RANGE',
      `exponent: must be a finite number > 0, got ${exponent}`,
      { details: { field: 'exponent' } },
    );
  }
  assertFinite(x, 'x');
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < 0) {
      throw new ScoringError('NEGATIVE_VALUE', `x[${i}]: must be >= 0, got ${v}`, {
        details: { field: `x[${i}]` },
      });
    }
    out[i] = v ** exponent;
    sum += out[i]!;
  }
  if (normalize && sum > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}

/** Shape of a {@link minSampleRamp}. */
export type RampShape = 'linear' | 'smoothstep' | 'step';

/**
 * Multiplier in [0, 1] for a uid that has `count` samples: 0 with no samples, 1 from
 * `minSamples` on. `linear` grows as count/min, `smoothstep` as 3t²−2t³ (slow start, slow
 * finish), `step` jumps from 0 to 1 at `minSamples`. Keeps a brand-new miner from getting full
 * weight off one lucky answer.
 */
export function minSampleRamp(
  count: number,
  minSamples: number,
  shape: RampShape = 'linear',
): number {
  if (!Number.isFinite(count) || count < 0) {
    throw new ScoringError('OUT_OF_RANGE', `count: must be a finite number >= 0, got ${count}`, {
      details: { field: 'count' },
    });
  }
  if (!Number.isFinite(minSamples) || minSamples < 0) {
    throw new ScoringError('OUT_OF_RANGE', `minSamples: must be >= 0, got ${minSamples}`, {
      details: { field: 'minSamples' },
    });
  }
  if (minSamples === 0 || count >= minSamples) return 1;
  const t = count / minSamples;
  switch (shape) {
    case 'linear':
      return t;
    case 'smoothstep':
      return t * t * (3 - 2 * t);
    case 'step':
      return 0;
    default:
      throw new ScoringError('INVALID_ARGUMENT', `shape: unknown ramp shape ${String(shape)}`, {
        details: { field: 'shape' },
      });
  }
}

/** Applies {@link minSampleRamp} per uid: `scoreᵢ · ramp(countᵢ)`. */
export function applyMinSampleRamp(
  scores: ArrayLike<number>,
  counts: ArrayLike<number>,
  minSamples: number,
  shape: RampShape = 'linear',
): Float64Array {
  if (scores.length !== counts.length) {
    throw new ScoringError(
      'LENGTH_MISMATCH',
      `counts: scores has ${scores.length} entries but counts has ${counts.length}`,
      { details: { field: 'counts' } },
    );
  }
  assertFinite(scores, 'scores');
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = scores[i]! * minSampleRamp(counts[i]!, minSamples, shape);
  }
  return out;
}
