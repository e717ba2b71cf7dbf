// Which 32-byte strings are ristretto255 points (RFC 9496 §4.3.1, "decode"), i.e. sr25519 public
// keys schnorrkel accepts. @polkadot-labs/schnorrkel-wasm aborts (a wasm trap that leaves its
// instance corrupt) on a key that is not one, so keys from the wire are checked here first.
const P = (1n << 255n) - 19n;
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
const SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n;

const mod = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

const isNegative = (x: bigint): boolean => (mod(x) & 1n) === 1n;
const abs = (x: bigint): bigint => (isNegative(x) ? mod(-x) : mod(x));

/** RFC 9496 SQRT_RATIO_M1(u, v): whether u/v is a square, and the non-negative root. */
function sqrtRatioM1(u: bigint, v: bigint): { wasSquare: boolean; r: bigint } {
  const v3 = mod(v * v * v);
  const v7 = mod(v3 * v3 * v);
  let r = mod(mod(u * v3) * pow(u * v7, (P - 5n) / 8n));
  const check = mod(v * r * r);
  const correct = check === mod(u);
  const flipped = check === mod(-u);
  const flippedI = check === mod(-u * SQRT_M1);
  if (flipped || flippedI) r = mod(r * SQRT_M1);
  return { wasSquare: correct || flipped, r: abs(r) };
}

/** True when `bytes` is the canonical encoding of a ristretto255 point. */
export function isRistrettoPoint(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(bytes[i]!);
  if (s >= P || (s & 1n) === 1n) return false;
  const ss = mod(s * s);
  const u1 = mod(1n - ss);
  const u2 = mod(1n + ss);
  const u2sq = mod(u2 * u2);
  const v = mod(-(D * mod(u1 * u1)) - u2sq);
  const { wasSquare, r: invsqrt } = sqrtRatioM1(1n, mod(v * u2sq));
  const denX = mod(invsqrt * u2);
  const denY = mod(mod(invsqrt * denX) * v);
  const x = abs(2n * s * denX);
  const y = mod(u1 * denY);
  const t = mod(x * y);
  return wasSquare && !isNegative(t) && y !== 0n;
}

/** The order of the ristretto255 group (ℓ), little-endian. */
const L = [
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/**
 * True when a 64-byte signature has the form schnorrkel accepts (`Signature::from_bytes`): the
 * sr25519 marker bit set and the scalar half canonical (below ℓ once the marker is cleared).
 * Anything else cannot verify; schnorrkel-wasm would abort on it.
 */
export function isSchnorrkelSignature(sig: Uint8Array): boolean {
  if (sig.length !== 64 || (sig[63]! & 0x80) === 0) return false;
  if ((sig[63]! & 0x70) === 0) return true;
  for (let i = 31; i >= 0; i--) {
    const b = i === 31 ? sig[63]! & 0x7f : sig[32 + i]!;
    if (b !== L[i]) return b < L[i]!;
  }
  return false;
}
