/**
 * Internal: subtensor's stake-weighted median (`weighted_median` / `weighted_median_col_sparse`),
 * reproduced step for step — the mid-index pivot, the order-preserving lower/upper split and
 * the `minority` test decide ties exactly as the chain does. All values are I32F32 bits.
 */

/** Scratch buffers reused across columns (three rotating index partitions). */
export class MedianScratch {
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  constructor(m: number) {
    this.a = new Int32Array(m);
    this.b = new Int32Array(m);
    this.c = new Int32Array(m);
  }
}

/**
 * Median of `score[off .. off+m)` weighted by `stake[0..m)`: the first partition search over
 * indices `0..m-1` with `[lo, hi] = [0, stakeSum]`.
 */
export function weightedMedian(
  stake: Float64Array,
  score: Float64Array,
  off: number,
  m: number,
  minority: number,
  stakeSum: number,
  scratch: MedianScratch,
): number {
  let cur = scratch.a; // the current partition's indices (all of 0..m-1 before the first split)
  let lower = scratch.b;
  let upper = scratch.c;
  let n = m;
  let all = true;
  let partitionLo = 0;
  let partitionHi = stakeSum;
  let iterations = 0;
  for (;;) {
    if (n === 0) return 0;
    if (n === 1) return score[off + (all ? 0 : cur[0]!)]!;
    const pivot = score[off + (all ? n >> 1 : cur[n >> 1]!)]!;
    let loStake = 0;
    let hiStake = 0;
    let nl = 0;
    let nu = 0;
    // Branch-free split (which side a score falls is a coin flip for the branch predictor):
    // every index is written to both sides and only the side it belongs to advances.
    if (all) {
      for (let idx = 0; idx < n; idx++) {
        const s = score[off + idx]!;
        const st = stake[idx]!;
        const lt = +(s < pivot);
        const gt = +(s > pivot);
        lower[nl] = idx;
        upper[nu] = idx;
        nl += lt;
        nu += gt;
        loStake += st * lt;
        hiStake += st * gt;
      }
      all = false;
    } else {
      for (let k = 0; k < n; k++) {
        const idx = cur[k]!;
        const s = score[off + idx]!;
        const st = stake[idx]!;
        const lt = +(s < pivot);
        const gt = +(s > pivot);
        lower[nl] = idx;
        upper[nu] = idx;
        nl += lt;
        nu += gt;
        loStake += st * lt;
        hiStake += st * gt;
      }
    }
    if (minority < partitionLo + loStake && nl > 0) {
      partitionHi = partitionLo + loStake;
      const t = cur;
      cur = lower;
      lower = t;
      n = nl;
    } else if (partitionHi - hiStake <= minority && nu > 0) {
      partitionLo = partitionHi - hiStake;
      const t = cur;
      cur = upper;
      upper = t;
      n = nu;
    } else {
      return pivot;
    }
    iterations++;
    if (iterations > m) return 0;
  }
}
