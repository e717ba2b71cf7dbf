// The one deterministic PRNG of subnetkit: every validator task, miner layout and task-kind
// draw that must be rebuilt from a revealed seed reads from it. Also served alone as
// `@subnetkit/neuron/random`, so worker threads can import it without the runtime.
import { createHash } from 'node:crypto';
import { NeuronError } from '../errors.js';

/** Deterministic randomness from a seed: SHA-256 in counter mode. */
export interface SeededRandom {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number;
  /** Uniform integer in [0, n) without modulo bias; `n` an integer in [1, 2^32]. */
  int(n: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  range(min: number, max: number): number;
  /** A uniformly chosen element; throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** A Fisher–Yates shuffled copy (the input is untouched). */
  shuffle<T>(items: readonly T[]): T[];
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** An independent stream for a sub-label (`<label>/<sub>`). */
  fork(sub: string): SeededRandom;
}

/** The length of a task seed. */
export const SEED_BYTES = 32;

function invalid(field: string, problem: string): NeuronError {
  return new NeuronError('INVALID_ARGUMENT', `${field}: ${problem}`, { details: { field } });
}

/** Throws a clear error naming `field` unless `seed` is a 32-byte Uint8Array. */
export function assertSeed(seed: unknown, field = 'seed'): asserts seed is Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    const got = seed instanceof Uint8Array ? `${seed.length} bytes` : typeof seed;
    throw invalid(field, `must be a ${SEED_BYTES}-byte Uint8Array, got ${got}`);
  }
}

/** A 32-byte seed from hex (64 digits, optional `0x`); names `field` on bad input. */
export function seedFromHex(hex: unknown, field = 'seed'): Uint8Array {
  if (typeof hex !== 'string') throw invalid(field, 'must be a hex string');
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{64}$/.test(clean))
    throw invalid(field, `must be ${SEED_BYTES * 2} hex digits`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

function seedBytes(seed: string | Uint8Array): Buffer {
  if (typeof seed === 'string') {
    if (!/^[0-9a-f]*$/.test(seed) || seed.length !== SEED_BYTES * 2) {
      throw invalid('seed', `must be ${SEED_BYTES * 2} lowercase hex digits or a Uint8Array`);
    }
    return Buffer.from(seed, 'hex');
  }
  assertSeed(seed);
  return Buffer.from(seed);
}

/**
 * The stream for `(seed, label)`: block i = `sha256(seed ‖ utf8(label) ‖ u64be(i))`, read
 * byte by byte. Anyone holding the revealed seed regenerates the same draws, so the evidence
 * can be checked; a different label gives an independent stream.
 */
export function seededRandom(seed: string | Uint8Array, label = ''): SeededRandom {
  if (typeof label !== 'string') throw invalid('label', 'must be a string');
  const key = seedBytes(seed);
  const input = Buffer.concat([key, Buffer.from(label, 'utf8'), Buffer.alloc(8)]);
  let counter = 0n;
  let block: Buffer = Buffer.alloc(0);
  let offset = 0;
  const refill = () => {
    input.writeBigUInt64BE(counter++, input.length - 8);
    block = createHash('sha256').update(input).digest();
    offset = 0;
  };
  const take = (n: number): Buffer => {
    if (offset === block.length && n <= 32) refill();
    if (offset + n <= block.length) {
      offset += n;
      return block.subarray(offset - n, offset);
    }
    const out = Buffer.alloc(n);
    let filled = 0;
    while (filled < n) {
      if (offset === block.length) refill();
      const k = Math.min(n - filled, block.length - offset);
      block.copy(out, filled, offset, offset + k);
      filled += k;
      offset += k;
    }
    return out;
  };

  const uint32 = (): number => take(4).readUInt32BE(0);
  const float = (): number => {
    const b = take(7);
    // 53 bits: the low 5 bits of the first byte, then 48 bits.
    return ((b[0]! & 0x1f) * 2 ** 48 + b.readUIntBE(1, 6)) / 2 ** 53;
  };
  const int = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 32) {
      throw invalid('n', `must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = uint32();
      if (x < limit) return x % n;
    }
  };
  const range = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw invalid('range', `needs integers min ≤ max, got [${min}, ${max}]`);
    }
    return min + int(max - min + 1);
  };
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw invalid('items', 'cannot pick from an empty list');
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
  const bytes = (n: number): Uint8Array => {
    if (!Number.isSafeInteger(n) || n < 0) throw invalid('n', `must be an integer ≥ 0, got ${n}`);
    return Uint8Array.from(take(n));
  };
  const fork = (sub: string): SeededRandom => seededRandom(key, `${label}/${sub}`);
  return { uint32, float, int, range, pick, shuffle, bytes, fork };
}
