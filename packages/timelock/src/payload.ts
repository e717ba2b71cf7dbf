import { type BytesLike, concatBytes, toBytes, toU64, u64LE } from './bytes.js';
import { TimelockError } from './errors.js';

/**
 * The plaintext of a timelocked weights commit: SCALE encoding of
 *
 * ```rust
 * struct WeightsTlockPayload { hotkey: Vec<u8>, uids: Vec<u16>, values: Vec<u16>, version_key: u64 }
 * ```
 *
 * (bittensor-drand `src/drand.rs`, subtensor `coinbase/reveal_commits.rs`). `hotkey` is the
 * committer's 32-byte public key as a SCALE `Vec<u8>` (compact length prefix, so 33 bytes).
 * Subtensor still accepts the legacy form without `hotkey` (see {@link decodeWeightsPayload}).
 */
export interface WeightsPayload {
  readonly hotkey: Uint8Array;
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly versionKey: bigint;
}

// ---------------------------------------------------------------------------------------------
// SCALE compact integers (parity-scale-codec `Compact<u32>`, the length prefix of `Vec<T>`).

/** SCALE compact encoding of a length (0 ≤ n < 2^32). */
export function encodeCompactLength(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
    throw new TimelockError('INVALID_INPUT', `length: must be a u32, got ${n}`, {
      details: { field: 'length' },
    });
  }
  if (n < 1 << 6) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 0b01) & 0xff, n >> 6);
  if (n < 1 << 30) {
    const v = n * 4 + 0b10;
    return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  return Uint8Array.of(0b11, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

function encodeU16Vec(values: readonly number[], field: string): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
      throw new TimelockError('INVALID_INPUT', `${field}[${i}]: must be a u16, got ${v}`, {
        details: { field: `${field}[${i}]` },
      });
    }
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = v >> 8;
  });
  return concatBytes(encodeCompactLength(values.length), out);
}

/** Input of {@link encodeWeightsPayload}. */
export interface WeightsPayloadInput {
  /** The committing hotkey's 32-byte public key (not the SS58 string). */
  readonly hotkey: BytesLike;
  /** Destination uids, u16. */
  readonly uids: readonly number[];
  /** u16 weights as emitted (after the SDK's u16 conversion), same length as `uids`. */
  readonly values: readonly number[];
  /** The subnet's `WeightsVersionKey` the validator commits under. */
  readonly versionKey: number | bigint;
}

/**
 * Builds the bytes bittensor-drand's `generate_commit` encrypts: `WeightsTlockPayload.encode()`.
 * The chain checks that `hotkey` equals the committer when it reveals, so pass the signer's key.
 */
export function encodeWeightsPayload(input: WeightsPayloadInput): Uint8Array {
  const hotkey = toBytes(input.hotkey, 'hotkey', 32);
  if (!Array.isArray(input.uids)) {
    throw new TimelockError('INVALID_INPUT', 'uids: must be an array', {
      details: { field: 'uids' },
    });
  }
  if (!Array.isArray(input.values)) {
    throw new TimelockError('INVALID_INPUT', 'values: must be an array', {
      details: { field: 'values' },
    });
  }
  if (input.uids.length !== input.values.length) {
    throw new TimelockError(
      'INVALID_INPUT',
      `values: length ${input.values.length} differs from uids length ${input.uids.length}`,
      { details: { field: 'values' } },
    );
  }
  return concatBytes(
    encodeCompactLength(hotkey.length),
    hotkey,
    encodeU16Vec(input.uids, 'uids'),
    encodeU16Vec(input.values, 'values'),
    u64LE(toU64(input.versionKey, 'versionKey')),
  );
}

// ---------------------------------------------------------------------------------------------
// Decoding, as parity-scale-codec 3 `Decode::decode` does it (not `decode_all`: trailing bytes are
// allowed; compact prefixes must be canonical).

class ScaleReader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  fail(message: string): never {
    throw new TimelockError('MALFORMED_PAYLOAD', `payload: ${message}`, {
      details: { field: 'payload' },
    });
  }

  byte(): number {
    const b = this.bytes[this.offset];
    if (b === undefined) this.fail(`unexpected end at offset ${this.offset}`);
    this.offset += 1;
    return b;
  }

  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.offset) this.fail(`unexpected end at offset ${this.offset}`);
    // A real copy: `Buffer#slice` is a view into Node's shared pool, not a copy.
    const out = new Uint8Array(n);
    out.set(this.bytes.subarray(this.offset, this.offset + n));
    this.offset += n;
    return out;
  }

  compactU32(): number {
    const b0 = this.byte();
    switch (b0 & 0b11) {
      case 0b00:
        return b0 >> 2;
      case 0b01: {
        const v = (b0 | (this.byte() << 8)) >> 2;
        if (v < 1 << 6) this.fail('non-canonical compact length');
        return v;
      }
      case 0b10: {
        const raw = b0 | (this.byte() << 8) | (this.byte() << 16);
        const v = (raw + this.byte() * 2 ** 24) / 4;
        const n = Math.floor(v);
        if (n < 1 << 14) this.fail('non-canonical compact length');
        return n;
      }
      default: {
        if (b0 >> 2 !== 0) this.fail('compact length does not fit in u32');
        const b = this.take(4);
        const n = (b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 2 ** 24;
        if (n < 2 ** 30) this.fail('non-canonical compact length');
        return n;
      }
    }
  }

  bytesVec(): Uint8Array {
    return this.take(this.compactU32());
  }

  u16Vec(): number[] {
    const n = this.compactU32();
    if (n * 2 > this.bytes.length - this.offset) this.fail(`Vec<u16> of ${n} overruns the input`);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.byte() | (this.byte() << 8));
    return out;
  }

  u64(): bigint {
    const b = this.take(8);
    return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0, true);
  }
}

/** Decodes a `WeightsTlockPayload` (trailing bytes ignored). Throws `MALFORMED_PAYLOAD`. */
export function decodeWeightsTlockPayload(bytes: Uint8Array): WeightsPayload {
  const r = new ScaleReader(bytes);
  const hotkey = r.bytesVec();
  const uids = r.u16Vec();
  const values = r.u16Vec();
  const versionKey = r.u64();
  return { hotkey, uids, values, versionKey };
}

/** Decodes a `LegacyWeightsTlockPayload { uids, values, version_key }` (no hotkey). */
export function decodeLegacyWeightsTlockPayload(bytes: Uint8Array): Omit<WeightsPayload, 'hotkey'> {
  const r = new ScaleReader(bytes);
  const uids = r.u16Vec();
  const values = r.u16Vec();
  const versionKey = r.u64();
  return { uids, values, versionKey };
}

/** The weights a timelocked commit reveals to, as subtensor applies them. */
export interface RevealedWeights {
  /** `current` when the payload carried the committer's hotkey, `legacy` for the old form. */
  readonly format: 'current' | 'legacy';
  readonly uids: number[];
  readonly values: number[];
  readonly versionKey: bigint;
}

/**
 * Interprets decrypted commit bytes exactly as subtensor's `reveal_crv3_commits_for_subnet`:
 *
 * 1. decode `WeightsTlockPayload`; if that works, decode an `AccountId32` (first 32 bytes) from
 *    its `hotkey`: equal to the committer → use it; different → `HOTKEY_MISMATCH`; fewer than
 *    32 bytes → fall back to the legacy decoding of the whole plaintext;
 * 2. if the current form does not decode, fall back to `LegacyWeightsTlockPayload`;
 * 3. neither decodes → `MALFORMED_PAYLOAD`.
 *
 * `committer` is the 32-byte public key of the account that submitted the commit.
 */
export function decodeWeightsPayload(plaintext: Uint8Array, committer: BytesLike): RevealedWeights {
  const who = toBytes(committer, 'committer', 32);
  let current: WeightsPayload | undefined;
  try {
    current = decodeWeightsTlockPayload(plaintext);
  } catch {
    current = undefined;
  }
  if (current !== undefined && current.hotkey.length >= 32) {
    const account = current.hotkey.slice(0, 32);
    if (!account.every((b, i) => b === who[i])) {
      throw new TimelockError(
        'HOTKEY_MISMATCH',
        'payload.hotkey: the payload was committed for a different hotkey than the one that submitted it',
        { details: { field: 'payload.hotkey' } },
      );
    }
    return {
      format: 'current',
      uids: [...current.uids],
      values: [...current.values],
      versionKey: current.versionKey,
    };
  }
  const legacy = decodeLegacyWeightsTlockPayload(plaintext);
  return {
    format: 'legacy',
    uids: [...legacy.uids],
    values: [...legacy.values],
    versionKey: legacy.versionKey,
  };
}
