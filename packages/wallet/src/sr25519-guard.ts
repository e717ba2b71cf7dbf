// What schnorrkel must be able to parse before @polkadot-labs/schnorrkel-wasm may see an input.
// That build `.expect()`s its parses: a public key that is not a ristretto255 point, or a
// signature `Signature::from_bytes` refuses, is a Rust panic — a wasm trap, a stack trace on
// stderr, and shadow stack and heap the instance never gets back — where wasm-crypto answers
// `false`. Every call into it goes through these checks first, so it never panics.
import { ristretto255 } from '@noble/curves/ed25519.js';

/** Public keys seen, valid or not: an axon or a chain sees the same few hotkeys again. */
const keyValidity = new Map<string, boolean>();
const MAX_CACHED_KEYS = 16_384;

const keyOf = (publicKey: Uint8Array) =>
  Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('latin1');

/**
 * True when the 32 bytes are a canonical ristretto255 encoding (`PublicKey::from_bytes`
 * accepts it). Decoding costs ~0.1 ms in JS, so the answer is cached per key.
 */
export function isSr25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  const key = keyOf(publicKey);
  const known = keyValidity.get(key);
  if (known !== undefined) return known;
  let valid = true;
  try {
    ristretto255.Point.fromBytes(publicKey);
  } catch {
    valid = false;
  }
  if (keyValidity.size >= MAX_CACHED_KEYS) {
    keyValidity.delete(keyValidity.keys().next().value as string);
  }
  keyValidity.set(key, valid);
  return valid;
}

const littleEndian = (n: bigint) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
};
/** ℓ, the ristretto255 group order, and 8ℓ, little-endian. */
const ORDER_LE = littleEndian(ristretto255.Point.Fn.ORDER);
const EIGHT_ORDER_LE = littleEndian(ristretto255.Point.Fn.ORDER * 8n);

/** bytes[offset … offset+31] < bound, both little-endian; `top` replaces the last byte. */
function below(bytes: Uint8Array, offset: number, bound: Uint8Array, top: number): boolean {
  if (top !== bound[31]) return top < bound[31]!;
  for (let i = 30; i >= 0; i--) {
    const a = bytes[offset + i]!;
    const b = bound[i]!;
    if (a !== b) return a < b;
  }
  return false;
}

/**
 * True when `SecretKey::from_ed25519_bytes` accepts the 64 bytes: the key half divided by the
 * cofactor is a canonical scalar (below ℓ, so the key half is below 8ℓ). Keys from seeds and
 * derivation always are; a secret read from elsewhere may not be.
 */
export function isSchnorrkelSecret(secret: Uint8Array): boolean {
  return secret.length === 64 && below(secret, 0, EIGHT_ORDER_LE, secret[31]!);
}

/**
 * True when `Signature::from_bytes` accepts the 64 bytes: the schnorrkel marker bit (the top
 * bit) set and `s` (bytes 32–63 without it) a canonical scalar, below ℓ. `R` is decoded
 * during verification itself, which answers false, not a panic, when it is not a point.
 */
export function isSchnorrkelSignature(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const top = signature[63]!;
  if ((top & 0x80) === 0) return false;
  // ℓ ≈ 2^252: an s whose top byte is under ℓ's is canonical, as all but ~2^-125 of honest ones.
  return below(signature, 32, ORDER_LE, top & 0x7f);
}
