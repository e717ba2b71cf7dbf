import { describe, expect, it } from 'vitest';
import { reencode, SEED, seedOf, solidImage, specOf } from '../fixtures.test-util.js';
import { buildTaskSpec } from '../prompt/grammar.js';
import { PALETTE } from '../prompt/palette.js';
import type { ImageTaskSpec } from '../prompt/spec.js';
import { renderProcedural } from '../render/procedural.js';
import { decodeImage } from './decode.js';
import { labelMap } from './quantise.js';
import { analyseShapes, classifyFill } from './shapes.js';

async function shapesOf(bytes: Uint8Array, spec: ImageTaskSpec) {
  const result = await decodeImage(bytes);
  if (!result.ok) throw new Error(result.failure.reason);
  return analyseShapes(labelMap(result.image), spec);
}

describe('analyseShapes', () => {
  it('counts and classifies the shapes of faithful renders over many seeds', async () => {
    for (let i = 0; i < 24; i++) {
      const seed = seedOf(1000 + i);
      const spec = buildTaskSpec(seed);
      const result = await shapesOf(await renderProcedural(spec, seed), spec);
      expect({ i, counts: result.shapeCounts }).toEqual({ i, counts: 1 });
      expect(result.shapeKinds).toBeGreaterThan(0.9);
    }
  });

  it('sees a wrong count', async () => {
    const spec = specOf();
    const fewer = specOf({
      shapes: [
        { kind: 'circle', colour: 'red', count: 1 },
        { kind: 'square', colour: 'yellow', count: 1 },
      ],
    });
    const result = await shapesOf(await renderProcedural(fewer, SEED), spec);
    const red = result.evidence.groups[0]!;
    expect(red).toMatchObject({ expected: 3, found: 1 });
    expect(result.shapeCounts).toBeCloseTo((1 / 3 + 1) / 2, 5);
  });

  it('sees a wrong kind', async () => {
    const spec = specOf();
    const squares = specOf({
      shapes: [
        { kind: 'square', colour: 'red', count: 3 },
        { kind: 'triangle', colour: 'yellow', count: 1 },
      ],
    });
    const result = await shapesOf(await renderProcedural(squares, SEED), spec);
    expect(result.shapeCounts).toBe(1);
    expect(result.shapeKinds).toBe(0);
  });

  it('finds nothing in a blank image', async () => {
    const spec = specOf();
    const result = await shapesOf(await solidImage(512, 512, PALETTE.navy), spec);
    expect(result.shapeCounts).toBe(0);
    expect(result.shapeKinds).toBe(0);
  });

  it('still counts after lossy JPEG and WebP', async () => {
    const seed = seedOf(77);
    const spec = buildTaskSpec(seed);
    const png = await renderProcedural(spec, seed);
    for (const format of ['jpeg', 'webp'] as const) {
      const result = await shapesOf(await reencode(png, format, { quality: 75 }), spec);
      expect(result.shapeCounts).toBe(1);
      expect(result.shapeKinds).toBeGreaterThan(0.9);
    }
  });

  it('classifies fill ratios', () => {
    expect(classifyFill(1)).toBe('square');
    expect(classifyFill(0.785)).toBe('circle');
    expect(classifyFill(0.5)).toBe('triangle');
    expect(classifyFill(0.87)).toBe(null);
  });
});
