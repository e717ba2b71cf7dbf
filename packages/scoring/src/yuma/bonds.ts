/**
 * Internal: the bonds and dividends block of `epoch_mechanism` — original Yuma (EMA of
 * column-normalised W∘S) and Yuma 3 (EMA on u16-proportion bonds, optionally with liquid alpha).
 * Every step is subtensor's sparse function; steps that only feed the next one are fused.
 */
import { divRecip, expSafeBatch, mul, normalizeInPlace, ONE, recip } from './fixed.js';
import { alphaFromExp, type LiquidAlpha, sigmoidInput } from './liquid-alpha.js';
import { emaSparse, rowHadamard, type Sparse } from './sparse.js';
import { FRESH, type Scratch, SLOT } from './workspace.js';

export interface BondsInput {
  /** Clipped weights interpolated by the bonds penalty (`weights_for_bonds`). */
  weightsForBonds: Sparse;
  /** `row_hadamard_sparse(weightsForBonds, activeStake)` if already at hand, with its column sums. */
  weighted?: Sparse;
  weightedSum?: Float64Array;
  /** Stored bonds after the reset mask, in I32F32 (see `readBonds`). */
  bonds: Sparse;
  /** Their column sums (original Yuma). */
  bondSum: Float64Array;
  activeStake: Float64Array;
  incentive: Float64Array;
  consensus: Float64Array;
  /** EMA α (I32F32) of `compute_ema_bonds_normal_sparse`. */
  alpha: number;
  n: number;
}

export interface BondsResult {
  /** Normalised dividends. */
  dividends: Float64Array;
  /** The EMA bonds; the chain stores them divided by `colMax` where given. */
  stored: Sparse;
  /**
   * Original Yuma: the column maxima of `stored` for `inplace_col_max_upscale_sparse`, which the
   * epoch applies while writing the bonds out (one pass instead of two).
   */
  colMax?: Float64Array;
}

/** Original Yuma: ΔB = colnorm(W∘S), B = colnorm(EMA(ΔB, colnorm(B_old))), D = B·I. */
export function originalYumaBonds(x: BondsInput, scratch: Scratch = FRESH): BondsResult {
  const { n } = x;
  // each step accumulates the column sums of its result for the col_normalize that follows
  const { bonds, bondSum } = x;
  let delta = x.weighted;
  let deltaSum = x.weightedSum;
  if (delta === undefined || deltaSum === undefined) {
    deltaSum = new Float64Array(n);
    delta = rowHadamard(x.weightsForBonds, x.activeStake, deltaSum);
  }
  const colSum = new Float64Array(n);
  const ema = emaOfNormalised(delta, deltaSum, bonds, bondSum, x.alpha, colSum, scratch);
  const dividends = normaliseAndDividends(ema, colSum, x.incentive);
  normalizeInPlace(dividends);
  return { dividends, stored: ema, colMax: colSum };
}

/**
 * Yuma 3: B = EMA(W, B_old) on proportions (per-entry α with liquid alpha), dividends
 * Dᵢ = Sᵢ·Σⱼ colnorm(B)ᵢⱼ·Iⱼ, normalised.
 */
export function yuma3Bonds(
  x: BondsInput,
  liquid: LiquidAlpha | undefined,
  scratch: Scratch = FRESH,
): BondsResult {
  const { n, bonds } = x;
  const ema =
    liquid !== undefined
      ? emaLiquidAlpha(x.weightsForBonds, bonds, x.consensus, liquid, n, scratch)
      : emaSparse(x.weightsForBonds, bonds, x.alpha, undefined, scratch);
  const dividends = yuma3Dividends(ema, x.incentive, x.activeStake);
  normalizeInPlace(dividends);
  return { dividends, stored: ema };
}

/** Dᵢ = Sᵢ·Σⱼ colnorm(B)ᵢⱼ·Iⱼ: `mat_vec_mul_sparse` then `row_sum_sparse`, materialising neither. */
function yuma3Dividends(ema: Sparse, incentive: Float64Array, stake: Float64Array): Float64Array {
  const { ptr, cols, vals } = ema;
  const n = ptr.length - 1;
  const colSum = new Float64Array(n);
  for (let k = 0; k < cols.length; k++) colSum[cols[k]!] = colSum[cols[k]!]! + vals[k]!;
  const inv = reciprocals(colSum);
  const dividends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = ptr[i]!; k < ptr[i + 1]!; k++) {
      const j = cols[k]!;
      const d = colSum[j]!;
      acc += mul(d !== 0 ? divRecip(vals[k]!, d, inv[j]!) : vals[k]!, incentive[j]!);
    }
    dividends[i] = mul(acc, stake[i]!);
  }
  return dividends;
}

/**
 * `mat_ema_alpha_sparse` with `compute_liquid_alpha_values`' α per entry:
 * `min(1, (1−αᵢⱼ)·old + max(0, αᵢⱼ·new))`, emitted only for the columns present in `next`.
 * Three passes (each its own function): the sigmoid inputs, their `exp_safe` as one batch, the
 * EMA.
 */
function emaLiquidAlpha(
  next: Sparse,
  old: Sparse,
  consensus: Float64Array,
  liquid: LiquidAlpha,
  columns: number,
  scratch: Scratch,
): Sparse {
  const nnz = next.cols.length;
  const oldVal = scratch.f64(SLOT.oldBonds, nnz); // the old bond at each entry of `next` (0: none)
  const hasOld = new Uint8Array(nnz);
  const e = scratch.f64(SLOT.sigmoid, nnz);
  sigmoidInputs(next, old, consensus, liquid, columns, oldVal, hasOld, e);
  expSafeBatch(e);
  return emaWithAlphas(next, e, oldVal, hasOld, liquid, columns, scratch);
}

function sigmoidInputs(
  next: Sparse,
  old: Sparse,
  consensus: Float64Array,
  liquid: LiquidAlpha,
  columns: number,
  oldVal: Float64Array,
  hasOld: Uint8Array,
  e: Float64Array,
): void {
  const n = next.ptr.length - 1;
  for (let i = 0; i < n; i++) {
    let ko = old.ptr[i]!;
    const eo = old.ptr[i + 1]!;
    for (let kn = next.ptr[i]!; kn < next.ptr[i + 1]!; kn++) {
      const j = next.cols[kn]!;
      if (j >= columns) continue;
      while (ko < eo && old.cols[ko]! < j) ko++;
      if (ko < eo && old.cols[ko] === j) {
        oldVal[kn] = old.vals[ko]!;
        hasOld[kn] = 1;
      }
      e[kn] = sigmoidInput(consensus[j]!, next.vals[kn]!, oldVal[kn]!, liquid);
    }
  }
}

function emaWithAlphas(
  next: Sparse,
  e: Float64Array,
  oldVal: Float64Array,
  hasOld: Uint8Array,
  liquid: LiquidAlpha,
  columns: number,
  scratch: Scratch,
): Sparse {
  const n = next.ptr.length - 1;
  const nnz = next.cols.length;
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(SLOT.ema, nnz);
  const vals = scratch.f64Any(SLOT.ema, nnz);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let kn = next.ptr[i]!; kn < next.ptr[i + 1]!; kn++) {
      const j = next.cols[kn]!;
      if (j >= columns) continue;
      const a = alphaFromExp(e[kn]!, liquid);
      const decayed = hasOld[kn] === 1 ? mul(ONE - a, oldVal[kn]!) : 0;
      const inc = Math.max(0, mul(a, next.vals[kn]!));
      const val = Math.min(ONE, decayed + inc);
      if (val > 0) {
        cols[p] = j;
        vals[p++] = val;
      }
    }
    ptr[i + 1] = p;
  }
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}

export function reciprocals(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) out[j] = recip(x[j]!);
  return out;
}

/**
 * `mat_ema_sparse(col_normalize(next), col_normalize(old), α)` with both normalisations done
 * on the fly (each entry divided by its column sum, unless that is 0); adds the column sums of
 * the result to `colSum`.
 */
function emaOfNormalised(
  next: Sparse,
  nextSum: Float64Array,
  old: Sparse,
  oldSum: Float64Array,
  alpha: number,
  colSum: Float64Array,
  scratch: Scratch,
): Sparse {
  const n = next.ptr.length - 1;
  const oneMinus = ONE - alpha;
  const nextInv = reciprocals(nextSum);
  const oldInv = reciprocals(oldSum);
  const cap = next.cols.length + old.cols.length; // the union of the two patterns fits
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(SLOT.ema, cap);
  const vals = scratch.f64Any(SLOT.ema, cap);
  let p = 0;
  for (let i = 0; i < n; i++) {
    let kn = next.ptr[i]!;
    let ko = old.ptr[i]!;
    const en = next.ptr[i + 1]!;
    const eo = old.ptr[i + 1]!;
    while (kn < en || ko < eo) {
      const jn = kn < en ? next.cols[kn]! : Number.MAX_SAFE_INTEGER;
      const jo = ko < eo ? old.cols[ko]! : Number.MAX_SAFE_INTEGER;
      const j = Math.min(jn, jo);
      let acc = 0;
      if (jn === j) {
        const d = nextSum[j]!;
        const v = next.vals[kn++]!;
        acc += mul(alpha, d !== 0 ? divRecip(v, d, nextInv[j]!) : v);
      }
      if (jo === j) {
        const d = oldSum[j]!;
        const v = old.vals[ko++]!;
        acc += mul(oneMinus, d !== 0 ? divRecip(v, d, oldInv[j]!) : v);
      }
      if (j < n && acc > 0) {
        cols[p] = j;
        vals[p++] = acc;
        colSum[j] = colSum[j]! + acc;
      }
    }
    ptr[i + 1] = p;
  }
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}

/**
 * `col_normalize(ema)` in place and D = `matmul_transpose(ema, I)` in one pass; leaves the
 * column maxima of the normalised ema in `colSum` (for the max-upscale that follows).
 * Each hot loop is its own small function so the engine inlines the fixed-point helpers in it.
 */
function normaliseAndDividends(
  ema: Sparse,
  colSum: Float64Array,
  incentive: Float64Array,
): Float64Array {
  const { ptr, cols, vals } = ema;
  const n = ptr.length - 1;
  const inv = reciprocals(colSum);
  const colMax = new Float64Array(colSum.length);
  const dividends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = ptr[i]!; k < ptr[i + 1]!; k++) {
      const j = cols[k]!;
      const d = colSum[j]!;
      const v = d !== 0 ? divRecip(vals[k]!, d, inv[j]!) : vals[k]!;
      vals[k] = v;
      if (colMax[j]! < v) colMax[j] = v;
      acc += mul(incentive[j]!, v);
    }
    dividends[i] = acc;
  }
  colSum.set(colMax);
  return dividends;
}
