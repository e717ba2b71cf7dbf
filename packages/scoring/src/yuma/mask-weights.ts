/**
 * Internal: the weight masks of `epoch_mechanism`, fused into one pass with the conversion to
 * I32F32 and `inplace_row_normalize_sparse`: rows of non-permitted validators, self-weights
 * (except the owner's), weights set before the target (re-)registered, and with commit-reveal,
 * weights committed before the target registered.
 */
import { divRecip, ONE, recip } from './fixed.js';
import { checkEntry, readU16Matrix, type Sparse } from './sparse.js';
import type { CsrU16, MatrixU16, SparseRowU16 } from './types.js';
import { type Scratch, SLOT } from './workspace.js';

export interface WeightMasks {
  permits: boolean[];
  ownerUid: number;
  lastUpdate: ArrayLike<number>;
  reg: ArrayLike<number>;
  commit: ArrayLike<number | undefined> | undefined;
}

/**
 * The masked, row-normalised weights. Typed CSR or chain-style rows with ascending columns
 * (what the chain reader, the localnet and the bench produce) are read and masked in one pass;
 * anything else is read by `readU16Matrix` (sorting rows, rejecting duplicates) and masked in
 * place.
 */
export function readMaskedWeights(
  w: MatrixU16,
  n: number,
  masks: WeightMasks,
  scratch: Scratch,
): Sparse {
  const csr = w as CsrU16;
  if (
    csr.indptr !== undefined &&
    csr.indices instanceof Uint16Array &&
    csr.values instanceof Uint16Array
  ) {
    const fused = maskTypedSorted(csr.indptr, csr.indices, csr.values, n, masks, scratch);
    if (fused !== undefined) return fused;
  } else if (csr.indptr === undefined) {
    const fused = maskRowsSorted(w as Rows, n, masks, scratch);
    if (fused !== undefined) return fused;
  }
  return maskWeights(readU16Matrix(w, n, 'weights', scratch, SLOT.weights), masks);
}

/** First weight-commit block of row i (∞ when there is none). */
function commitBlock(commit: WeightMasks['commit'], i: number): number {
  const cb = commit === undefined ? undefined : commit[i];
  return cb !== undefined && Number.isFinite(cb) ? cb : Number.POSITIVE_INFINITY;
}

/**
 * Masks typed CSR directly from the caller's arrays; `undefined` as soon as a row (kept columns
 * only, permitted or not) is not strictly ascending, so that unsorted rows and duplicates take
 * the general path with its sorting and its errors.
 */
function maskTypedSorted(
  indptr: ArrayLike<number>,
  indices: Uint16Array,
  values: Uint16Array,
  n: number,
  masks: WeightMasks,
  scratch: Scratch,
): Sparse | undefined {
  const { permits, ownerUid, lastUpdate, reg, commit } = masks;
  const avail = Math.min(n, indptr.length - 1);
  let cap = 0;
  for (let i = 0; i < avail; i++) if (permits[i]) cap += Math.max(0, indptr[i + 1]! - indptr[i]!);
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(SLOT.weights, cap);
  const vals = scratch.f64Any(SLOT.weights, cap);
  let p = 0;
  for (let i = 0; i < avail; i++) {
    const start = p;
    let prev = -1;
    if (!permits[i]) {
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
        const j = indices[k]!;
        if (j >= n) continue;
        if (j <= prev) return undefined;
        prev = j;
      }
      ptr[i + 1] = p;
      continue;
    }
    const lu = lastUpdate[i]!;
    const cb = commitBlock(commit, i);
    let rowSum = 0; // u16 units: exact integer sum
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      const j = indices[k]!;
      if (j >= n) continue;
      if (j <= prev) return undefined;
      prev = j;
      if (i === j && i !== ownerUid) continue;
      const r = reg[j]!;
      if (lu <= r || cb < r) continue;
      const v = values[k]!;
      cols[p] = j;
      vals[p++] = v;
      rowSum += v;
    }
    normaliseRow(vals, start, p, rowSum);
    ptr[i + 1] = p;
  }
  for (let i = avail; i < n; i++) ptr[i + 1] = p;
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}

type Rows = ReadonlyArray<SparseRowU16 | ArrayLike<number>>;

/**
 * {@link maskTypedSorted} for chain-style `[uid, value]` rows (the localnet's form), validating
 * every entry as the general reader does; `undefined` at the first unsorted or dense row (the
 * general reader then re-reads everything, so errors come out in the same order).
 */
function maskRowsSorted(
  rows: Rows,
  n: number,
  masks: WeightMasks,
  scratch: Scratch,
): Sparse | undefined {
  const { permits, ownerUid, lastUpdate, reg, commit } = masks;
  const avail = Math.min(n, rows.length);
  let cap = 0;
  for (let i = 0; i < avail; i++) if (permits[i]) cap += rows[i]?.length ?? 0;
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(SLOT.weights, cap);
  const vals = scratch.f64Any(SLOT.weights, cap);
  let p = 0;
  for (let i = 0; i < avail; i++) {
    const row = rows[i];
    if (row === undefined || row.length === 0) {
      ptr[i + 1] = p;
      continue;
    }
    if (typeof (row as ArrayLike<unknown>)[0] === 'number') return undefined;
    const sparse = row as SparseRowU16;
    const keep = permits[i];
    const start = p;
    const lu = lastUpdate[i]!;
    const cb = commitBlock(commit, i);
    let prev = -1;
    let rowSum = 0; // u16 units: exact integer sum
    for (let t = 0; t < sparse.length; t++) {
      const e = sparse[t]!;
      const j = e[0];
      const v = e[1];
      checkEntry('weights', i, j, v);
      if (j >= n) continue;
      if (j <= prev) return undefined;
      prev = j;
      if (!keep || (i === j && i !== ownerUid)) continue;
      const r = reg[j]!;
      if (lu <= r || cb < r) continue;
      cols[p] = j;
      vals[p++] = v;
      rowSum += v;
    }
    if (keep) normaliseRow(vals, start, p, rowSum);
    ptr[i + 1] = p;
  }
  for (let i = avail; i < n; i++) ptr[i + 1] = p;
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}

/** u16 values of one row → I32F32, divided by the row sum unless it is 0. */
function normaliseRow(vals: Float64Array, start: number, end: number, rowSum: number): void {
  const s = rowSum * ONE;
  if (s > 0) {
    const rs = recip(s);
    for (let k = start; k < end; k++) vals[k] = divRecip(vals[k]! * ONE, s, rs);
  } else {
    for (let k = start; k < end; k++) vals[k] = vals[k]! * ONE;
  }
}

/** The masks on raw u16 weights already read into CSR; compacts `w` in place (the epoch's copy). */
function maskWeights(w: Sparse, masks: WeightMasks): Sparse {
  const { permits, ownerUid, lastUpdate, reg, commit } = masks;
  const n = permits.length;
  const ptr = new Int32Array(n + 1);
  const { cols, vals } = w;
  let p = 0; // p never passes k
  for (let i = 0; i < n; i++) {
    if (permits[i]) {
      const start = p;
      const lu = lastUpdate[i]!;
      const cb = commitBlock(commit, i);
      let rowSum = 0; // u16 units: exact integer sum
      for (let k = w.ptr[i]!; k < w.ptr[i + 1]!; k++) {
        const j = cols[k]!;
        if (i === j && i !== ownerUid) continue;
        const r = reg[j]!;
        if (lu <= r || cb < r) continue;
        const v = vals[k]!;
        cols[p] = j;
        vals[p++] = v;
        rowSum += v;
      }
      normaliseRow(vals, start, p, rowSum);
    }
    ptr[i + 1] = p;
  }
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}
