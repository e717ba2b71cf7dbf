import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createYumaWorkspace,
  type MatrixU16,
  type YumaInput,
  type YumaOutput,
  yumaEpoch,
} from '../src/index.js';
import { yumaEpoch as referenceEpoch } from './support/reference-yuma/epoch.js';
import { type Subnet, subnet, toInput } from './support/yuma-arbitrary.js';

/**
 * Typed CSR weights and bonds (the one-pass read-and-mask path), chain-style rows, and a
 * workspace reused across epochs, against the step-by-step reference fed plain-array CSR (its
 * general reader).
 */

/** Rows as CSR, each row's entries in `order` (ascending or shuffled), plus columns ≥ n. */
function csr(
  rows: Array<Array<[number, number]>>,
  typed: boolean,
  shuffle: number[],
  extra: number,
) {
  const indices: number[] = [];
  const values: number[] = [];
  const indptr = [0];
  rows.forEach((row, i) => {
    const r = [...row].sort((a, b) => a[0] - b[0]);
    if (shuffle[i % shuffle.length]! % 3 === 0 && r.length > 1) r.reverse();
    for (let e = 0; e < extra; e++) r.push([rows.length + e, 7]);
    for (const [j, v] of r) {
      indices.push(j);
      values.push(v);
    }
    indptr.push(indices.length);
  });
  return typed
    ? {
        indptr: Int32Array.from(indptr),
        indices: Uint16Array.from(indices),
        values: Uint16Array.from(values),
      }
    : { indptr, indices, values };
}

const variant = fc.record({
  shuffle: fc.array(fc.nat(5), { minLength: 1, maxLength: 8 }),
  extra: fc.nat(2),
  duplicate: fc.boolean(),
  /** the fast epoch's input: typed CSR, or chain-style rows (the localnet's form) */
  rows: fc.boolean(),
  /** an entry that is not a u16 (rows only: typed arrays cannot hold one), or none */
  invalid: fc.constantFrom(undefined, [0, 65536], [0, -1], [0, 0.5], [-1, 3], [70000, 3]),
});

type Variant = {
  shuffle: number[];
  extra: number;
  duplicate: boolean;
  rows: boolean;
  invalid: readonly number[] | undefined;
};

/** The same rows, shuffled and extended like `csr`, as chain-style `[uid, value]` rows. */
function chainRows(
  rows: Array<Array<[number, number]>>,
  shuffle: number[],
  extra: number,
): Array<Array<[number, number]>> {
  const m = csr(rows, false, shuffle, extra);
  return rows.map((_, i) => {
    const out: Array<[number, number]> = [];
    for (let k = m.indptr[i]!; k < m.indptr[i + 1]!; k++) out.push([m.indices[k]!, m.values[k]!]);
    return out;
  });
}

function inputs(s: Subnet, v: Variant) {
  const base = toInput(s);
  const w = (base.weights as Array<Array<[number, number]>>).map((r) => [...r]);
  // a repeated column must be rejected exactly as the general reader rejects it
  if (v.duplicate && w[0]!.length > 0) w[0]!.push(w[0]![0]!);
  if (v.invalid !== undefined && v.rows) w[w.length - 1]!.push([...v.invalid] as [number, number]);
  const b = (base.bonds as Array<Array<[number, number]>> | undefined)?.map((r) => [...r]);
  const last = b?.[b.length - 1];
  if (v.duplicate && last !== undefined && last.length > 0) last.push(last[0]!);
  const form = (rows: Array<Array<[number, number]>>, fast: boolean): MatrixU16 =>
    fast && v.rows ? chainRows(rows, v.shuffle, v.extra) : csr(rows, fast, v.shuffle, v.extra);
  const build = (fast: boolean): YumaInput => ({
    ...base,
    weights: form(w, fast),
    ...(b !== undefined ? { bonds: form(b, fast) } : {}),
  });
  return { fast: build(true), reference: build(false) };
}

function outcome(f: () => YumaOutput): YumaOutput | { error: unknown } {
  try {
    return f();
  } catch (e) {
    return { error: (e as { code?: string; message: string }).message };
  }
}

describe('typed CSR and a reused workspace give the reference epoch', () => {
  it('typed CSR or rows (sorted, unsorted, columns ≥ n, duplicates), fresh and with a workspace', () => {
    const ws = createYumaWorkspace();
    fc.assert(
      fc.property(subnet, variant, (s, v) => {
        const { fast, reference } = inputs(s, v);
        const expected = outcome(() => referenceEpoch(reference));
        expect(outcome(() => yumaEpoch(fast))).toEqual(expected);
        expect(outcome(() => yumaEpoch(fast, { workspace: ws }))).toEqual(expected);
      }),
      { numRuns: 600 },
    );
  });

  it('outputs of an epoch stay intact after later epochs reuse the workspace', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(subnet, variant), { minLength: 2, maxLength: 6 }), (runs) => {
        const ws = createYumaWorkspace();
        const kept: Array<{ out: YumaOutput; snapshot: YumaOutput }> = [];
        for (const [s, v] of runs) {
          const { fast } = inputs(s, { ...v, duplicate: false, invalid: undefined });
          const out = yumaEpoch(fast, { workspace: ws });
          kept.push({ out, snapshot: structuredClone(out) });
        }
        for (const { out, snapshot } of kept) expect(out).toEqual(snapshot);
      }),
      { numRuns: 200 },
    );
  });

  it('holds its buffers until released, then grows again', () => {
    const ws = createYumaWorkspace();
    expect(ws.bytes).toBe(0);
    const n = 64;
    const rows = Array.from({ length: n }, (_, i) =>
      i < 8
        ? Array.from(
            { length: n - 8 },
            (_, k) => [8 + k, 1 + ((i * 31 + k * 17) % 65535)] as [number, number],
          )
        : [],
    );
    const input: YumaInput = {
      n,
      stake: Array.from({ length: n }, (_, i) => (i < 8 ? BigInt(1000 + i) : 0n)),
      weights: csr(rows, true, [1], 0),
      bonds: csr(rows, true, [1], 0),
      lastUpdate: new Array(n).fill(100),
      blockAtRegistration: new Array(n).fill(0),
      validatorPermit: Array.from({ length: n }, (_, i) => i < 8),
      currentBlock: 101,
      emission: 1_000_000_000n,
    };
    const fresh = yumaEpoch(input);
    expect(yumaEpoch(input, { workspace: ws })).toEqual(fresh);
    const held = ws.bytes;
    expect(held).toBeGreaterThan(8 * 56 * 8);
    expect(yumaEpoch(input, { workspace: ws })).toEqual(fresh);
    expect(ws.bytes).toBe(held); // the same input reuses, never regrows
    ws.release();
    expect(ws.bytes).toBe(0);
    expect(yumaEpoch(input, { workspace: ws })).toEqual(fresh);
  });
});
