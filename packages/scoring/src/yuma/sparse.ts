/**
 * Internal sparse-matrix helpers mirroring subtensor's `epoch/math.rs` sparse functions.
 * A matrix is `n` rows of (column, I32F32 bits) pairs, columns ascending.
 */
import { ScoringError } from '../errors.js';
import { div, mul } from './fixed.js';
import type { CsrU16, MatrixU16 } from './types.js';

export interface Sparse {
  cols: Int32Array[];
  vals: Float64Array[];
}

const EMPTY_I = new Int32Array(0);
const EMPTY_F = new Float64Array(0);

export function emptySparse(n: number): Sparse {
  return { cols: new Array(n).fill(EMPTY_I), vals: new Array(n).fill(EMPTY_F) };
}

function isCsr(m: MatrixU16): m is CsrU16 {
  return (m as CsrU16).indptr !== undefined;
}

/**
 * Reads a u16 matrix into sparse rows of raw u16 values (not yet fixed point), dropping rows
 * and columns ≥ n like `get_weights_sparse`, sorting columns, rejecting duplicates/bad values.
 */
export function readU16Matrix(m: MatrixU16 | undefined, n: number, field: string): Sparse {
  const out = emptySparse(n);
  if (m === undefined) return out;
  const push = (i: number, cs: number[], vs: number[]) => {
    if (cs.length === 0) return;
    const order = cs.map((_, k) => k);
    let sorted = true;
    for (let k = 1; k < cs.length; k++) if (cs[k]! <= cs[k - 1]!) sorted = false;
    if (!sorted) order.sort((x, y) => cs[x]! - cs[y]!);
    const c = new Int32Array(cs.length);
    const v = new Float64Array(cs.length);
    for (let k = 0; k < order.length; k++) {
      c[k] = cs[order[k]!]!;
      v[k] = vs[order[k]!]!;
      if (k > 0 && c[k] === c[k - 1]) {
        throw new ScoringError('INVALID_ARGUMENT', `${field}[${i}]`, `duplicate column ${c[k]}`);
      }
    }
    out.cols[i] = c;
    out.vals[i] = v;
  };
  const check = (i: number, j: number, v: number) => {
    if (!Number.isInteger(j) || j < 0 || j > 65535) {
      throw new ScoringError('INVALID_UID', `${field}[${i}]`, `column ${j} is not a u16`);
    }
    if (!Number.isInteger(v) || v < 0 || v > 65535) {
      throw new ScoringError('OUT_OF_RANGE', `${field}[${i}][${j}]`, `value ${v} is not a u16`);
    }
  };
  if (isCsr(m)) {
    const rows = Math.min(n, m.indptr.length - 1);
    for (let i = 0; i < rows; i++) {
      const cs: number[] = [];
      const vs: number[] = [];
      for (let k = m.indptr[i]!; k < m.indptr[i + 1]!; k++) {
        const j = m.indices[k]!;
        const v = m.values[k]!;
        check(i, j, v);
        if (j < n) {
          cs.push(j);
          vs.push(v);
        }
      }
      push(i, cs, vs);
    }
    return out;
  }
  const rows = Math.min(n, m.length);
  for (let i = 0; i < rows; i++) {
    const row = m[i]!;
    const cs: number[] = [];
    const vs: number[] = [];
    if (row.length > 0 && typeof (row as ArrayLike<unknown>)[0] === 'number') {
      const dense = row as ArrayLike<number>;
      for (let j = 0; j < Math.min(n, dense.length); j++) {
        const v = dense[j]!;
        check(i, j, v);
        if (v !== 0) {
          cs.push(j);
          vs.push(v);
        }
      }
    } else {
      for (const pair of row as ReadonlyArray<readonly [number, number]>) {
        const [j, v] = pair;
        check(i, j, v);
        if (j < n) {
          cs.push(j);
          vs.push(v);
        }
      }
    }
    push(i, cs, vs);
  }
  return out;
}

/** Keeps entries for which `keep(i, j, value)` is true. */
export function filterSparse(
  m: Sparse,
  keep: (i: number, j: number, v: number) => boolean,
): Sparse {
  const n = m.cols.length;
  const out = emptySparse(n);
  for (let i = 0; i < n; i++) {
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    let cnt = 0;
    for (let k = 0; k < c.length; k++) if (keep(i, c[k]!, v[k]!)) cnt++;
    if (cnt === c.length) {
      out.cols[i] = c;
      out.vals[i] = v;
      continue;
    }
    const nc = new Int32Array(cnt);
    const nv = new Float64Array(cnt);
    let p = 0;
    for (let k = 0; k < c.length; k++) {
      if (keep(i, c[k]!, v[k]!)) {
        nc[p] = c[k]!;
        nv[p++] = v[k]!;
      }
    }
    out.cols[i] = nc;
    out.vals[i] = nv;
  }
  return out;
}

/** Applies `f` to every value (keeps the structure). */
export function mapSparse(m: Sparse, f: (v: number, i: number, j: number) => number): Sparse {
  const n = m.cols.length;
  const out = emptySparse(n);
  for (let i = 0; i < n; i++) {
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    const nv = new Float64Array(v.length);
    for (let k = 0; k < v.length; k++) nv[k] = f(v[k]!, i, c[k]!);
    out.cols[i] = c;
    out.vals[i] = nv;
  }
  return out;
}

/** `inplace_row_normalize_sparse` (returns a new matrix). */
export function rowNormalize(m: Sparse): Sparse {
  return mapRows(m, (v) => {
    let s = 0;
    for (let k = 0; k < v.length; k++) s += v[k]!;
    if (!(s > 0)) return v;
    const nv = new Float64Array(v.length);
    for (let k = 0; k < v.length; k++) nv[k] = div(v[k]!, s);
    return nv;
  });
}

function mapRows(m: Sparse, f: (v: Float64Array, i: number) => Float64Array): Sparse {
  const n = m.cols.length;
  const out = emptySparse(n);
  for (let i = 0; i < n; i++) {
    out.cols[i] = m.cols[i]!;
    out.vals[i] = f(m.vals[i]!, i);
  }
  return out;
}

/** `inplace_col_normalize_sparse` (returns a new matrix). */
export function colNormalize(m: Sparse, columns: number): Sparse {
  const colSum = new Float64Array(columns);
  const n = m.cols.length;
  for (let i = 0; i < n; i++) {
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    for (let k = 0; k < c.length; k++) {
      const j = c[k]!;
      colSum[j] = colSum[j]! + v[k]!;
    }
  }
  return mapSparse(m, (v, _i, j) => {
    const d = colSum[j]!;
    return d !== 0 ? div(v, d) : v;
  });
}

/** `inplace_col_max_upscale_sparse` (returns a new matrix). */
export function colMaxUpscale(m: Sparse, columns: number): Sparse {
  const colMax = new Float64Array(columns);
  const n = m.cols.length;
  for (let i = 0; i < n; i++) {
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    for (let k = 0; k < c.length; k++) if (colMax[c[k]!]! < v[k]!) colMax[c[k]!] = v[k]!;
  }
  return mapSparse(m, (v, _i, j) => {
    const d = colMax[j]!;
    return d !== 0 ? div(v, d) : v;
  });
}

/** `row_sum_sparse`. */
export function rowSum(m: Sparse): Float64Array {
  const n = m.cols.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = m.vals[i]!;
    let s = 0;
    for (let k = 0; k < v.length; k++) s += v[k]!;
    out[i] = s;
  }
  return out;
}

/** `matmul_sparse`: r_j = Σᵢ vecᵢ·mᵢⱼ. */
export function matmul(m: Sparse, vec: Float64Array, columns: number): Float64Array {
  const out = new Float64Array(columns);
  const n = m.cols.length;
  for (let i = 0; i < n; i++) {
    const scale = i < vec.length ? vec[i]! : 0;
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    if (scale === 0) continue; // mul(0, x) = 0 exactly
    for (let k = 0; k < c.length; k++) {
      const j = c[k]!;
      out[j] = out[j]! + mul(scale, v[k]!);
    }
  }
  return out;
}

/** `matmul_transpose_sparse`: r_i = Σⱼ vecⱼ·mᵢⱼ. */
export function matmulTranspose(m: Sparse, vec: Float64Array): Float64Array {
  const n = m.cols.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    let acc = 0;
    for (let k = 0; k < c.length; k++) {
      const j = c[k]!;
      acc += mul(j < vec.length ? vec[j]! : 0, v[k]!);
    }
    out[i] = acc;
  }
  return out;
}

/** `col_clip_sparse`: entries above the column threshold become the threshold (dropped if ≤ 0). */
export function colClip(m: Sparse, threshold: Float64Array): Sparse {
  const n = m.cols.length;
  const out = emptySparse(n);
  for (let i = 0; i < n; i++) {
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    const nc: number[] = [];
    const nv: number[] = [];
    for (let k = 0; k < c.length; k++) {
      const j = c[k]!;
      const th = j < threshold.length ? threshold[j]! : 0;
      if (th < v[k]!) {
        if (th > 0) {
          nc.push(j);
          nv.push(th);
        }
      } else {
        nc.push(j);
        nv.push(v[k]!);
      }
    }
    out.cols[i] = Int32Array.from(nc);
    out.vals[i] = Float64Array.from(nv);
  }
  return out;
}

/** `interpolate_sparse`: a + ratio·(b − a), keeping positive results. */
export function interpolate(a: Sparse, b: Sparse, columns: number, ratio: number): Sparse {
  if (ratio === 0) return a;
  if (ratio === 4294967296) return b;
  const n = a.cols.length;
  const out = emptySparse(n);
  const r1 = new Float64Array(columns);
  const r2 = new Float64Array(columns);
  for (let i = 0; i < n; i++) {
    r1.fill(0);
    r2.fill(0);
    const ca = a.cols[i]!;
    const va = a.vals[i]!;
    const cb = b.cols[i]!;
    const vb = b.vals[i]!;
    for (let k = 0; k < ca.length; k++) r1[ca[k]!] = va[k]!;
    for (let k = 0; k < cb.length; k++) r2[cb[k]!] = vb[k]!;
    const nc: number[] = [];
    const nv: number[] = [];
    for (let j = 0; j < columns; j++) {
      const v1 = r1[j]!;
      const v2 = r2[j]!;
      if (v1 === 0 && v2 === 0) continue;
      const x = v1 + mul(ratio, v2 - v1);
      if (x > 0) {
        nc.push(j);
        nv.push(x);
      }
    }
    out.cols[i] = Int32Array.from(nc);
    out.vals[i] = Float64Array.from(nv);
  }
  return out;
}

/** `row_hadamard_sparse`: row i scaled by vecᵢ. */
export function rowHadamard(m: Sparse, vec: Float64Array): Sparse {
  return mapSparse(m, (v, i) => mul(v, i < vec.length ? vec[i]! : 0));
}

/** `mat_ema_sparse`: α·new + (1−α)·old, keeping positive entries. */
export function emaSparse(next: Sparse, old: Sparse, alpha: number): Sparse {
  const n = next.cols.length;
  const oneMinus = 4294967296 - alpha;
  const out = emptySparse(n);
  const acc = new Float64Array(n);
  const touched = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const cn = next.cols[i]!;
    const vn = next.vals[i]!;
    const co = old.cols[i]!;
    const vo = old.vals[i]!;
    for (let k = 0; k < cn.length; k++) {
      const j = cn[k]!;
      if (j >= n) continue;
      acc[j] = acc[j]! + mul(alpha, vn[k]!);
      touched[j] = 1;
    }
    for (let k = 0; k < co.length; k++) {
      const j = co[k]!;
      if (j >= n) continue;
      acc[j] = acc[j]! + mul(oneMinus, vo[k]!);
      touched[j] = 1;
    }
    const nc: number[] = [];
    const nv: number[] = [];
    for (let j = 0; j < n; j++) {
      if (touched[j] === 0) continue;
      if (acc[j]! > 0) {
        nc.push(j);
        nv.push(acc[j]!);
      }
      acc[j] = 0;
      touched[j] = 0;
    }
    out.cols[i] = Int32Array.from(nc);
    out.vals[i] = Float64Array.from(nv);
  }
  return out;
}

/**
 * `mat_ema_alpha_sparse` (liquid alpha): per entry `min(1, (1−αᵢⱼ)·old + max(0, αᵢⱼ·new))`.
 * As in subtensor, only columns present in `next` are emitted.
 */
export function emaAlphaSparse(
  next: Sparse,
  old: Sparse,
  alpha: (i: number, j: number) => number,
  columns: number,
): Sparse {
  const n = next.cols.length;
  const out = emptySparse(n);
  const decayed = new Float64Array(columns);
  const ONE = 4294967296;
  for (let i = 0; i < n; i++) {
    const co = old.cols[i]!;
    const vo = old.vals[i]!;
    for (let k = 0; k < co.length; k++) {
      const j = co[k]!;
      if (j < columns) decayed[j] = mul(ONE - alpha(i, j), vo[k]!);
    }
    const cn = next.cols[i]!;
    const vn = next.vals[i]!;
    const nc: number[] = [];
    const nv: number[] = [];
    for (let k = 0; k < cn.length; k++) {
      const j = cn[k]!;
      if (j >= columns) continue;
      const inc = Math.max(0, mul(alpha(i, j), vn[k]!));
      const val = Math.min(ONE, decayed[j]! + inc);
      if (val > 0) {
        nc.push(j);
        nv.push(val);
      }
    }
    for (let k = 0; k < co.length; k++) if (co[k]! < columns) decayed[co[k]!] = 0;
    out.cols[i] = Int32Array.from(nc);
    out.vals[i] = Float64Array.from(nv);
  }
  return out;
}

/** `mat_vec_mul_sparse`: mᵢⱼ·vecⱼ, keeping non-zero products. */
export function matVecMul(m: Sparse, vec: Float64Array): Sparse {
  const mapped = mapSparse(m, (v, _i, j) => (j < vec.length ? mul(v, vec[j]!) : 0));
  return filterSparse(mapped, (_i, _j, v) => v !== 0);
}
