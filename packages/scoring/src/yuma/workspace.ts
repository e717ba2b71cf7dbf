/**
 * Scratch memory for the epoch's large intermediate arrays (the ones sized by the number of
 * weight or bond entries, and the consensus score matrix).
 *
 * By default every epoch allocates them afresh, which keeps `yumaEpoch` pure and holds nothing
 * between calls. A caller running an epoch every tempo (a validator, the localnet) can pass a
 * {@link YumaWorkspace} instead: the buffers are then reused, so the epoch writes to memory that
 * is already mapped and warm instead of tens of MB of fresh pages. The epoch never returns a
 * workspace buffer, so its outputs stay valid after later epochs reuse the workspace.
 */

/** Where the epoch takes its scratch arrays from (internal). */
export interface Scratch {
  /** A zero-filled Float64Array of `len` entries for `slot`. */
  f64(slot: number, len: number): Float64Array;
  /** A Float64Array of `len` entries for `slot`, contents unspecified (caller writes all it reads). */
  f64Any(slot: number, len: number): Float64Array;
  /** An Int32Array of `len` entries for `slot`, contents unspecified. */
  i32Any(slot: number, len: number): Int32Array;
}

/**
 * Slots of the reused buffers: one per matrix that is live at the same time within an epoch (a
 * matrix's Int32 columns and Float64 values share its slot number; they are stored apart).
 */
export const SLOT = {
  weights: 0,
  bonds: 1,
  scores: 2,
  clipped: 3,
  weighted: 4,
  maskedBonds: 5,
  ema: 6,
  oldBonds: 7,
  sigmoid: 8,
} as const;

/** The default: fresh (zeroed) arrays every call. */
export const FRESH: Scratch = {
  f64: (_slot, len) => new Float64Array(len),
  f64Any: (_slot, len) => new Float64Array(len),
  i32Any: (_slot, len) => new Int32Array(len),
};

/**
 * Reusable scratch memory for {@link yumaEpoch} (`yumaEpoch(input, { workspace })`). It grows to
 * the largest epoch it has run (about 90 bytes per weight entry: ~25 MB at 4096 uids × 64
 * full validator rows) and holds that until dropped or {@link YumaWorkspace.release}d. Results
 * never alias it. Not for concurrent use by two epochs at once (an epoch is synchronous, so this
 * only matters if one were run from inside another).
 */
export class YumaWorkspace implements Scratch {
  #f64: (Float64Array | undefined)[] = [];
  #i32: (Int32Array | undefined)[] = [];

  f64(slot: number, len: number): Float64Array {
    const out = this.f64Any(slot, len);
    out.fill(0);
    return out;
  }

  f64Any(slot: number, len: number): Float64Array {
    let b = this.#f64[slot];
    if (b === undefined || b.length < len) {
      b = new Float64Array(headroom(len));
      this.#f64[slot] = b;
    }
    return b.subarray(0, len);
  }

  i32Any(slot: number, len: number): Int32Array {
    let b = this.#i32[slot];
    if (b === undefined || b.length < len) {
      b = new Int32Array(headroom(len));
      this.#i32[slot] = b;
    }
    return b.subarray(0, len);
  }

  /** Bytes currently held. */
  get bytes(): number {
    let total = 0;
    for (const b of this.#f64) total += b?.byteLength ?? 0;
    for (const b of this.#i32) total += b?.byteLength ?? 0;
    return total;
  }

  /** Drops every buffer (the workspace stays usable and grows again on the next epoch). */
  release(): void {
    this.#f64 = [];
    this.#i32 = [];
  }
}

/** A little room so that an epoch with slightly more entries than the last one does not reallocate. */
function headroom(len: number): number {
  return len + (len >> 3);
}

/** A workspace to pass to every epoch of a long-running caller: `yumaEpoch(input, { workspace })`. */
export function createYumaWorkspace(): YumaWorkspace {
  return new YumaWorkspace();
}
