/**
 * Internal: bit-exact emulation of the few NumPy reductions the Python SDK's weight code uses.
 *
 * Values are always held in `Float64Array`s. In `float32` mode every arithmetic result is
 * rounded with `Math.fround`, which reproduces IEEE single precision exactly for `+ - * /`
 * (a double holds more than 2·24+2 bits, so rounding twice never differs from rounding once).
 */

/** Precision the Python SDK happens to compute in at a given step. */
export type NpDtype = 'float32' | 'float64';

const PW_BLOCKSIZE = 128;

/** `Math.fround` in float32 mode, identity in float64 mode. */
export function rounder(dtype: NpDtype): (x: number) => number {
  return dtype === 'float32' ? Math.fround : identity;
}

function identity(x: number): number {
  return x;
}

/**
 * `np.sum` of a contiguous 1-D array: NumPy's pairwise summation (8 accumulators for blocks of
 * at most 128 elements, recursive halving above), rounded per step in `dtype`.
 */
export function npSum(a: ArrayLike<number>, dtype: NpDtype): number {
  return pairwise(a, 0, a.length, rounder(dtype));
}

function pairwise(
  a: ArrayLike<number>,
  start: number,
  n: number,
  r: (x: number) => number,
): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = r(res + a[start + i]!);
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[start]!;
    let r1 = a[start + 1]!;
    let r2 = a[start + 2]!;
    let r3 = a[start + 3]!;
    let r4 = a[start + 4]!;
    let r5 = a[start + 5]!;
    let r6 = a[start + 6]!;
    let r7 = a[start + 7]!;
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const b = start + i;
      r0 = r(r0 + a[b]!);
      r1 = r(r1 + a[b + 1]!);
      r2 = r(r2 + a[b + 2]!);
      r3 = r(r3 + a[b + 3]!);
      r4 = r(r4 + a[b + 4]!);
      r5 = r(r5 + a[b + 5]!);
      r6 = r(r6 + a[b + 6]!);
      r7 = r(r7 + a[b + 7]!);
    }
    let res = r(r(r(r0 + r1) + r(r2 + r3)) + r(r(r4 + r5) + r(r6 + r7)));
    for (; i < n; i++) res = r(res + a[start + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return r(pairwise(a, start, n2, r) + pairwise(a, start + n2, n - n2, r));
}

/**
 * `np.quantile(a, q)` (method "linear") for a Python-float `q` on a float32/float64 array, as
 * NumPy 2.x computes it: the virtual index `(n−1)·q` is a double, the interpolation weight is a
 * "weak" Python float, so the lerp runs in the array's own precision.
 */
export function npQuantile(a: ArrayLike<number>, q: number, dtype: NpDtype): number {
  const n = a.length;
  const sorted = Float64Array.from(a).sort();
  const vi = (n - 1) * q;
  let prev = Math.floor(vi);
  let next = prev + 1;
  if (vi >= n - 1) {
    prev = n - 1;
    next = n - 1;
  } else if (vi < 0) {
    prev = 0;
    next = 0;
  }
  // gamma uses the index *after* the bounds fix-up, like NumPy (irrelevant when prev == next).
  const gammaPrev = vi >= n - 1 ? -1 : prev;
  const t = vi - gammaPrev;
  const r = rounder(dtype);
  const lo = sorted[prev]!;
  const hi = sorted[next]!;
  const diff = r(hi - lo);
  if (t >= 0.5) return r(hi - r(diff * r(1 - t)));
  return r(lo + r(diff * r(t)));
}
