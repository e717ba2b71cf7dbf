/**
 * Minimal SCALE encoding helpers for the hot paths (storage values the chain logic reads and
 * writes every block). Anything richer goes through the metadata registry.
 */
import { ScaleError } from '../errors.js';

export const concat = (...parts: Uint8Array[]): Uint8Array => {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

export const u8 = (v: number): Uint8Array => Uint8Array.of(v & 0xff);
export const bool = (v: boolean): Uint8Array => Uint8Array.of(v ? 1 : 0);
export const u16 = (v: number): Uint8Array => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff);
export const u32 = (v: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v >>> 0, true);
  return out;
};
export const u64 = (v: bigint | number): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  return out;
};
export const u128 = (v: bigint | number): Uint8Array => {
  const b = BigInt.asUintN(128, BigInt(v));
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, b & 0xffffffffffffffffn, true);
  dv.setBigUint64(8, b >> 64n, true);
  return out;
};
export const i16 = (v: number): Uint8Array => u16(v & 0xffff);

export function compact(v: bigint | number): Uint8Array {
  const n = BigInt(v);
  if (n < 0n) {
    throw new ScaleError('SCALE_DECODE', 'cannot decode compact: negative value', {
      details: { what: 'compact' },
    });
  }
  if (n < 1n << 6n) return Uint8Array.of(Number(n) << 2);
  if (n < 1n << 14n) return u16((Number(n) << 2) | 1);
  if (n < 1n << 30n) return u32(((Number(n) << 2) | 2) >>> 0);
  const bytes: number[] = [];
  let rest = n;
  while (rest > 0n) {
    bytes.push(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return Uint8Array.of(((bytes.length - 4) << 2) | 3, ...bytes);
}

export const vec = <T>(items: readonly T[], enc: (item: T) => Uint8Array): Uint8Array =>
  concat(compact(items.length), ...items.map(enc));

export const bytes = (b: Uint8Array): Uint8Array => concat(compact(b.length), b);

/** A cursor over SCALE bytes; every read checks bounds. */
export class Reader {
  offset = 0;
  readonly #dv: DataView;
  constructor(readonly data: Uint8Array) {
    this.#dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  get remaining(): number {
    return this.data.length - this.offset;
  }
  #need(n: number, what: string): void {
    if (this.offset + n > this.data.length) {
      throw new ScaleError(
        'SCALE_DECODE',
        `cannot decode ${what}: needs ${n} bytes at offset ${this.offset}, has ${this.remaining}`,
        { details: { what } },
      );
    }
  }
  take(n: number, what = 'bytes'): Uint8Array {
    this.#need(n, what);
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  u8(): number {
    this.#need(1, 'u8');
    return this.data[this.offset++] as number;
  }
  bool(): boolean {
    const b = this.u8();
    if (b > 1) {
      throw new ScaleError('SCALE_DECODE', `cannot decode bool: invalid byte ${b}`, {
        details: { what: 'bool' },
      });
    }
    return b === 1;
  }
  u16(): number {
    this.#need(2, 'u16');
    const v = this.#dv.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.#need(4, 'u32');
    const v = this.#dv.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  u64(): bigint {
    this.#need(8, 'u64');
    const v = this.#dv.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }
  u128(): bigint {
    const lo = this.u64();
    const hi = this.u64();
    return (hi << 64n) | lo;
  }
  compact(): bigint {
    this.#need(1, 'compact');
    const first = this.data[this.offset] as number;
    const mode = first & 3;
    if (mode === 0) {
      this.offset += 1;
      return BigInt(first >> 2);
    }
    if (mode === 1) return BigInt(this.u16() >> 2);
    if (mode === 2) return BigInt(this.u32() >>> 2);
    this.offset += 1;
    const len = (first >> 2) + 4;
    const raw = this.take(len, 'compact');
    let v = 0n;
    for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i] as number);
    return v;
  }
  compactNumber(what = 'length'): number {
    const v = this.compact();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ScaleError('SCALE_DECODE', `cannot decode ${what}: too large`, {
        details: { what },
      });
    }
    return Number(v);
  }
  vec<T>(read: (r: Reader) => T, what = 'vec'): T[] {
    const n = this.compactNumber(what);
    if (n > this.remaining) {
      throw new ScaleError('SCALE_DECODE', `cannot decode ${what}: length ${n} exceeds the input`, {
        details: { what },
      });
    }
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(read(this));
    return out;
  }
  bytes(): Uint8Array {
    return this.take(this.compactNumber('bytes'), 'bytes');
  }
  end(what: string): void {
    if (this.remaining !== 0) {
      throw new ScaleError(
        'SCALE_DECODE',
        `cannot decode ${what}: ${this.remaining} trailing bytes`,
        { details: { what } },
      );
    }
  }
}
