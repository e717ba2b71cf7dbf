// A deterministic PRNG for task generation: SHA-256 in counter mode over (seed, label), so
// every consumer of one seed (the QA world, the fixture pages, the question) draws from its
// own independent stream and a task is rebuilt exactly from its revealed seed.
import { sha256 } from '@noble/hashes/sha2.js';
import { invalidArgument } from '../metrics/invalid.js';

export const SEED_BYTES = 32;

export interface SeededRandom {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number;
  /** A uniform float64 in [0, 1) with 53 random bits. */
  float(): number;
  /** A uniform integer in [0, n); `n` a positive safe integer ≤ 2^32. */
  int(n: number): number;
  /** A uniform integer in [min, max], both inclusive. */
  range(min: number, max: number): number;
  /** One element, uniformly; throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** A Fisher–Yates shuffled copy (the input is untouched). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream for a sub-label (`<label>/<sub>`). */
  fork(sub: string): SeededRandom;
}

/** Throws a clear error naming `field` unless `seed` is a 32-byte Uint8Array. */
export function assertSeed(seed: unknown, field = 'seed'): asserts seed is Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    const got = seed instanceof Uint8Array ? `${seed.length} bytes` : typeof seed;
    throw invalidArgument(field, `must be a ${SEED_BYTES}-byte Uint8Array, got ${got}`);
  }
}

/**
 * The stream for `(seed, label)`: block i is sha256(seed ‖ '/' ‖ utf8(label) ‖ u64be(i)),
 * read as big-endian 32-bit words.
 */
export function seededRandom(seed: Uint8Array, label: string): SeededRandom {
  assertSeed(seed);
  if (typeof label !== 'string') throw invalidArgument('label', 'must be a string');
  const seedCopy = seed.slice();
  const labelBytes = new TextEncoder().encode(label);
  const input = new Uint8Array(SEED_BYTES + 1 + labelBytes.length + 8);
  input.set(seedCopy, 0);
  input[SEED_BYTES] = 0x2f; // '/': keeps (seed, label) unambiguous
  input.set(labelBytes, SEED_BYTES + 1);
  const counterView = new DataView(input.buffer, input.length - 8, 8);
  let counter = 0n;
  let block = new Uint8Array(0);
  let offset = 0;

  const uint32 = (): number => {
    if (offset + 4 > block.length) {
      counterView.setBigUint64(0, counter++);
      block = sha256(input);
      offset = 0;
    }
    const v =
      ((block[offset]! << 24) |
        (block[offset + 1]! << 16) |
        (block[offset + 2]! << 8) |
        block[offset + 3]!) >>>
      0;
    offset += 4;
    return v;
  };
  // 21 high bits and 32 low bits: every float64 multiple of 2^-53 in [0, 1) equally likely.
  const float = (): number => ((uint32() >>> 11) * 2 ** 32 + uint32()) / 2 ** 53;
  const int = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 32) {
      throw invalidArgument('n', `int(n) needs an integer in [1, 2^32], got ${n}`);
    }
    // Rejection sampling: no modulo bias.
    const limit = Math.floor(2 ** 32 / n) * n;
    let v = uint32();
    while (v >= limit) v = uint32();
    return v % n;
  };
  const range = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw invalidArgument(
        'range',
        `range(min, max) needs integers min ≤ max, got [${min}, ${max}]`,
      );
    }
    return min + int(max - min + 1);
  };
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw invalidArgument('items', 'pick from an empty list');
    return items[int(items.length)]!;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const fork = (sub: string): SeededRandom => seededRandom(seedCopy, `${label}/${sub}`);
  return { uint32, float, int, range, pick, shuffle, fork };
}

/** A 32-byte seed from a hex string (64 hex digits, optional 0x); names `field` on bad input. */
export function seedFromHex(hex: string, field = 'seed'): Uint8Array {
  if (typeof hex !== 'string') throw invalidArgument(field, 'must be a hex string');
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) {
    throw invalidArgument(field, `must be ${SEED_BYTES * 2} hex digits`);
  }
  const out = new Uint8Array(SEED_BYTES);
  for (let i = 0; i < SEED_BYTES; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
