// A deterministic PRNG: SHA-256 in counter mode over (seed, label), so every consumer of a seed
// (the grammar, the renderer's layout) draws from its own independent stream.
import { sha256 } from '@noble/hashes/sha2.js';
import { ImageSubnetError } from '../errors.js';

export interface SeededRandom {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number;
  /** A uniform float in [0, 1). */
  float(): number;
  /** A uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** A Fisher–Yates shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
}

export const SEED_BYTES = 32;

/** Throws a clear error naming `field` unless `seed` is a 32-byte Uint8Array. */
export function assertSeed(seed: unknown, field = 'seed'): asserts seed is Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    const got = seed instanceof Uint8Array ? `${seed.length} bytes` : typeof seed;
    throw new ImageSubnetError(
      'INVALID_ARGUMENT',
      `${field}: must be a ${SEED_BYTES}-byte Uint8Array, got ${got}`,
      { field },
    );
  }
}

export function seededRandom(seed: Uint8Array, label: string): SeededRandom {
  assertSeed(seed);
  const labelBytes = new TextEncoder().encode(label);
  const input = new Uint8Array(seed.length + 1 + labelBytes.length + 8);
  input.set(seed, 0);
  input[seed.length] = 0x2f; // '/': keeps (seed, label) unambiguous
  input.set(labelBytes, seed.length + 1);
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
  const float = () => uint32() / 2 ** 32;
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new ImageSubnetError('INVALID_ARGUMENT', `int: bad range [${min}, ${max}]`);
    }
    const span = max - min + 1;
    // Rejection sampling: no modulo bias.
    const limit = Math.floor(2 ** 32 / span) * span;
    let v = uint32();
    while (v >= limit) v = uint32();
    return min + (v % span);
  };
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new ImageSubnetError('INVALID_ARGUMENT', 'pick: empty list');
    return items[int(0, items.length - 1)]!;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return { uint32, float, int, pick, shuffle };
}
