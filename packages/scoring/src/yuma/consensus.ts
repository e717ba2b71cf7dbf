/**
 * Internal: the consensus block of `epoch_mechanism` — the stake-weighted median per column,
 * then clipping at it with validator trust, ranks and pre-ranks accumulated in the same pass.
 */
import { mul, normalizeInPlace, sum } from './fixed.js';
import { MedianScratch, weightedMedian } from './median.js';
import type { Sparse } from './sparse.js';
import { FRESH, type Scratch, SLOT } from './workspace.js';

/** `weighted_median_col_sparse` over the rows with non-zero active stake, κ as I32F32. */
export function weightedMedianCols(
  activeStake: Float64Array,
  weights: Sparse,
  n: number,
  kappa: number,
  scratch: Scratch = FRESH,
): Float64Array {
  const rowOf: number[] = [];
  for (let i = 0; i < activeStake.length; i++) if (activeStake[i]! > 0) rowOf.push(i);
  const m = rowOf.length;
  const st = new Float64Array(m);
  for (let k = 0; k < m; k++) st[k] = activeStake[rowOf[k]!]!;
  normalizeInPlace(st);
  const stakeSum = sum(st);
  const minority = stakeSum - kappa;
  const median = new Float64Array(n);
  if (m === 0) return median;
  // scores column-major: column c occupies [c·m, (c+1)·m)
  const scores = scratch.f64(SLOT.scores, n * m);
  const nonzeroCol = new Uint8Array(n);
  scatterColumns(weights, rowOf, scores, nonzeroCol);
  const parts = new MedianScratch(m);
  for (let col = 0; col < n; col++) {
    // An all-zero column has median 0 in subtensor's search too (pivot 0, nothing to split).
    if (nonzeroCol[col] === 0) continue;
    median[col] = weightedMedian(st, scores, col * m, m, minority, stakeSum, parts);
  }
  return median;
}

/** The rows `rowOf` of `weights` into column-major `scores` (m = rowOf.length per column). */
function scatterColumns(
  weights: Sparse,
  rowOf: number[],
  scores: Float64Array,
  nonzeroCol: Uint8Array,
): void {
  const m = rowOf.length;
  const { ptr, cols, vals } = weights;
  for (let k = 0; k < m; k++) {
    const i = rowOf[k]!;
    for (let t = ptr[i]!; t < ptr[i + 1]!; t++) {
      const c = cols[t]!;
      const v = vals[t]!;
      scores[c * m + k] = v;
      if (v !== 0) nonzeroCol[c] = 1;
    }
  }
}

export interface Clipped {
  /** `col_clip_sparse(weights, consensus)` */
  clipped: Sparse;
  /** `row_sum_sparse(clipped)` (`ValidatorTrust`) */
  validatorTrust: Float64Array;
  /** `matmul_sparse(clipped, activeStake)` */
  ranks: Float64Array;
  /** `matmul_sparse(weights, activeStake)` */
  preranks: Float64Array;
  /**
   * If asked for: `row_hadamard_sparse(clipped, activeStake)` (values on `clipped`'s pattern) and
   * its column sums (which are `ranks`, the same array: read it, never write it) — the
   * products the ranks already take, kept for original Yuma's bonds.
   */
  weighted?: { vals: Float64Array; colSum: Float64Array };
}

/**
 * `col_clip_sparse` (entries above the column's consensus become it, dropped when it is ≤ 0),
 * fused with the row sums and both stake-weighted column sums that read the same entries.
 */
export function clipAndRank(
  weights: Sparse,
  consensus: Float64Array,
  activeStake: Float64Array,
  n: number,
  keepWeighted: boolean,
  scratch: Scratch = FRESH,
): Clipped {
  const { ptr, cols, vals } = weights;
  const outPtr = new Int32Array(n + 1);
  const outCols = scratch.i32Any(SLOT.clipped, cols.length);
  const outVals = scratch.f64Any(SLOT.clipped, cols.length);
  const wVals = scratch.f64Any(SLOT.weighted, keepWeighted ? cols.length : 0);
  const validatorTrust = new Float64Array(n);
  const ranks = new Float64Array(n);
  const preranks = new Float64Array(n);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const scale = activeStake[i]!;
    let rowSum = 0;
    for (let k = ptr[i]!; k < ptr[i + 1]!; k++) {
      const j = cols[k]!;
      const v = vals[k]!;
      const th = consensus[j]!;
      const c = Math.min(th, v); // branch-free: whether a weight is clipped is a coin flip
      if (c !== v && !(th > 0)) {
        if (scale !== 0) preranks[j] = preranks[j]! + mul(scale, v);
        continue;
      }
      outCols[p] = j;
      outVals[p] = c;
      rowSum += c;
      // mul(0, x) is exactly 0: rows without active stake add nothing to the column sums
      let sc = 0;
      if (scale !== 0) {
        sc = mul(scale, c);
        ranks[j] = ranks[j]! + sc;
        preranks[j] = preranks[j]! + mul(scale, v);
      }
      if (keepWeighted) wVals[p] = sc;
      p++;
    }
    validatorTrust[i] = rowSum;
    outPtr[i + 1] = p;
  }
  return {
    clipped: { ptr: outPtr, cols: outCols.subarray(0, p), vals: outVals.subarray(0, p) },
    validatorTrust,
    ranks,
    preranks,
    // the column sums of those products are the ranks themselves (the same sums, in order)
    ...(keepWeighted ? { weighted: { vals: wVals.subarray(0, p), colSum: ranks } } : {}),
  };
}
