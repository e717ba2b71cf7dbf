import { describe, expect, it } from 'vitest';
import { reencode, SEED, seedOf, specOf } from '../fixtures.test-util.js';
import { renderProcedural } from '../render/procedural.js';
import { decodeImage } from './decode.js';
import { type GreyImage, toGrey } from './grey.js';
import { ssim } from './ssim.js';

async function grey(bytes: Uint8Array): Promise<GreyImage> {
  const result = await decodeImage(bytes);
  if (!result.ok) throw new Error(result.failure.reason);
  return toGrey(result.image);
}

describe('ssim', () => {
  it('is 1 for a re-render of the same spec and seed, high for a lossy copy', async () => {
    const spec = specOf();
    const a = await grey(await renderProcedural(spec, SEED));
    const b = await grey(await renderProcedural(spec, SEED));
    expect(ssim(a, b)).toBeCloseTo(1, 10);
    const jpeg = await grey(
      await reencode(await renderProcedural(spec, SEED), 'jpeg', { quality: 70 }),
    );
    expect(ssim(a, jpeg)).toBeGreaterThan(0.9);
  });

  it('is low for another layout of the same spec', async () => {
    const spec = specOf();
    const a = await grey(await renderProcedural(spec, SEED));
    const other = await grey(await renderProcedural(spec, seedOf(9)));
    expect(ssim(a, other)).toBeLessThan(0.85);
  });

  it('follows the SSIM formula on flat images', () => {
    const flat = (v: number): GreyImage => ({
      width: 32,
      height: 32,
      data: new Float32Array(1024).fill(v),
    });
    const c1 = (0.01 * 255) ** 2;
    expect(ssim(flat(100), flat(150))).toBeCloseTo(
      (2 * 100 * 150 + c1) / (100 ** 2 + 150 ** 2 + c1),
      6,
    );
  });

  it('drops with noise and rejects different sizes', async () => {
    const a = await grey(await renderProcedural(specOf(), SEED));
    const noisy = {
      ...a,
      data: a.data.map((v, i) => Math.min(255, Math.max(0, v + ((i * 7919) % 61) - 30))),
    };
    expect(ssim(a, noisy)).toBeLessThan(0.8);
    const small = await grey(await renderProcedural(specOf({ width: 256, height: 256 }), SEED));
    expect(() => ssim(a, small)).toThrow(/sizes differ/);
  });
});
