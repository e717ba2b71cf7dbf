import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { fontsAvailable, reencode, SEED, solidImage, specOf } from '../fixtures.test-util.js';
import { PALETTE } from '../prompt/palette.js';
import { renderProcedural } from '../render/procedural.js';
import { type DecodedImage, decodeImage } from './decode.js';
import { checkText } from './ocr.js';
import { createPaddleOcr } from './ocr-paddle.js';
import { createTesseractOcr } from './ocr-tesseract.js';
import { cropTextBand } from './text-crop.js';

async function decoded(bytes: Uint8Array): Promise<DecodedImage> {
  const result = await decodeImage(bytes);
  if (!result.ok) throw new Error(result.failure.reason);
  return result.image;
}

const paddle = createPaddleOcr();
afterAll(() => paddle.close());

const fonts = await fontsAvailable();

describe.skipIf(!fonts)('checkText with PP-OCRv4', () => {
  it('reads the rendered text back, also from a lossy JPEG', async () => {
    const spec = specOf();
    const png = await renderProcedural(spec, SEED);
    const exact = await checkText(await decoded(png), spec, paddle);
    expect(exact).toMatchObject({ status: 'scored', score: 1, engine: 'pp-ocrv4-rec' });
    const jpeg = await reencode(png, 'jpeg', { quality: 70 });
    expect(await checkText(await decoded(jpeg), spec, paddle)).toMatchObject({ score: 1 });
  });

  it('scores wrong text low and a blank band 0', async () => {
    const spec = specOf();
    const wrong = await renderProcedural(
      specOf({ text: { value: 'ZEBRA 7', colour: 'white' } }),
      SEED,
    );
    const result = await checkText(await decoded(wrong), spec, paddle);
    expect(result.status).toBe('scored');
    expect(result.status === 'scored' && result.score).toBeLessThan(0.5);
    const blank = await checkText(
      await decoded(await solidImage(512, 512, PALETTE.navy)),
      spec,
      paddle,
    );
    expect(blank).toMatchObject({ status: 'scored', score: 0, read: '' });
  });

  it('is partial, never faked, when the engine cannot run or is not configured', async () => {
    const spec = specOf();
    const image = await decoded(await renderProcedural(spec, SEED));
    const broken = createPaddleOcr({ modelPath: '/nonexistent/model.onnx' });
    const result = await checkText(image, spec, broken);
    expect(result).toMatchObject({ status: 'partial', engine: 'pp-ocrv4-rec' });
    expect(result.status === 'partial' && result.reason).toMatch(/does not load/);
    expect(await checkText(image, spec, null)).toMatchObject({ status: 'partial', engine: null });
    expect(await checkText(image, { text: null }, paddle)).toEqual({ status: 'not-requested' });
  });
});

describe.skipIf(!fonts)('cropTextBand', () => {
  it('crops tight around the text in the bottom quarter', async () => {
    const spec = specOf();
    const crop = cropTextBand(await decoded(await renderProcedural(spec, SEED)));
    expect(crop).not.toBeNull();
    expect(crop!.box.y).toBeGreaterThanOrEqual(384);
    expect(crop!.box.width).toBeLessThan(512);
    expect(crop!.box.width / crop!.box.height).toBeGreaterThan(3);
  });
});

const hasTesseract = spawnSync('tesseract', ['--version']).status === 0;
if (!hasTesseract) {
  console.warn(
    '[image] tesseract is not installed: its OCR test is skipped (apt-get install tesseract-ocr)',
  );
}

describe.skipIf(!hasTesseract || !fonts)('checkText with tesseract', () => {
  it('reads the rendered text back', async () => {
    const spec = specOf();
    const image = await decoded(await renderProcedural(spec, SEED));
    expect(await checkText(image, spec, createTesseractOcr())).toMatchObject({
      status: 'scored',
      score: 1,
      engine: 'tesseract',
    });
  });

  it('is partial when the binary is missing', async () => {
    const spec = specOf();
    const image = await decoded(await renderProcedural(spec, SEED));
    const result = await checkText(
      image,
      spec,
      createTesseractOcr({ binary: 'no-such-tesseract' }),
    );
    expect(result).toMatchObject({ status: 'partial', engine: 'tesseract' });
  });
});
