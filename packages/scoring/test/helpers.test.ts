import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyMinSampleRamp,
  combineVerdicts,
  createCredibilityTracker,
  createScoreEma,
  credibilityMultiplier,
  detectCopies,
  ema,
  fail,
  latencyMultiplier,
  minSampleRamp,
  pass,
  powerTransform,
  ScoringError,
  safeNormalize,
  unverifiable,
  type Verdict,
  verdictSample,
} from '../src/index.js';

describe('safeNormalize', () => {
  it('sums to 1, keeps all-zero as zeros, names the bad index', () => {
    expect(Array.from(safeNormalize([1, 3]))).toEqual([0.25, 0.75]);
    expect(Array.from(safeNormalize([0, 0, 0]))).toEqual([0, 0, 0]);
    expect(() => safeNormalize([1, Number.NaN, 2])).toThrow(/x\[1\]/);
    expect(() => safeNormalize([1, Number.POSITIVE_INFINITY])).toThrow(ScoringError);
    try {
      safeNormalize([0, -1]);
    } catch (e) {
      expect((e as ScoringError).code).toBe('NEGATIVE_VALUE');
      expect((e as ScoringError).field).toBe('x[1]');
    }
  });
});

describe('score EMA', () => {
  it('follows new = α·sample + (1−α)·old for the updated uids only', () => {
    const s = createScoreEma({ alpha: 0.1, n: 3 });
    s.update([0, 2], [1, 0.5]);
    expect(Array.from(s.scores())).toEqual([0.1, 0, 0.05]);
    s.update([0], [1]);
    expect(s.scores()[0]).toBeCloseTo(0.1 + 0.9 * 0.1, 15);
    expect(ema(0.5, 1, 0.25)).toBe(0.625);
    expect(Array.from(s.sampleCounts())).toEqual([2, 0, 1]);
  });
  it('resets a uid when its hotkey changes and grows with the metagraph', () => {
    const s = createScoreEma({ alpha: 0.5, n: 2 });
    expect(s.syncHotkeys(['a', 'b'])).toEqual([]);
    s.update([0, 1], [1, 1]);
    expect(s.syncHotkeys(['a', 'c', 'd'])).toEqual([1]);
    expect(Array.from(s.scores())).toEqual([0.5, 0, 0]);
    const restored = createScoreEma({ alpha: 0.5 }, s.toJSON());
    expect(Array.from(restored.scores())).toEqual([0.5, 0, 0]);
    expect(restored.syncHotkeys(['x', 'c', 'd'])).toEqual([0]);
  });
  it('rejects bad input with a named field', () => {
    const s = createScoreEma({ alpha: 0.1, n: 2 });
    expect(() => s.update([0], [Number.NaN])).toThrow(/samples\[0\]/);
    expect(() => s.update([5], [1])).toThrow(/uids\[0\]/);
    expect(() => createScoreEma({ alpha: 2 })).toThrow(/alpha/);
  });
  it('stays within the range of its samples', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (alpha, samples) => {
          const s = createScoreEma({ alpha, n: 1 });
          for (const x of samples) s.update([0], [x]);
          const v = s.scores()[0]!;
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(Math.max(...samples) + 1e-12);
        },
      ),
    );
  });
});

describe('transforms', () => {
  it('power transform sharpens and normalises', () => {
    expect(Array.from(powerTransform([1, 2], 2, true))).toEqual([0.2, 0.8]);
    expect(() => powerTransform([1], 0)).toThrow(/exponent/);
    expect(() => powerTransform([-1], 2)).toThrow(/x\[0\]/);
  });
  it('min-sample ramps go from 0 to 1', () => {
    expect(minSampleRamp(0, 10)).toBe(0);
    expect(minSampleRamp(5, 10)).toBe(0.5);
    expect(minSampleRamp(5, 10, 'smoothstep')).toBe(0.5);
    expect(minSampleRamp(2, 10, 'smoothstep')).toBeCloseTo(0.104, 12);
    expect(minSampleRamp(9, 10, 'step')).toBe(0);
    expect(minSampleRamp(12, 10)).toBe(1);
    expect(Array.from(applyMinSampleRamp([1, 1], [5, 20], 10))).toEqual([0.5, 1]);
  });
});

const verdictArb: fc.Arbitrary<Verdict> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((s) => pass(s) as Verdict),
  fc.constant(fail('wrong') as Verdict),
  fc.constant(unverifiable('no model') as Verdict),
);

describe('verdicts', () => {
  it('combine: unverifiable parts are left out, fails are fatal by default', () => {
    const v = combineVerdicts({ a: pass(0.8), b: pass(0.4), c: unverifiable('no gpu') });
    expect(v.status).toBe('pass');
    expect(v.score).toBeCloseTo(0.6, 15);
    expect(v.components).toEqual({ a: 0.8, b: 0.4, c: null });
    expect(v.reasons).toEqual(['c: no gpu']);
    expect(combineVerdicts({ a: pass(1), b: fail('bad format') }).score).toBe(0);
    expect(combineVerdicts({ a: unverifiable('x') }).status).toBe('unverifiable');
    expect(combineVerdicts({ a: pass(0.5), b: pass(0.2) }, { mode: 'min' }).score).toBe(0.2);
  });
  it('adding an unverifiable part never lowers the combined score', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), verdictArb, {
          minKeys: 1,
          maxKeys: 6,
        }),
        fc.constantFrom('weighted-mean', 'min', 'product') as fc.Arbitrary<
          'weighted-mean' | 'min' | 'product'
        >,
        (parts, mode) => {
          const before = combineVerdicts(parts, { mode });
          const after = combineVerdicts({ ...parts, __extra__: unverifiable('offline') }, { mode });
          if (before.score === null) expect(after.score).toBeNull();
          else expect(after.score).toBe(before.score);
        },
      ),
    );
  });
  it('verdictSample keeps the previous score for unverifiable verdicts', () => {
    expect(verdictSample(unverifiable('x'), 0.7)).toBe(0.7);
    expect(verdictSample(pass(0.2), 0.7)).toBe(0.2);
    expect(() => pass(1.5)).toThrow(/score/);
  });
});

describe('latency multiplier', () => {
  const opts = { targetMs: 200, maxMs: 2000, floor: 0.2 };
  it('is 1 at target, floor at max, and monotone for every curve', () => {
    for (const curve of ['linear', 'exponential', 'power'] as const) {
      expect(latencyMultiplier(100, { ...opts, curve })).toBe(1);
      expect(latencyMultiplier(5000, { ...opts, curve })).toBe(0.2);
      expect(latencyMultiplier(Number.NaN, { ...opts, curve })).toBe(0.2);
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 3000, noNaN: true }),
          fc.double({ min: 0, max: 3000, noNaN: true }),
          (x, y) => {
            const [a, b] = x <= y ? [x, y] : [y, x];
            expect(latencyMultiplier(a, { ...opts, curve })).toBeGreaterThanOrEqual(
              latencyMultiplier(b, { ...opts, curve }) - 1e-12,
            );
          },
        ),
        { numRuns: 100 },
      );
    }
    expect(latencyMultiplier(1100, opts)).toBeCloseTo(0.6, 12);
    expect(() => latencyMultiplier(1, { ...opts, maxMs: 100 })).toThrow(/maxMs/);
  });
});

describe('credibility', () => {
  it('EMA of outcomes, unverifiable leaves it, multiplier applies the exponent', () => {
    const c = createCredibilityTracker({ alpha: 0.5, exponent: 2 });
    expect(c.update(3, true)).toBe(0.5);
    expect(c.update(3, null)).toBe(0.5);
    expect(c.update(3, false)).toBe(0.25);
    expect(c.multiplier(3)).toBe(0.0625);
    expect(c.credibility(9)).toBe(0);
    expect(credibilityMultiplier(0.5, 1)).toBe(0.5);
    const restored = createCredibilityTracker({ alpha: 0.5, exponent: 2 }, c.toJSON());
    expect(restored.credibility(3)).toBe(0.25);
  });
});

describe('copy detection', () => {
  it('flags identical and near-identical answers across miners and seeds only', () => {
    const text = 'The quick brown fox jumps over the lazy dog near the river bank today';
    const report = detectCopies([
      { uid: 1, seed: 'a', output: text },
      { uid: 2, seed: 'b', output: `  ${text.toUpperCase()} ` }, // identical after normalisation
      { uid: 3, seed: 'c', output: `${text}!` }, // near-identical
      { uid: 4, seed: 'a', output: text }, // same seed as uid 1: legitimately identical
      { uid: 5, seed: 'd', output: 'A completely different answer about compilers and types.' },
      { uid: 1, seed: 'e', output: text }, // same miner: not a copy of itself
    ]);
    const pairs = report.pairs.map((p) => [p.uidA, p.uidB, p.kind]);
    expect(pairs).toContainEqual([1, 2, 'identical']);
    expect(pairs).toContainEqual([1, 3, 'near-identical']);
    // outputs 0 and 3 answer the same seed: never compared
    expect(report.pairs.some((p) => p.a === 0 && p.b === 3)).toBe(false);
    expect(report.flagged.has(5)).toBe(false);
    // outputs 0 and 5 come from the same miner: never compared
    expect(report.pairs.some((p) => p.a === 0 && p.b === 5)).toBe(false);
    expect(report.pairs.every((p) => p.uidA !== p.uidB)).toBe(true);
  });
  it('compares numeric outputs by cosine similarity', () => {
    const r = detectCopies([
      { uid: 1, seed: 1, output: [1, 0, 0, 1] },
      { uid: 2, seed: 2, output: [1, 0, 0, 0.98] },
      { uid: 3, seed: 3, output: [0, 1, 1, 0] },
    ]);
    expect(r.pairs.map((p) => [p.uidA, p.uidB])).toEqual([[1, 2]]);
    expect(() => detectCopies([{ uid: 1, output: [Number.NaN] }])).toThrow(/outputs\[0\]/);
  });
});
