import { describe, expect, it } from 'vitest';
import { reencode, SEED, solidImage, specOf } from '../fixtures.test-util.js';
import { PALETTE } from '../prompt/palette.js';
import { renderProcedural } from '../render/procedural.js';
import { analyseColour } from './colour.js';
import { type DecodedImage, decodeImage } from './decode.js';
import { labelMap } from './quantise.js';

async function decoded(bytes: Uint8Array): Promise<DecodedImage> {
  const result = await decodeImage(bytes);
  if (!result.ok) throw new Error(result.failure.reason);
  return result.image;
}

const analyse = async (bytes: Uint8Array, spec = specOf()) => {
  const image = await decoded(bytes);
  return analyseColour(image, labelMap(image), spec);
};

describe('analyseColour', () => {
  it('scores a faithful render fully', async () => {
    const spec = specOf();
    const result = await analyse(await renderProcedural(spec, SEED), spec);
    expect(result.background).toBe(1);
    expect(result.evidence.background).toMatchObject({ nearest: 'navy', measured: '#0c1860' });
    expect(result.shapeColours).toBe(1);
    expect(result.colourShare).toBeGreaterThan(0.7);
  });

  it('fails the background when it is another colour', async () => {
    const spec = specOf();
    const result = await analyse(
      await renderProcedural({ ...spec, background: 'green' }, SEED),
      spec,
    );
    expect(result.background).toBe(0);
    expect(result.evidence.background.nearest).toBe('green');
    expect(result.evidence.background.deltaE2000).toBeGreaterThan(25);
  });

  it('gives partial credit to a near shade and none to a far one', async () => {
    const spec = specOf({ background: 'red' });
    const near = await analyse(await solidImage(256, 256, [255, 0, 0]), spec);
    expect(near.background).toBeGreaterThan(0.5);
    const far = await analyse(await solidImage(256, 256, PALETTE.pink), spec);
    expect(far.background).toBe(0);
    // Nearer to another palette colour than to the expected one: 0, however small the ΔE.
    const neighbour = await analyse(
      await solidImage(256, 256, PALETTE.purple),
      specOf({ background: 'navy' }),
    );
    expect(neighbour.evidence.background.nearest).toBe('purple');
    expect(neighbour.background).toBe(0);
  });

  it('finds missing and wrong shape colours', async () => {
    const spec = specOf();
    const wrong = specOf({
      shapes: [
        { kind: 'circle', colour: 'green', count: 3 },
        { kind: 'square', colour: 'yellow', count: 1 },
      ],
    });
    const result = await analyse(await renderProcedural(wrong, SEED), spec);
    expect(result.shapeColours).toBeLessThanOrEqual(0.5);
    expect(result.evidence.foreignShare).toBeGreaterThan(0.01);
    const blank = await analyse(await solidImage(512, 512, PALETTE.navy), spec);
    expect(blank.background).toBe(1);
    expect(blank.shapeColours).toBe(0);
    expect(blank.colourShare).toBe(0);
  });

  it('still passes a lossy JPEG or WebP of the render', async () => {
    const spec = specOf();
    const png = await renderProcedural(spec, SEED);
    for (const format of ['jpeg', 'webp'] as const) {
      const result = await analyse(await reencode(png, format, { quality: 75 }), spec);
      expect(result.background).toBeGreaterThan(0.9);
      expect(result.shapeColours).toBe(1);
      expect(result.colourShare).toBeGreaterThan(0.7);
    }
  });
});
