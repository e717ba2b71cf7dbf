// Perceptual hashes for copy and replay detection: pHash (DCT of a 32×32 greyscale thumbnail,
// the 8×8 lowest non-DC frequencies against their median) and dHash (signs of horizontal
// gradients on 9×8), both 64-bit, compared by Hamming distance.
import { type GreyImage, resizeArea } from './grey.js';

/** A 64-bit hash as 16 lowercase hex digits. */
export type Hash64 = string;

const N = 32;
const COS = (() => {
  const t = new Float64Array(N * N);
  for (let u = 0; u < N; u++) {
    for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  }
  return t;
})();

function bitsToHex(bits: boolean[]): Hash64 {
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    const nibble =
      (bits[i] ? 8 : 0) | (bits[i + 1] ? 4 : 0) | (bits[i + 2] ? 2 : 0) | (bits[i + 3] ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

export function pHash(grey: GreyImage): Hash64 {
  const small = grey.width === N && grey.height === N ? grey : resizeArea(grey, N, N);
  const px = small.data;
  // Separable DCT-II, only the 9 lowest frequencies along each axis are needed.
  const rows = new Float64Array(9 * N); // rows[u][y] = Σx px[y][x] cos(u, x)
  for (let u = 0; u < 9; u++) {
    for (let y = 0; y < N; y++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += px[y * N + x]! * COS[u * N + x]!;
      rows[u * N + y] = s;
    }
  }
  const coeffs: number[] = [];
  for (let v = 1; v < 9; v++) {
    for (let u = 1; u < 9; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[u * N + y]! * COS[v * N + y]!;
      coeffs.push(s);
    }
  }
  const sorted = coeffs.slice().sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  return bitsToHex(coeffs.map((c) => c > median));
}

export function dHash(grey: GreyImage): Hash64 {
  const small = resizeArea(grey, 9, 8);
  const bits: boolean[] = [];
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) bits.push(small.data[y * 9 + x]! < small.data[y * 9 + x + 1]!);
  }
  return bitsToHex(bits);
}

function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const halves = (h: Hash64): [number, number] => {
  if (!/^[0-9a-f]{16}$/.test(h)) throw new TypeError(`hash: must be 16 hex digits, got ${h}`);
  return [Number.parseInt(h.slice(0, 8), 16), Number.parseInt(h.slice(8), 16)];
};

export function hammingDistance(a: Hash64, b: Hash64): number {
  const [ah, al] = halves(a);
  const [bh, bl] = halves(b);
  return popcount32((ah ^ bh) >>> 0) + popcount32((al ^ bl) >>> 0);
}

export interface HashOwner {
  taskId: string;
  minerUid: number;
}

export interface NearMatch extends HashOwner {
  hash: Hash64;
  distance: number;
}

/**
 * Every hash seen, in memory, searched linearly by Hamming distance (two XOR-popcounts per
 * entry: a million entries in a few milliseconds). For copy detection across tasks: an answer
 * near an earlier answer to a *different* task is a replay.
 */
export class NearDuplicateIndex {
  #hi = new Uint32Array(1024);
  #lo = new Uint32Array(1024);
  #owners: HashOwner[] = [];

  get size(): number {
    return this.#owners.length;
  }

  add(hash: Hash64, owner: HashOwner): void {
    const [hi, lo] = halves(hash);
    const n = this.#owners.length;
    if (n === this.#hi.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#hi = grow(this.#hi);
      this.#lo = grow(this.#lo);
    }
    this.#hi[n] = hi;
    this.#lo[n] = lo;
    this.#owners.push({ taskId: owner.taskId, minerUid: owner.minerUid });
  }

  /** Entries within `maxDistance` bits, nearest first; `excludeTaskId` skips one task's own. */
  findNear(
    hash: Hash64,
    maxDistance: number,
    options: { excludeTaskId?: string } = {},
  ): NearMatch[] {
    const [hi, lo] = halves(hash);
    const out: NearMatch[] = [];
    for (let i = 0; i < this.#owners.length; i++) {
      const d = popcount32((this.#hi[i]! ^ hi) >>> 0) + popcount32((this.#lo[i]! ^ lo) >>> 0);
      if (d > maxDistance) continue;
      const owner = this.#owners[i]!;
      if (options.excludeTaskId !== undefined && owner.taskId === options.excludeTaskId) continue;
      const h =
        this.#hi[i]!.toString(16).padStart(8, '0') + this.#lo[i]!.toString(16).padStart(8, '0');
      out.push({ ...owner, hash: h, distance: d });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }
}
