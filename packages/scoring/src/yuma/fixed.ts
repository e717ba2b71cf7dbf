/**
 * Internal: subtensor's `I32F32` fixed-point arithmetic (substrate-fixed 0.6) on plain numbers.
 *
 * A value `v` is carried as its raw bits `v·2³²` in a JS number. Additions of such integers are
 * exact while |bits| < 2⁵³ (|v| < 2²¹ ≈ 2 M), which covers everything Yuma touches except raw u16
 * weight sums — and those are integer-valued (multiples of 2³²), so they are exact up to 2⁵³·2³²
 * anyway. Products and quotients use split-integer arithmetic, and fall back to BigInt whenever a
 * double might have rounded, so every operation returns exactly the bits subtensor computes:
 *
 * - `mul`: `(a·b) >> 32` — arithmetic shift, i.e. rounds toward −∞;
 * - `div`: `(a << 32) / b` — integer division, rounds toward zero; `safe_div` turns division by
 *   zero (and overflow) into 0;
 * - conversions to integers (`to_num::<u16/u64>`) floor and saturate.
 */

export const ONE = 4294967296; // 1.0 in I32F32 bits
const TWO20 = 1048576;
const TWO26 = 67108864;
const TWO33 = 8589934592;
const TWO48 = 281474976710656;
const TWO32 = 4294967296;
const TWO53 = 9007199254740992;
const TWO52 = 4503599627370496;
/** Bound on a double product's or quotient's relative error (2⁻⁵³), with margin. */
const TOL1 = 2.3e-16;
/** Two roundings (the reciprocal and the product), with margin. */
const TOL2 = 4.5e-16;
const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter
const B32 = 32n;
const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;

/** I32F32 bits of an integer. */
export function fromInt(v: number): number {
  return v * TWO32;
}

/** Exact floor((a·b) / 2³²) for integers a, b (I32F32 `saturating_mul`). */
export function mul(a: number, b: number): number {
  const p = a * b;
  if (p < TWO53 && p > -TWO53) return Math.floor(p / TWO32) + 0; // + 0 folds −0 into 0
  // The double product is within one rounding (relative 2⁻⁵³) of a·b, so when its quotient is
  // not within that error of an integer, its floor is the exact floor.
  const q = p / TWO32;
  const t = Math.floor(q);
  const f = q - t;
  const tol = (q < 0 ? -q : q) * TOL1;
  if (f > tol && f < 1 - tol) return t;
  return mulExact(a, b);
}

function mulExact(a: number, b: number): number {
  const neg = a < 0 !== b < 0;
  const A = a < 0 ? -a : a;
  const B = b < 0 ? -b : b;
  if (A < TWO48 && B < TWO48) {
    // Split both into 26-bit limbs: A·B = h·2^52 + mid·2^26 + l, every partial product exact.
    const a1 = Math.floor(A / TWO26);
    const a0 = A - a1 * TWO26;
    const b1 = Math.floor(B / TWO26);
    const b0 = B - b1 * TWO26;
    const h = a1 * b1;
    if (h < TWO33) {
      const mid = a1 * b0 + a0 * b1; // < 2^49
      const m1 = Math.floor(mid / 64);
      const low = (mid - m1 * 64) * TWO26 + a0 * b0; // < 2^53
      const lowQ = Math.floor(low / TWO32);
      const q = h * TWO20 + m1 + lowQ; // < 2^53
      if (!neg) return q;
      return low - lowQ * TWO32 === 0 ? 0 - q : -q - 1;
    }
  }
  return Number(clampI64((BigInt(a) * BigInt(b)) >> B32));
}

/**
 * I32F32 `safe_div`: trunc((a << 32) / b); 0 when b is 0 or the quotient overflows i64.
 * Fast path: the double quotient (one rounding) when it is not within its error of an integer;
 * near an integer (exact quotients such as x/x) the remainder decides, BigInt only beyond 2⁵².
 */
export function div(a: number, b: number): number {
  if (b === 0) return 0;
  const q = (a * TWO32) / b; // a·2^32 is exact (power-of-two scaling)
  const aq = q < 0 ? -q : q;
  const t = Math.trunc(q);
  const f = aq - (t < 0 ? -t : t);
  const tol = aq * TOL1;
  if (f > tol && f < 1 - tol) return t + 0;
  return divSlow(a, b, q); // out of line: keeps `div` small enough to inline everywhere
}

function divSlow(a: number, b: number, q: number): number {
  const aq = q < 0 ? -q : q;
  if (a >= 0 && b > 0 && aq < TWO52 && a < TWO53 && b < TWO53) return divNearInteger(a, b, q);
  const big = (BigInt(a) << B32) / BigInt(b);
  if (big > I64_MAX || big < I64_MIN) return 0;
  return Number(big);
}

/** `recip(b)` = 2³²/b, for {@link divRecip} (one rounding; b ≠ 0). */
export function recip(b: number): number {
  return TWO32 / b;
}

/**
 * `div(a, b)` given `rb = recip(b)`: a multiply instead of a division (a column or row divides
 * all its entries by one sum). The estimate a·rb carries two roundings; near an integer it
 * defers to `div`.
 */
export function divRecip(a: number, b: number, rb: number): number {
  const q = a * rb;
  const aq = q < 0 ? -q : q;
  const t = Math.trunc(q);
  const f = aq - (t < 0 ? -t : t);
  const tol = aq * TOL2;
  if (f > tol && f < 1 - tol) return t + 0;
  return div(a, b);
}

/**
 * floor(a·2³² / b) for 0 ≤ a, 0 < b < 2⁵³ when the double quotient q is within rounding of an
 * integer: the exact remainder a·2³² − t·b (Veltkamp/Dekker two-product, no BigInt) picks t−1,
 * t or t+1.
 */
function divNearInteger(a: number, b: number, q: number): number {
  const t = Math.round(q);
  // t·b = p + e exactly (Dekker's two-product on 26/27-bit halves of integers < 2^53)
  const p = t * b;
  const tc = SPLIT * t;
  const th = tc - (tc - t);
  const tl = t - th;
  const bc = SPLIT * b;
  const bh = bc - (bc - b);
  const bl = b - bh;
  const e = th * bh - p + th * bl + tl * bh + tl * bl;
  // a·2^32 and p agree to a few ulps, so their difference is exact (Sterbenz); so is r.
  const r = a * TWO32 - p - e;
  if (r < 0) return t - 1;
  if (r >= b) return t + 1;
  return t;
}

function clampI64(x: bigint): bigint {
  return x > I64_MAX ? I64_MAX : x < I64_MIN ? I64_MIN : x;
}

/** `I32F32::from_num(u16) / 65535` (u16_proportion_to_fixed). */
export function u16Proportion(x: number): number {
  return div(x * TWO32, 65535 * TWO32);
}

let U16_PROPORTIONS: Float64Array | undefined;

/** `u16Proportion` of every u16 (computed once, 512 KiB): a lookup per stored bond. */
export function u16ProportionTable(): Float64Array {
  if (U16_PROPORTIONS === undefined) {
    const t = new Float64Array(65536);
    for (let v = 0; v < 65536; v++) t[v] = u16Proportion(v);
    U16_PROPORTIONS = t;
  }
  return U16_PROPORTIONS;
}

/** `fixed_proportion_to_u16`: floor(x·65535) saturated to [0, 65535]. */
export function toU16Proportion(bits: number): number {
  const v = Math.floor((bits * 65535) / TWO32); // bits·65535 is an exact integer product here
  const exact = bits < 137438953472 ? v : Number((BigInt(bits) * 65535n) >> B32);
  return exact < 0 ? 0 : Math.min(exact, 65535);
}

/** Bits → float (exact: a double holds the 53 significant bits we use). */
export function toFloat(bits: number): number {
  return bits / TWO32;
}

/** Sum of bits (exact integer addition). */
export function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

/** `inplace_normalize`: divide by the sum unless it is zero. */
export function normalizeInPlace(x: Float64Array): void {
  const s = sum(x);
  if (s === 0) return;
  for (let i = 0; i < x.length; i++) x[i] = div(x[i]!, s);
}

const ONE_B = 1n << B32;
const E_BITS = 22802600 * 512; // substrate-fixed's E constant is I9F23, widened to I32F32
const EXP_CACHE = new Map<number, number>();
/** 1 / (i·2³²) for the Taylor steps. */
const INV_I_TWO32 = Float64Array.from({ length: 32 }, (_, i) => 1 / (i * TWO32));
/** Three roundings (two products and the reciprocal), with margin. */
const TOL3 = 4e-16;

/**
 * `exp_safe`: substrate-fixed's Taylor-series `exp` (31 terms, each `term = term·x / i` in
 * I32F32) on the input clamped to [−20, 20]; a negative input is computed as `1 / exp(|x|)`.
 * Inputs beyond ±8 take an exact BigInt path (memoised); smaller ones an exact double path.
 */
export function expSafe(x: number): number {
  const lo = -20 * TWO32;
  const hi = 20 * TWO32;
  const input = Math.max(lo, Math.min(hi, x));
  if (input >= -8 * TWO32 && input <= 8 * TWO32) return expFixed(input);
  const cached = EXP_CACHE.get(input);
  if (cached !== undefined) return cached;
  const out = expFixed(input);
  if (EXP_CACHE.size > 10_000) EXP_CACHE.clear();
  EXP_CACHE.set(input, out);
  return out;
}

/**
 * One Taylor step for 0 < term, op with term·op < 2^80: floor(floor(term·op / 2^32) / i), the two
 * truncations of `mul` then the division by the integer i, which are one floor of
 * term·op/(i·2^32); the double estimate gives it whenever it is not within its three roundings of
 * an integer (term 0 stays 0).
 */
function taylorStep(term: number, op: number, i: number): number {
  const q = term * (op * INV_I_TWO32[i]!); // op·inv is off the term's dependency chain
  const next = Math.floor(q);
  const f = q - next;
  const tol = q * TOL3;
  if (f > tol && f < 1 - tol) return next;
  return q === 0 ? 0 : Math.floor(mul(term, op) / i);
}

/**
 * `exp_safe` of every `xs[k]`, written back in place; the same bits as {@link expSafe}. The
 * Taylor series of four inputs run side by side, so the processor overlaps their dependency
 * chains (one series is ~30 dependent multiply-floor steps). A step whose double estimate is
 * within its rounding error of an integer (see `taylorStep`) sends its four inputs to the scalar
 * path, which settles such steps exactly.
 */
export function expSafeBatch(xs: Float64Array): void {
  // A run of one input is computed once: in liquid alpha every bond at or below its weight (and
  // that weight at or below consensus) has the same sigmoid input.
  const len = xs.length;
  const firsts = new Float64Array(len);
  let m = 0;
  for (let k = 0; k < len; k++) if (k === 0 || xs[k] !== xs[k - 1]) firsts[m++] = xs[k]!;
  const distinct = firsts.subarray(0, m);
  expSeries4(distinct);
  let p = -1;
  let prev = 0;
  for (let k = 0; k < len; k++) {
    const x = xs[k]!;
    if (k === 0 || x !== prev) p++;
    prev = x;
    xs[k] = distinct[p]!;
  }
}

/** `exp_safe` in place, four Taylor series side by side (see {@link expSafeBatch}). */
function expSeries4(xs: Float64Array): void {
  const len = xs.length;
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const x0 = xs[k]!;
    const x1 = xs[k + 1]!;
    const x2 = xs[k + 2]!;
    const x3 = xs[k + 3]!;
    let ok = taylorFast(x0) && taylorFast(x1) && taylorFast(x2) && taylorFast(x3);
    const o0 = x0 < 0 ? -x0 : x0;
    const o1 = x1 < 0 ? -x1 : x1;
    const o2 = x2 < 0 ? -x2 : x2;
    const o3 = x3 < 0 ? -x3 : x3;
    let t0 = o0;
    let t1 = o1;
    let t2 = o2;
    let t3 = o3;
    let r0 = o0 + ONE;
    let r1 = o1 + ONE;
    let r2 = o2 + ONE;
    let r3 = o3 + ONE;
    for (let i = 2; ok && i < 32; i++) {
      const v = INV_I_TWO32[i]!;
      const q0 = t0 * (o0 * v);
      const q1 = t1 * (o1 * v);
      const q2 = t2 * (o2 * v);
      const q3 = t3 * (o3 * v);
      t0 = Math.floor(q0);
      t1 = Math.floor(q1);
      t2 = Math.floor(q2);
      t3 = Math.floor(q3);
      const f0 = q0 - t0;
      const f1 = q1 - t1;
      const f2 = q2 - t2;
      const f3 = q3 - t3;
      if (
        f0 < q0 * TOL3 ||
        1 - f0 < q0 * TOL3 ||
        f1 < q1 * TOL3 ||
        1 - f1 < q1 * TOL3 ||
        f2 < q2 * TOL3 ||
        1 - f2 < q2 * TOL3 ||
        f3 < q3 * TOL3 ||
        1 - f3 < q3 * TOL3
      ) {
        ok = false;
      }
      r0 += t0;
      r1 += t1;
      r2 += t2;
      r3 += t3;
      if (t0 + t1 + t2 + t3 === 0) break; // every later term is 0 as well
    }
    if (ok) {
      xs[k] = x0 < 0 ? div(ONE, r0) : r0;
      xs[k + 1] = x1 < 0 ? div(ONE, r1) : r1;
      xs[k + 2] = x2 < 0 ? div(ONE, r2) : r2;
      xs[k + 3] = x3 < 0 ? div(ONE, r3) : r3;
    } else {
      xs[k] = expSafe(x0);
      xs[k + 1] = expSafe(x1);
      xs[k + 2] = expSafe(x2);
      xs[k + 3] = expSafe(x3);
    }
  }
  for (; k < len; k++) xs[k] = expSafe(xs[k]!);
}

/** Inputs the batch series handles: |x| ≤ 8, not 0 and not the hard-coded exp(1). */
function taylorFast(x: number): boolean {
  return x !== 0 && x !== ONE && x >= -8 * TWO32 && x <= 8 * TWO32;
}

function expFixed(x: number): number {
  if (x === 0) return ONE;
  if (x === ONE) return E_BITS;
  const neg = x < 0;
  const op = neg ? -x : x;
  if (op <= 8 * TWO32) {
    // Fast exact path: every term and the sum stay below e^8·2^32 < 2^44. The two truncations
    // of a step (`mul`, then the division by the integer i) are one floor of term·op/(i·2^32),
    // which the double estimate gives whenever it is not within its 3 roundings of an integer.
    let result = op + ONE;
    let term = op;
    for (let i = 2; i < 32; i++) {
      const next = taylorStep(term, op, i);
      if (next === 0) break; // every later term is 0 as well
      term = next;
      result += next;
    }
    return neg ? div(ONE, result) : result;
  }
  const opB = BigInt(op);
  const max = I64_MAX;
  let result = opB + ONE_B;
  let term = opB;
  for (let i = 2n; i < 32n; i++) {
    term = (term * opB) >> B32; // checked_mul
    if (term > max) return neg ? 0 : Number(I64_MAX);
    term = (term << B32) / (i << B32); // checked_div by from_num(i)
    result += term;
    if (result > max) return neg ? 0 : Number(I64_MAX);
  }
  if (neg) return Number((ONE_B << B32) / result);
  return Number(result);
}
