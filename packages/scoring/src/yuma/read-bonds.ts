/**
 * Internal: the stored bonds as the epoch reads them — the bond reset mask (columns registered
 * at or after `lastTempo` lose their bonds) and the conversion to I32F32 (`u16Proportion` for
 * Yuma 3, the integer for original Yuma), plus the raw rows the epoch stores back unchanged.
 */
import { ONE, u16ProportionTable } from './fixed.js';
import { maskRecentColumns, readU16Matrix, type Sparse } from './sparse.js';
import type { CsrU16, MatrixU16 } from './types.js';
import { type Scratch, SLOT } from './workspace.js';

export interface ReadBonds {
  /** Masked and converted bonds. */
  bonds: Sparse;
  /** Their column sums (original Yuma only; zeros for Yuma 3). */
  colSum: Float64Array;
  /** Raw u16 rows (sorted, columns < n) at least for every uid without a permit. */
  raw: Sparse;
}

export function readBonds(
  m: MatrixU16 | undefined,
  n: number,
  lastTempo: number,
  reg: ArrayLike<number>,
  asProportion: boolean,
  permits: boolean[],
  scratch: Scratch,
): ReadBonds {
  const csr = m as CsrU16 | undefined;
  if (
    csr?.indptr !== undefined &&
    csr.indices instanceof Uint16Array &&
    csr.values instanceof Uint16Array
  ) {
    const typed = { indptr: csr.indptr, indices: csr.indices, values: csr.values };
    const fused = readTypedSorted(typed, n, lastTempo, reg, asProportion, permits, scratch);
    if (fused !== undefined) return fused;
  }
  const raw = readU16Matrix(m, n, 'bonds', scratch, SLOT.bonds);
  const colSum = new Float64Array(n);
  const bonds = maskRecentColumns(raw, lastTempo, reg, asProportion, colSum, scratch);
  return { bonds, colSum, raw };
}

/**
 * One pass over typed CSR straight from the caller's arrays; `undefined` as soon as a row (its
 * columns < n) is not strictly ascending, leaving unsorted rows and duplicates to the general
 * reader. `raw` then holds only the rows of uids without a permit.
 */
function readTypedSorted(
  m: { indptr: ArrayLike<number>; indices: Uint16Array; values: Uint16Array },
  n: number,
  lastTempo: number,
  reg: ArrayLike<number>,
  asProportion: boolean,
  permits: boolean[],
  scratch: Scratch,
): ReadBonds | undefined {
  const { indptr, indices, values } = m;
  const avail = Math.min(n, indptr.length - 1);
  let cap = 0;
  let rawCap = 0;
  for (let i = 0; i < avail; i++) {
    const len = Math.max(0, indptr[i + 1]! - indptr[i]!);
    cap += len;
    if (!permits[i]) rawCap += len;
  }
  const reset = new Uint8Array(n); // per column, once: registered at or after lastTempo
  for (let j = 0; j < n; j++) reset[j] = lastTempo <= (j < reg.length ? reg[j]! : 0) ? 1 : 0;
  const table = asProportion ? u16ProportionTable() : undefined;
  const scale = asProportion ? 0 : ONE;
  const colSum = new Float64Array(n);
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(SLOT.maskedBonds, cap);
  const vals = scratch.f64Any(SLOT.maskedBonds, cap);
  const rawPtr = new Int32Array(n + 1);
  const rawCols = new Int32Array(rawCap);
  const rawVals = new Float64Array(rawCap);
  let p = 0;
  let r = 0;
  for (let i = 0; i < avail; i++) {
    const keepRaw = !permits[i];
    let prev = -1;
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      const j = indices[k]!;
      if (j >= n) continue;
      if (j <= prev) return undefined;
      prev = j;
      const u = values[k]!;
      if (keepRaw) {
        rawCols[r] = j;
        rawVals[r++] = u;
      }
      if (reset[j] === 1) continue;
      const v = table !== undefined ? table[u]! : u * scale;
      cols[p] = j;
      vals[p++] = v;
      colSum[j] = colSum[j]! + v;
    }
    ptr[i + 1] = p;
    rawPtr[i + 1] = r;
  }
  for (let i = avail; i < n; i++) {
    ptr[i + 1] = p;
    rawPtr[i + 1] = r;
  }
  return {
    bonds: { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) },
    colSum,
    raw: { ptr: rawPtr, cols: rawCols.subarray(0, r), vals: rawVals.subarray(0, r) },
  };
}
