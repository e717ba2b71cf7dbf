import { assertFinite, assertInt, ScoringError } from './errors.js';
import { type NpDtype, npQuantile, npSum, rounder } from './npy.js';

/** Largest u16; chain weights are u16 with the row maximum up-scaled to this value. */
export const U16_MAX = 65535;

/**
 * Round half to even ("banker's rounding"), which is what Python's built-in `round()` does.
 * `Math.round` rounds halves up and would make `0.5 → 1`, `2.5 → 3`.
 */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * `normalize_max_weight` of the Python SDK: scales `x` to sum 1 while capping every entry at
 * `limit` (entries above a computed cutoff are clipped, then everything is renormalised).
 *
 * `dtype` selects the precision the SDK computes in for this input: `float32` for weights that
 * went through `process_weights`' main path, `float64` for its "fewer weights than
 * min_allowed_weights" path. The result is bit-identical to the SDK with NumPy 2.x.
 */
export function normalizeMaxWeight(
  x: ArrayLike<number>,
  limit = 0.1,
  dtype: NpDtype = 'float64',
): Float64Array {
  assertFinite(x, 'x');
  const r = rounder(dtype);
  const n = x.length;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = r(x[i]!);
  const out = new Float64Array(n);
  if (n === 0) return out;
  const rLimit = r(limit);
  const eps = r(1e-7);

  if (npSum(weights, dtype) === 0 || n * limit <= 1) {
    out.fill(r(1 / n));
    return out;
  }
  const values = Float64Array.from(weights).sort();
  const vSum = npSum(values, dtype);
  const estimation = new Float64Array(n);
  let estMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const e = r(values[i]! / vSum);
    estimation[i] = e;
    if (e > estMax) estMax = e;
  }
  if (estMax <= rLimit) {
    const s = npSum(weights, dtype);
    for (let i = 0; i < n; i++) out[i] = r(weights[i]! / s);
    return out;
  }
  // cumulative sum is sequential in NumPy
  const cumsum = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc = r(acc + estimation[i]!);
    cumsum[i] = acc;
  }
  let nValues = 0;
  for (let i = 0; i < n; i++) {
    const estimationSum = r((n - i - 1) * estimation[i]!);
    const denom = r(r(estimationSum + cumsum[i]!) + eps);
    if (r(estimation[i]! / denom) < rLimit) nValues++;
  }
  // Python's cumsum[n_values - 1] wraps to the last element when n_values == 0.
  const c = cumsum[nValues === 0 ? n - 1 : nValues - 1]!;
  const numerator = r(r(rLimit * c) - eps);
  // `n_values` is a NumPy int64, so `limit * (len - n_values)` is a float64 scalar, and from
  // there the cutoff and the `weights > cutoff` comparison are float64 whatever the input's
  // dtype; only the assignment back into the array rounds the cutoff to that dtype.
  const denominator = 1 - limit * (n - nValues);
  const cutoff = (numerator / denominator) * vSum;
  const clipped = r(cutoff);
  for (let i = 0; i < n; i++) if (weights[i]! > cutoff) weights[i] = clipped;
  const s = npSum(weights, dtype);
  for (let i = 0; i < n; i++) out[i] = r(weights[i]! / s);
  return out;
}

/** Inputs of {@link processWeights}, named like the SDK's `process_weights` arguments. */
export interface ProcessWeightsOptions {
  /** Number of neurons in the subnet (`metagraph.n`). */
  numNeurons: number;
  /** Subnet hyperparameter `min_allowed_weights`. */
  minAllowedWeights: number;
  /** Max weight per uid as a fraction (`MaxWeightsLimit / 65535`), e.g. `1` for no limit. */
  maxWeightLimit: number;
  /** Exclusion quantile as u16 (the SDK divides it by 65535); default 0. */
  excludeQuantile?: number;
}

/** Result of {@link processWeights}: uids and float weights that sum to 1. */
export interface ProcessedWeights {
  uids: Uint16Array;
  weights: Float64Array;
  /** Precision the SDK computed these values in (they are exactly representable in it). */
  dtype: NpDtype;
  /** Which SDK branch produced them. */
  branch: 'uniform' | 'below-min-allowed' | 'quantile';
}

/**
 * The Python SDK's `process_weights` (what `process_weights_for_netuid` runs before
 * `set_weights`), reproduced bit for bit:
 *
 * 1. weights are cast to float32; the non-zero ones are kept;
 * 2. none, or `numNeurons < minAllowedWeights` → uniform `1/n` over `0..n-1` (float64);
 * 3. fewer non-zero than `minAllowedWeights` → every position gets `1e-5` plus its weight,
 *    then {@link normalizeMaxWeight} in float64 over uids `0..n-1` (SDK quirk: positions, not
 *    the given uids);
 * 4. otherwise weights below the `min(q, (k−min)/k)` quantile are dropped and the rest go
 *    through {@link normalizeMaxWeight} in float32.
 */
export function processWeights(
  uids: ArrayLike<number>,
  weights: ArrayLike<number>,
  options: ProcessWeightsOptions,
): ProcessedWeights {
  if (uids.length !== weights.length) {
    throw new ScoringError(
      'LENGTH_MISMATCH',
      `weights: uids has ${uids.length} entries but weights has ${weights.length}`,
      { details: { field: 'weights' } },
    );
  }
  assertFinite(weights, 'weights');
  checkUids(uids, 'uids');
  const { numNeurons, minAllowedWeights, maxWeightLimit } = options;
  const excludeQuantile = options.excludeQuantile ?? 0;
  assertInt(numNeurons, 'numNeurons', 0, U16_MAX + 1);
  if (!(minAllowedWeights >= 0)) {
    throw new ScoringError('OUT_OF_RANGE', 'minAllowedWeights: must be >= 0', {
      details: { field: 'minAllowedWeights' },
    });
  }
  if (!(maxWeightLimit > 0 && maxWeightLimit <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', 'maxWeightLimit: must be in (0, 1]', {
      details: { field: 'maxWeightLimit' },
    });
  }
  assertInt(excludeQuantile, 'excludeQuantile', 0, U16_MAX);

  const w32 = new Float64Array(weights.length);
  for (let i = 0; i < w32.length; i++) w32[i] = Math.fround(weights[i]!);
  const nzIdx: number[] = [];
  for (let i = 0; i < w32.length; i++) if (w32[i]! > 0) nzIdx.push(i);

  if (nzIdx.length === 0 || numNeurons < minAllowedWeights) {
    const w = new Float64Array(numNeurons).fill(1 / numNeurons);
    return { uids: arange(numNeurons), weights: w, dtype: 'float64', branch: 'uniform' };
  }
  if (nzIdx.length < minAllowedWeights) {
    const w = new Float64Array(numNeurons).fill(1e-5);
    for (const i of nzIdx) {
      if (i >= numNeurons) {
        throw new ScoringError(
          'OUT_OF_RANGE',
          `weights[${i}]: position ${i} is outside numNeurons=${numNeurons} (the SDK raises IndexError here)`,
          { details: { field: `weights[${i}]` } },
        );
      }
      w[i] = w[i]! + w32[i]!;
    }
    return {
      uids: arange(numNeurons),
      weights: normalizeMaxWeight(w, maxWeightLimit, 'float64'),
      dtype: 'float64',
      branch: 'below-min-allowed',
    };
  }
  const k = nzIdx.length;
  const nz = new Float64Array(k);
  for (let i = 0; i < k; i++) nz[i] = w32[nzIdx[i]!]!;
  const quantile = excludeQuantile / U16_MAX;
  const maxExclude = Math.max(0, k - minAllowedWeights) / k;
  const q = Math.min(quantile, maxExclude);
  const lowest = npQuantile(nz, q, 'float32');
  const keptUids: number[] = [];
  const kept: number[] = [];
  for (let i = 0; i < k; i++) {
    if (lowest <= nz[i]!) {
      keptUids.push(uids[nzIdx[i]!]!);
      kept.push(nz[i]!);
    }
  }
  return {
    uids: Uint16Array.from(keptUids),
    weights: normalizeMaxWeight(kept, maxWeightLimit, 'float32'),
    dtype: 'float32',
    branch: 'quantile',
  };
}

/** Subnet hyperparameters as the chain stores them, for {@link processWeightsForNetuid}. */
export interface WeightHyperparams {
  /** `metagraph.n`. */
  n: number;
  /** `MinAllowedWeights`. */
  minAllowedWeights: number;
  /** `MaxWeightsLimit` as stored on chain (u16; 65535 = no limit). */
  maxWeightsLimit: number;
}

/**
 * `process_weights_for_netuid` with the chain values passed in instead of fetched:
 * `max_weight_limit = MaxWeightsLimit / 65535`.
 */
export function processWeightsForNetuid(
  uids: ArrayLike<number>,
  weights: ArrayLike<number>,
  hyper: WeightHyperparams,
  excludeQuantile = 0,
): ProcessedWeights {
  assertInt(hyper.maxWeightsLimit, 'maxWeightsLimit', 1, U16_MAX);
  return processWeights(uids, weights, {
    numNeurons: hyper.n,
    minAllowedWeights: hyper.minAllowedWeights,
    maxWeightLimit: hyper.maxWeightsLimit / U16_MAX,
    excludeQuantile,
  });
}

/** u16 uids and values ready for `set_weights` / a commit hash. */
export interface EmitWeights {
  uids: Uint16Array;
  values: Uint16Array;
}

/**
 * `convert_weights_and_uids_for_emit`: max-upscale so the largest weight becomes 65535,
 * `round()` half to even, drop entries that round to 0. All-zero input → empty vectors.
 * Rejects negative/non-finite weights, invalid uids and length mismatches.
 */
export function convertWeightsAndUidsForEmit(
  uids: ArrayLike<number>,
  weights: ArrayLike<number>,
): EmitWeights {
  if (uids.length !== weights.length) {
    throw new ScoringError(
      'LENGTH_MISMATCH',
      `weights: uids has ${uids.length} entries but weights has ${weights.length}`,
      { details: { field: 'weights' } },
    );
  }
  assertFinite(weights, 'weights');
  checkUids(uids, 'uids');
  let max = 0;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w < 0) {
      throw new ScoringError('NEGATIVE_VALUE', `weights[${i}]: must be >= 0, got ${w}`, {
        details: { field: `weights[${i}]` },
      });
    }
    if (w > max) max = w;
    sum += w;
  }
  if (sum === 0) return { uids: new Uint16Array(0), values: new Uint16Array(0) };
  const outU: number[] = [];
  const outV: number[] = [];
  for (let i = 0; i < weights.length; i++) {
    const v = roundHalfEven((weights[i]! / max) * U16_MAX);
    if (v !== 0) {
      outU.push(uids[i]!);
      outV.push(v);
    }
  }
  return { uids: Uint16Array.from(outU), values: Uint16Array.from(outV) };
}

/**
 * Inverse of {@link convertWeightsAndUidsForEmit} as the SDK reads chain weights
 * (`convert_weight_uids_and_vals_to_tensor`): a dense row of length `n` that sums to 1 (or all
 * zeros), computed in float32 like the SDK.
 */
export function u16ToFloatWeights(
  n: number,
  uids: ArrayLike<number>,
  values: ArrayLike<number>,
): Float64Array {
  assertInt(n, 'n', 0, U16_MAX + 1);
  if (uids.length !== values.length) {
    throw new ScoringError(
      'LENGTH_MISMATCH',
      `values: uids has ${uids.length} entries but values has ${values.length}`,
      { details: { field: 'values' } },
    );
  }
  const row = new Float64Array(n);
  for (let i = 0; i < uids.length; i++) {
    const u = uids[i]!;
    assertInt(u, `uids[${i}]`, 0, n - 1);
    assertInt(values[i]!, `values[${i}]`, 0, U16_MAX);
    row[u] = values[i]!;
  }
  const s = npSum(row, 'float32');
  if (s > 0) for (let i = 0; i < n; i++) row[i] = Math.fround(row[i]! / s);
  return row;
}

/**
 * What the chain does to a submitted `set_weights` value vector before storing it
 * (`vec_u16_max_upscale_to_u16` in subtensor): scale so the max is 65535, in I32F32 fixed
 * point, rounding half away from zero. Exact integer arithmetic.
 */
export function chainMaxUpscaleU16(values: ArrayLike<number>): Uint16Array {
  const n = values.length;
  const out = new Uint16Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    assertInt(values[i]!, `values[${i}]`, 0, U16_MAX);
    if (values[i]! > max) max = values[i]!;
  }
  if (max === 0) return out;
  // subtensor: max > 32768 → `e · (65535 / max)`, else `(e · 65535) / max`; both in I32F32
  // (bits = value·2^32, mul = floor((a·b) >> 32), div = floor((a << 32) / b)).
  const FRAC = 4294967296n;
  const maxB = BigInt(max);
  const ratio = (65535n * FRAC) / maxB; // I32F32 bits of 65535/max
  for (let i = 0; i < n; i++) {
    const e = BigInt(values[i]!) * FRAC; // I32F32 bits
    const bits = max > 32768 ? (e * ratio) >> 32n : (e * 65535n) / maxB;
    // round(): half away from zero, then saturating_to_num::<u16>
    const rounded = (bits + FRAC / 2n) >> 32n;
    out[i] = rounded > 65535n ? 65535 : Number(rounded);
  }
  return out;
}

function arange(n: number): Uint16Array {
  const a = new Uint16Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function checkUids(uids: ArrayLike<number>, field: string): void {
  for (let i = 0; i < uids.length; i++) {
    const u = uids[i]!;
    if (!Number.isInteger(u) || u < 0 || u > U16_MAX) {
      throw new ScoringError(
        'INVALID_UID',
        `${field}[${i}]: must be an integer in [0, 65535], got ${u}`,
        { details: { field: `${field}[${i}]` } },
      );
    }
  }
}

/**
 * The SDK's `convert_maybe_split_to_u16`: normalise non-negative shares to u16 values that sum
 * to exactly 65535 (round half to even, then the rounding error is taken from/added to the
 * largest entry). Used for mechanism emission splits.
 */
export function splitToU16(shares: ArrayLike<number>): Uint16Array {
  if (shares.length === 0) {
    throw new ScoringError('INVALID_ARGUMENT', 'shares: must not be empty', {
      details: { field: 'shares' },
    });
  }
  assertFinite(shares, 'shares');
  let total = 0;
  for (let i = 0; i < shares.length; i++) {
    const v = shares[i]!;
    if (v < 0) {
      throw new ScoringError('NEGATIVE_VALUE', `shares[${i}]: must be >= 0, got ${v}`, {
        details: { field: `shares[${i}]` },
      });
    }
    total += v;
  }
  if (!(total > 0)) {
    throw new ScoringError('INVALID_ARGUMENT', 'shares: must sum to > 0', {
      details: { field: 'shares' },
    });
  }
  const vals = new Array<number>(shares.length);
  let sum = 0;
  let maxIdx = 0;
  for (let i = 0; i < shares.length; i++) {
    vals[i] = roundHalfEven((shares[i]! / total) * U16_MAX);
    sum += vals[i]!;
    if (vals[i]! > vals[maxIdx]!) maxIdx = i;
  }
  vals[maxIdx] = vals[maxIdx]! - (sum - U16_MAX);
  return Uint16Array.from(vals);
}
