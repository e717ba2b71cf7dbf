import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertWeightsAndUidsForEmit, normalizeMaxWeight, processWeights } from '../src/index.js';
import {
  drawLimit,
  drawWeights,
  MIN_ALLOWED,
  QUANTILES,
  SplitMix64,
} from './support/stress-inputs.js';

/**
 * Thousands of random cases run through the Python SDK's own `weight_utils.py` (10.2.0,
 * NumPy 2.4; `vectors/gen-python-weight-vectors.py --stress`). The inputs are rebuilt here
 * from the same splitmix64 stream; the SDK's outputs are stored as hashes of their exact
 * bytes, and process_weights' emitted u16 values in full.
 */
interface StressVectors {
  seed: number;
  normalizeMaxWeight: {
    n: number;
    dtype: 'float32' | 'float64';
    dist: string;
    limitKind: string;
    limit: number;
    yDtype: string;
    yHash: string;
    emitHash: string;
  }[];
  processWeights: {
    n: number;
    dist: string;
    limitKind: string;
    limit: number;
    minAllowedWeights: number;
    excludeQuantile: number;
    outDtype: string;
    outHash: string;
    emitHash: string;
    emitVals: string;
  }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/python-weight-stress.json', import.meta.url), 'utf8'),
) as StressVectors;

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

function floatDigest(values: Float64Array, dtype: string): string {
  const a = dtype === 'float32' ? Float32Array.from(values) : values;
  return digest(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function emitDigest(uids: Uint16Array, values: Uint16Array): string {
  const both = new Uint16Array(uids.length + values.length);
  both.set(uids, 0);
  both.set(values, uids.length);
  return digest(new Uint8Array(both.buffer));
}

function u16FromBase64(b64: string): number[] {
  const bytes = Buffer.from(b64, 'base64');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) out.push(bytes.readUInt16LE(i));
  return out;
}

function arange(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

// The 2,000 + 2,000 cases are checked in one test each (not one test per case), and each
// failure names the case, so a report stays readable.
describe('Python SDK stress vectors', () => {
  const rng = new SplitMix64(vectors.seed);

  it(`normalize_max_weight: ${vectors.normalizeMaxWeight.length} random cases, bit for bit`, () => {
    const failures: string[] = [];
    vectors.normalizeMaxWeight.forEach((v, i) => {
      const n = rng.int(1, 256);
      const dtype = rng.uniform() < 0.75 ? 'float32' : 'float64';
      const { dist, weights } = drawWeights(rng, n);
      const { kind, limit } = drawLimit(rng);
      // the generator and this file must draw the same case
      expect([n, dtype, dist, kind, limit]).toEqual([v.n, v.dtype, v.dist, v.limitKind, v.limit]);
      const x = dtype === 'float32' ? weights.map(Math.fround) : weights;
      const y = normalizeMaxWeight(x, limit, dtype);
      const e = convertWeightsAndUidsForEmit(arange(n), y);
      if (floatDigest(y, v.yDtype) !== v.yHash || emitDigest(e.uids, e.values) !== v.emitHash) {
        failures.push(`case ${i} (n=${n}, ${dtype}, ${dist}, limit ${kind} ${limit})`);
      }
    });
    expect(failures).toEqual([]);
  });

  it(`process_weights then emit: ${vectors.processWeights.length} random cases`, () => {
    const failures: string[] = [];
    vectors.processWeights.forEach((v, i) => {
      const n = rng.int(1, 256);
      const { dist, weights } = drawWeights(rng, n);
      const { kind, limit } = drawLimit(rng);
      const minAllowedWeights = rng.pick(MIN_ALLOWED);
      const excludeQuantile = rng.pick(QUANTILES);
      expect([n, dist, kind, limit, minAllowedWeights, excludeQuantile]).toEqual([
        v.n,
        v.dist,
        v.limitKind,
        v.limit,
        v.minAllowedWeights,
        v.excludeQuantile,
      ]);
      const p = processWeights(arange(n), weights, {
        numNeurons: n,
        minAllowedWeights,
        maxWeightLimit: limit,
        excludeQuantile,
      });
      const e = convertWeightsAndUidsForEmit(p.uids, p.weights);
      const sameFloats = p.dtype === v.outDtype && floatDigest(p.weights, v.outDtype) === v.outHash;
      if (!sameFloats || emitDigest(e.uids, e.values) !== v.emitHash) {
        const want = u16FromBase64(v.emitVals);
        const got = Array.from(e.values);
        const at = got.findIndex((x, j) => x !== want[j]);
        const detail =
          at >= 0 ? `value ${at}: ${got[at]} where the SDK emits ${want[at]}` : 'floats differ';
        failures.push(`case ${i} (n=${n}, ${dist}, limit ${kind} ${limit}): ${detail}`);
      }
    });
    expect(failures).toEqual([]);
  });
});
