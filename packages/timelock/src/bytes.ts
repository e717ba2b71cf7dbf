import { TimelockError } from './errors.js';

/** Bytes or a hex string (with or without `0x`). */
export type BytesLike = Uint8Array | string;

const HEX_RE = /^[0-9a-fA-F]*$/;

/** Decodes hex (optional `0x`) or copies bytes; throws `INVALID_INPUT` naming `field`. */
export function toBytes(value: BytesLike, field: string, expectedLength?: number): Uint8Array {
  let out: Uint8Array;
  if (typeof value === 'string') {
    const hex = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value;
    if (hex.length % 2 !== 0 || !HEX_RE.test(hex)) {
      throw new TimelockError('INVALID_INPUT', `${field}: must be an even-length hex string`, {
        details: { field },
      });
    }
    out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  } else if (value instanceof Uint8Array) {
    out = Uint8Array.from(value);
  } else {
    throw new TimelockError('INVALID_INPUT', `${field}: must be a Uint8Array or a hex string`, {
      details: { field },
    });
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new TimelockError(
      'INVALID_INPUT',
      `${field}: must be ${expectedLength} bytes, got ${out.length}`,
      { details: { field } },
    );
  }
  return out;
}

/** Lowercase hex without `0x`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const U64_MAX = (1n << 64n) - 1n;

/** Parses a u64 given as a safe integer number or a bigint; throws `INVALID_INPUT`. */
export function toU64(value: number | bigint, field: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TimelockError(
        'INVALID_INPUT',
        `${field}: must be a non-negative safe integer, got ${value}`,
        { details: { field } },
      );
    }
    return BigInt(value);
  }
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
    throw new TimelockError('INVALID_INPUT', `${field}: must be a u64, got ${String(value)}`, {
      details: { field },
    });
  }
  return value;
}

export function u64BE(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, false);
  return out;
}

export function u64LE(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}
