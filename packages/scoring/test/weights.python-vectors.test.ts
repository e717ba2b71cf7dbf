import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  convertWeightsAndUidsForEmit,
  normalizeMaxWeight,
  processWeights,
  u16ToFloatWeights,
} from '../src/index.js';

/**
 * Vectors produced by running the Python SDK's own `bittensor/utils/weight_utils.py`
 * (opentensor/bittensor 10.2.0, NumPy 2.4) — see `vectors/gen-python-weight-vectors.py`.
 * Every comparison is exact: same u16 values, same float bits.
 */
interface Vectors {
  emit: { name: string; uids: number[]; weights: number[]; outUids: number[]; outVals: number[] }[];
  normalizeMaxWeight: {
    name: string;
    dtype: 'float32' | 'float64';
    limit: number;
    x: number[];
    y: number[];
  }[];
  processWeights: {
    name: string;
    uids: number[];
    weights: number[];
    numNeurons: number;
    minAllowedWeights: number;
    maxWeightLimit: number;
    excludeQuantile: number;
    outUids: number[];
    outWeights: number[];
    outDtype: string;
    emitUids: number[];
    emitVals: number[];
  }[];
  toFloat: { name: string; n: number; uids: number[]; vals: number[]; row: number[] }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/python-weight-utils.json', import.meta.url), 'utf8'),
) as Vectors;

describe('Python SDK vectors: convert_weights_and_uids_for_emit', () => {
  it.each(vectors.emit.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const out = convertWeightsAndUidsForEmit(v.uids, v.weights);
    expect(Array.from(out.uids)).toEqual(v.outUids);
    expect(Array.from(out.values)).toEqual(v.outVals);
  });
});

describe('Python SDK vectors: normalize_max_weight', () => {
  it.each(vectors.normalizeMaxWeight.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const y = normalizeMaxWeight(v.x, v.limit, v.dtype);
    expect(Array.from(y)).toEqual(v.y);
  });
});

describe('Python SDK vectors: process_weights then emit', () => {
  it.each(vectors.processWeights.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const p = processWeights(v.uids, v.weights, {
      numNeurons: v.numNeurons,
      minAllowedWeights: v.minAllowedWeights,
      maxWeightLimit: v.maxWeightLimit,
      excludeQuantile: v.excludeQuantile,
    });
    expect(p.dtype).toBe(v.outDtype);
    expect(Array.from(p.uids)).toEqual(v.outUids);
    expect(Array.from(p.weights)).toEqual(v.outWeights);
    const e = convertWeightsAndUidsForEmit(p.uids, p.weights);
    expect(Array.from(e.uids)).toEqual(v.emitUids);
    expect(Array.from(e.values)).toEqual(v.emitVals);
  });
});

describe('Python SDK vectors: convert_weight_uids_and_vals_to_tensor', () => {
  it.each(vectors.toFloat.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(Array.from(u16ToFloatWeights(v.n, v.uids, v.vals))).toEqual(v.row);
  });
});
