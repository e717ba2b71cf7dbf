/**
 * Internal sparse-matrix helpers mirroring subtensor's `epoch/math.rs` sparse functions, on a
 * flat CSR layout (typed arrays, no per-entry objects). Values are I32F32 bits; columns are
 * ascending within each row, which is also the order subtensor's densify-then-scan steps emit.
 * All sums here are exact integer additions, so entry order never changes a result.
 */
import { ScoringError } from '../errors.js';
import { mul, u16ProportionTable } from './fixed.js';
import type { CsrU16, MatrixU16, SparseRowU16 } from './types.js';
import { FRESH, type Scratch, SLOT } from './workspace.js';

export interface Sparse {
  /** rows + 1 offsets */
  ptr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

export function rows(m: Sparse): number {
  return m.ptr.length - 1;
}

/** Growable CSR builder. */
class Builder {
  ptr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
  nnz = 0;
  row = 0;
  constructor(n: number, capacity: number) {
    this.ptr = new Int32Array(n + 1);
    this.cols = new Int32Array(Math.max(16, capacity));
    this.vals = new Float64Array(Math.max(16, capacity));
  }
  push(j: number, v: number): void {
    if (this.nnz === this.cols.length) {
      const c = new Int32Array(this.cols.length * 2);
      c.set(this.cols);
      this.cols = c;
      const f = new Float64Array(this.vals.length * 2);
      f.set(this.vals);
      this.vals = f;
    }
    this.cols[this.nnz] = j;
    this.vals[this.nnz++] = v;
  }
  endRow(): void {
    this.ptr[++this.row] = this.nnz;
  }
  done(): Sparse {
    return {
      ptr: this.ptr,
      cols: this.cols.subarray(0, this.nnz),
      vals: this.vals.subarray(0, this.nnz),
    };
  }
}

function isCsr(m: MatrixU16): m is CsrU16 {
  return (m as CsrU16).indptr !== undefined;
}

export function checkEntry(field: string, i: number, j: number, v: number): void {
  if (!Number.isInteger(j) || j < 0 || j > 65535) {
    throw new ScoringError('INVALID_UID', `${field}[${i}]: column ${j} is not a u16`, {
      details: { field: `${field}[${i}]` },
    });
  }
  if (!Number.isInteger(v) || v < 0 || v > 65535) {
    throw new ScoringError('OUT_OF_RANGE', `${field}[${i}][${j}]: value ${v} is not a u16`, {
      details: { field: `${field}[${i}][${j}]` },
    });
  }
}

/**
 * Reads a u16 matrix into CSR of raw u16 values (not yet fixed point), dropping rows and
 * columns ≥ n like `get_weights_sparse`, sorting columns and rejecting duplicates. Explicit
 * zeros in sparse/CSR input are kept (the chain stores them and Yuma 3 treats them as present);
 * dense rows cannot express them, so their zeros mean "absent".
 */
export function readU16Matrix(
  m: MatrixU16 | undefined,
  n: number,
  field: string,
  scratch: Scratch = FRESH,
  slot = 0,
): Sparse {
  const b = new Builder(n, 64);
  const rowC: number[] = [];
  const rowV: number[] = [];
  const flush = (i: number) => {
    let sorted = true;
    for (let k = 1; k < rowC.length; k++) if (rowC[k]! <= rowC[k - 1]!) sorted = false;
    if (sorted) {
      for (let k = 0; k < rowC.length; k++) b.push(rowC[k]!, rowV[k]!);
    } else {
      const order = rowC.map((_, k) => k).sort((x, y) => rowC[x]! - rowC[y]!);
      for (let k = 0; k < order.length; k++) {
        const c = rowC[order[k]!]!;
        if (k > 0 && c === rowC[order[k - 1]!]) {
          throw new ScoringError('INVALID_ARGUMENT', `${field}[${i}]: duplicate column ${c}`, {
            details: { field: `${field}[${i}]` },
          });
        }
        b.push(c, rowV[order[k]!]!);
      }
    }
    b.endRow();
    rowC.length = 0;
    rowV.length = 0;
  };
  if (m === undefined) {
    for (let i = 0; i < n; i++) b.endRow();
    return b.done();
  }
  if (isCsr(m) && m.indices instanceof Uint16Array && m.values instanceof Uint16Array) {
    return readTypedCsr(m.indptr, m.indices, m.values, n, field, scratch, slot);
  }
  if (isCsr(m)) {
    const avail = m.indptr.length - 1;
    for (let i = 0; i < n; i++) {
      if (i < avail) {
        for (let k = m.indptr[i]!; k < m.indptr[i + 1]!; k++) {
          const j = m.indices[k]!;
          const v = m.values[k]!;
          checkEntry(field, i, j, v);
          if (j < n) {
            rowC.push(j);
            rowV.push(v);
          }
        }
      }
      flush(i);
    }
    return b.done();
  }
  return readRows(m, n, field, scratch, slot);
}

type Rows = ReadonlyArray<SparseRowU16 | ArrayLike<number>>;

/**
 * Chain-style sparse rows or dense rows, sized in advance (one allocation, no growing builder)
 * and read with indexed loops; unsorted rows are sorted (and duplicates rejected) in place.
 */
function readRows(m: Rows, n: number, field: string, scratch: Scratch, slot: number): Sparse {
  let cap = 0;
  const avail = Math.min(n, m.length);
  for (let i = 0; i < avail; i++) cap += m[i]?.length ?? 0;
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(slot, cap);
  const vals = scratch.f64Any(slot, cap);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const row = i < avail ? m[i] : undefined;
    if (row !== undefined && row.length > 0) {
      const start = p;
      if (typeof (row as ArrayLike<unknown>)[0] === 'number') {
        const dense = row as ArrayLike<number>;
        const len = Math.min(n, dense.length);
        for (let j = 0; j < len; j++) {
          const v = dense[j]!;
          checkEntry(field, i, j, v);
          if (v !== 0) {
            cols[p] = j;
            vals[p++] = v;
          }
        }
      } else {
        const sparse = row as SparseRowU16;
        let sorted = true;
        for (let t = 0; t < sparse.length; t++) {
          const e = sparse[t]!;
          const j = e[0];
          const v = e[1];
          checkEntry(field, i, j, v);
          if (j < n) {
            if (p > start && j <= cols[p - 1]!) sorted = false;
            cols[p] = j;
            vals[p++] = v;
          }
        }
        if (!sorted) sortRow(cols, vals, start, p, field, i);
      }
    }
    ptr[i + 1] = p;
  }
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}

/** Fast path for CSR with typed u16 arrays: values are u16 by construction. */
function readTypedCsr(
  indptr: ArrayLike<number>,
  indices: Uint16Array,
  values: Uint16Array,
  n: number,
  field: string,
  scratch: Scratch,
  slot: number,
): Sparse {
  const avail = Math.min(n, indptr.length - 1);
  const ptr = new Int32Array(n + 1);
  let cap = 0; // an upper bound on the kept entries, from the offsets alone
  for (let i = 0; i < avail; i++) cap += Math.max(0, indptr[i + 1]! - indptr[i]!);
  const cols = scratch.i32Any(slot, cap);
  const vals = scratch.f64Any(slot, cap);
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (i < avail) {
      const start = p;
      let sorted = true;
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
        const j = indices[k]!;
        if (j >= n) continue;
        if (p > start && j <= cols[p - 1]!) sorted = false;
        cols[p] = j;
        vals[p++] = values[k]!;
      }
      if (!sorted) sortRow(cols, vals, start, p, field, i);
    }
    ptr[i + 1] = p;
  }
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}

function sortRow(
  cols: Int32Array,
  vals: Float64Array,
  start: number,
  end: number,
  field: string,
  i: number,
): void {
  const order = Array.from({ length: end - start }, (_, k) => start + k).sort(
    (x, y) => cols[x]! - cols[y]!,
  );
  const c = order.map((k) => cols[k]!);
  const v = order.map((k) => vals[k]!);
  for (let k = 0; k < c.length; k++) {
    if (k > 0 && c[k] === c[k - 1]) {
      throw new ScoringError('INVALID_ARGUMENT', `${field}[${i}]: duplicate column ${c[k]}`, {
        details: { field: `${field}[${i}]` },
      });
    }
    cols[start + k] = c[k]!;
    vals[start + k] = v[k]!;
  }
}

/** `interpolate_sparse`: a + ratio·(b − a) over the union of entries, keeping positives. */
export function interpolate(a: Sparse, b: Sparse, ratio: number): Sparse {
  if (ratio === 0) return a;
  if (ratio === 4294967296) return b;
  const n = rows(a);
  const out = new Builder(n, a.cols.length);
  for (let i = 0; i < n; i++) {
    let ka = a.ptr[i]!;
    let kb = b.ptr[i]!;
    const ea = a.ptr[i + 1]!;
    const eb = b.ptr[i + 1]!;
    while (ka < ea || kb < eb) {
      const ja = ka < ea ? a.cols[ka]! : Number.MAX_SAFE_INTEGER;
      const jb = kb < eb ? b.cols[kb]! : Number.MAX_SAFE_INTEGER;
      const j = Math.min(ja, jb);
      const v1 = ja === j ? a.vals[ka++]! : 0;
      const v2 = jb === j ? b.vals[kb++]! : 0;
      const x = v1 + mul(ratio, v2 - v1);
      if (x > 0) out.push(j, x);
    }
    out.endRow();
  }
  return out.done();
}

/** `row_hadamard_sparse`: row i scaled by vecᵢ; adds the column sums to `colSum` if given. */
export function rowHadamard(m: Sparse, vec: Float64Array, colSum?: Float64Array): Sparse {
  const n = rows(m);
  const vals = new Float64Array(m.vals.length);
  for (let i = 0; i < n; i++) {
    const scale = i < vec.length ? vec[i]! : 0;
    if (scale === 0) continue;
    for (let k = m.ptr[i]!; k < m.ptr[i + 1]!; k++) {
      const v = mul(m.vals[k]!, scale);
      vals[k] = v;
      if (colSum !== undefined) colSum[m.cols[k]!] = colSum[m.cols[k]!]! + v;
    }
  }
  return { ptr: m.ptr, cols: m.cols, vals };
}

/**
 * Drops entries whose column was registered at or after `lastTempo` (bond reset mask) and
 * converts the kept u16 values to I32F32: `u16Proportion` (Yuma 3) or the integer (original);
 * adds the column sums of the result to `colSum` if given.
 */
export function maskRecentColumns(
  m: Sparse,
  lastTempo: number,
  reg: ArrayLike<number>,
  asProportion: boolean,
  colSum?: Float64Array,
  scratch: Scratch = FRESH,
): Sparse {
  const n = rows(m);
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(SLOT.maskedBonds, m.cols.length);
  const vals = scratch.f64Any(SLOT.maskedBonds, m.cols.length);
  const table = asProportion ? u16ProportionTable() : undefined;
  const reset = new Uint8Array(n); // per column, once: registered at or after lastTempo
  for (let j = 0; j < n; j++) reset[j] = lastTempo <= (j < reg.length ? reg[j]! : 0) ? 1 : 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let k = m.ptr[i]!; k < m.ptr[i + 1]!; k++) {
      const j = m.cols[k]!;
      if (reset[j] === 1) continue;
      cols[p] = j;
      const v = table !== undefined ? table[m.vals[k]!]! : m.vals[k]! * 4294967296;
      vals[p++] = v;
      if (colSum !== undefined) colSum[j] = colSum[j]! + v;
    }
    ptr[i + 1] = p;
  }
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}

/**
 * `mat_ema_sparse`: α·new + (1−α)·old over the union of entries, keeping positives. Columns
 * ≥ number of rows are ignored like subtensor's square accumulator. Adds the column sums of the
 * result to `colSum` if given.
 */
export function emaSparse(
  next: Sparse,
  old: Sparse,
  alpha: number,
  colSum?: Float64Array,
  scratch: Scratch = FRESH,
): Sparse {
  const n = rows(next);
  const oneMinus = 4294967296 - alpha;
  const cap = next.cols.length + old.cols.length; // the union of the two patterns fits
  const ptr = new Int32Array(n + 1);
  const cols = scratch.i32Any(SLOT.ema, cap);
  const vals = scratch.f64Any(SLOT.ema, cap);
  let p = 0;
  for (let i = 0; i < n; i++) {
    let kn = next.ptr[i]!;
    let ko = i < rows(old) ? old.ptr[i]! : 0;
    const en = next.ptr[i + 1]!;
    const eo = i < rows(old) ? old.ptr[i + 1]! : 0;
    while (kn < en || ko < eo) {
      const jn = kn < en ? next.cols[kn]! : Number.MAX_SAFE_INTEGER;
      const jo = ko < eo ? old.cols[ko]! : Number.MAX_SAFE_INTEGER;
      const j = Math.min(jn, jo);
      let acc = 0;
      if (jn === j) acc += mul(alpha, next.vals[kn++]!);
      if (jo === j) acc += mul(oneMinus, old.vals[ko++]!);
      if (j < n && acc > 0) {
        cols[p] = j;
        vals[p++] = acc;
        if (colSum !== undefined) colSum[j] = colSum[j]! + acc;
      }
    }
    ptr[i + 1] = p;
  }
  return { ptr, cols: cols.subarray(0, p), vals: vals.subarray(0, p) };
}
