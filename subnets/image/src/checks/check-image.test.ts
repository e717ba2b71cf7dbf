import { afterAll, describe, expect, it } from 'vitest';
import {
  bombPng,
  fontsAvailable,
  reencode,
  SEED,
  seedOf,
  solidImage,
  specOf,
} from '../fixtures.test-util.js';
import { PALETTE } from '../prompt/palette.js';
import { renderProcedural } from '../render/procedural.js';
import { checkImage } from './check-image.js';
import { createPaddleOcr } from './ocr-paddle.js';

const ocr = createPaddleOcr();
const fonts = await fontsAvailable();
afterAll(() => ocr.close());

describe('checkImage', () => {
  const spec = specOf();

  it.skipIf(!fonts)(
    'scores a faithful render 1 on every component, with evidence and timings',
    async () => {
      const png = await renderProcedural(spec, SEED);
      const result = await checkImage(png, spec, { ocr, reference: { seed: SEED } });
      expect(result.decoded).toBe(true);
      expect(result.components).toMatchObject({
        dimensions: 1,
        background: 1,
        shapeColours: 1,
        shapeCounts: 1,
        shapeKinds: 1,
        text: 1,
      });
      expect(result.components.colourShare).toBeGreaterThan(0.7);
      expect(result.components.ssim).toBeCloseTo(1, 6);
      expect(result.partial).toEqual([]);
      expect(result.evidence.decode).toMatchObject({ format: 'png', width: 512, height: 512 });
      expect(result.evidence.hashes?.pHash).toMatch(/^[0-9a-f]{16}$/);
      for (const stage of [
        'decode',
        'colour',
        'shapes',
        'ocr',
        'hash',
        'reference',
        'ssim',
      ] as const) {
        expect(result.timings[stage]).toBeGreaterThanOrEqual(0);
      }
      expect(result.timings.total).toBeGreaterThan(0);
    },
  );

  it.skipIf(!fonts)('passes lossy JPEG and WebP copies of the render', async () => {
    const png = await renderProcedural(spec, SEED);
    for (const format of ['jpeg', 'webp'] as const) {
      const result = await checkImage(await reencode(png, format, { quality: 75 }), spec, { ocr });
      expect(result.evidence.decode?.format).toBe(format);
      expect(result.components).toMatchObject({
        dimensions: 1,
        shapeColours: 1,
        shapeCounts: 1,
        text: 1,
      });
      expect(result.components.background).toBeGreaterThan(0.9);
    }
  });

  it.skipIf(!fonts)(
    'fails the wrong size, colours and text, each in its own component',
    async () => {
      const wrongSize = await checkImage(
        await renderProcedural({ ...spec, width: 448 }, SEED),
        spec,
        { ocr: null, reference: { seed: SEED } },
      );
      expect(wrongSize.components.dimensions).toBe(0);
      expect(wrongSize.components.ssim).toBe(0);
      const wrongColours = await checkImage(
        await renderProcedural(
          specOf({
            background: 'purple',
            shapes: [
              { kind: 'circle', colour: 'green', count: 3 },
              { kind: 'square', colour: 'yellow', count: 1 },
            ],
          }),
          SEED,
        ),
        spec,
        { ocr: null },
      );
      expect(wrongColours.components.dimensions).toBe(1);
      expect(wrongColours.components.background).toBe(0);
      expect(wrongColours.components.shapeColours).toBeLessThanOrEqual(0.5);
      const wrongText = await checkImage(
        await renderProcedural(specOf({ text: { value: 'TAO 7', colour: 'white' } }), SEED),
        spec,
        { ocr },
      );
      expect(wrongText.components.text).toBeLessThan(0.5);
      expect(wrongText.components.shapeCounts).toBe(1);
    },
  );

  it('scores a blank image low everywhere but the background', async () => {
    const result = await checkImage(await solidImage(512, 512, PALETTE.navy), spec, {
      ocr,
      reference: { seed: seedOf(3) },
    });
    expect(result.components).toMatchObject({
      dimensions: 1,
      background: 1,
      shapeColours: 0,
      shapeCounts: 0,
      text: 0,
    });
    expect(result.components.ssim).toBeLessThan(0.9);
  });

  it('marks text partial without an OCR engine, never scoring it', async () => {
    const result = await checkImage(await renderProcedural(spec, SEED), spec);
    expect(result.components.text).toBeUndefined();
    expect(result.partial).toEqual([{ component: 'text', reason: 'no OCR engine configured' }]);
  });

  it('returns typed decode failures for bombs, truncated files and garbage', async () => {
    const bomb = await checkImage(bombPng(30000, 30000), spec, { ocr });
    expect(bomb).toMatchObject({
      decoded: false,
      failure: { code: 'TOO_MANY_PIXELS' },
      components: {},
    });
    const png = await renderProcedural(spec, SEED);
    const truncated = await checkImage(png.subarray(0, png.length >> 1), spec, { ocr });
    expect(truncated).toMatchObject({ decoded: false, failure: { code: 'CORRUPT' } });
    const garbage = await checkImage(new Uint8Array(4096).fill(0xab), spec, { ocr });
    expect(garbage).toMatchObject({ decoded: false, failure: { code: 'UNSUPPORTED_FORMAT' } });
    expect(garbage.timings.decode).toBeGreaterThanOrEqual(0);
  });

  it('rejects a malformed spec, naming the field', async () => {
    await expect(checkImage(new Uint8Array(1), { ...spec, width: 100 })).rejects.toThrow(
      /spec\.width/,
    );
  });
});
