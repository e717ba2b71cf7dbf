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
 * Fast path: double division, accepted when it is far from an integer boundary.
 */
export function div(a: number, b: number): number {
  if (b === 0) return 0;
  const q = (a * TWO32) / b; // a·2^32 is exact (power-of-two scaling)
  const aq = q < 0 ? -q : q;
  if (aq < 1099511627776) {
    // |q| < 2^40: rounding error < 2^-13, so a fractional part away from 0/1 decides the floor.
    const t = Math.trunc(q);
    const f = aq - (t < 0 ? -t : t);
    if (f > 1e-3 && f < 0.999) return t + 0;
  }
  const big = (BigInt(a) << B32) / BigInt(b);
  if (big > I64_MAX || big < I64_MIN) return 0;
  return Number(big);
}

function clampI64(x: bigint): bigint {
  return x > I64_MAX ? I64_MAX : x < I64_MIN ? I64_MIN : x;
}

/** `I32F32::from_num(u16) / 65535` (u16_proportion_to_fixed). */
export function u16Proportion(x: number): number {
  return div(x * TWO32, 65535 * TWO32);
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

function expFixed(x: number): number {
  if (x === 0) return ONE;
  if (x === ONE) return E_BITS;
  const neg = x < 0;
  const op = neg ? -x : x;
  if (op <= 8 * TWO32) {
    // Fast exact path: every term and the sum stay below e^8·2^32 < 2^44, so `mul` is exact
    // and `floor(term / i)` (the I32F32 division by the integer i) is exact in a double.
    let result = op + ONE;
    let term = op;
    for (let i = 2; i < 32; i++) {
      term = mul(term, op);
      term = Math.floor(term / i);
      if (term === 0) break; // every later term is 0 as well
      result += term;
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
