import { describe, expect, it } from 'vitest';
import { bombPng, reencode, SEED, solidImage, specOf } from '../fixtures.test-util.js';
import { renderProcedural } from '../render/procedural.js';
import { decodeImage, sniffFormat } from './decode.js';

describe('decodeImage', () => {
  it('decodes PNG, JPEG and WebP to RGB pixels', async () => {
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const bytes = await solidImage(64, 48, [214, 39, 40], format);
      const result = await decodeImage(bytes);
      if (!result.ok) throw new Error(result.failure.reason);
      expect(result.image).toMatchObject({ width: 64, height: 48, format, channels: 3 });
      expect(result.image.data.length).toBe(64 * 48 * 3);
      const [r, g, b] = result.image.data;
      expect(Math.abs(r! - 214) + Math.abs(g! - 39) + Math.abs(b! - 40)).toBeLessThan(20);
    }
  });

  it('flattens alpha onto white', async () => {
    const sharp = (await import('sharp')).default;
    const png = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const result = await decodeImage(png);
    expect(result.ok && result.image.hadAlpha).toBe(true);
    expect(result.ok && Array.from(result.image.data.subarray(0, 3))).toEqual([255, 255, 255]);
  });

  it('rejects a decompression bomb from its header without inflating it', async () => {
    const bomb = bombPng(30000, 30000);
    expect(bomb.length).toBeLessThan(200_000);
    const result = await decodeImage(bomb);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure.code).toBe('TOO_MANY_PIXELS');
    expect(!result.ok && result.failure.reason).toMatch(/30000×30000/);
  });

  it('rejects a truncated PNG', async () => {
    const png = await renderProcedural(specOf(), SEED);
    const result = await decodeImage(png.subarray(0, Math.floor(png.length * 0.6)));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure.code).toBe('CORRUPT');
  });

  it('rejects garbage, empty input, other formats and oversized input by bytes', async () => {
    const garbage = new Uint8Array(1000).map((_, i) => (i * 7919) & 0xff);
    expect(await decodeImage(garbage)).toMatchObject({
      ok: false,
      failure: { code: 'UNSUPPORTED_FORMAT' },
    });
    expect(await decodeImage(new Uint8Array(0))).toMatchObject({
      ok: false,
      failure: { code: 'EMPTY' },
    });
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    expect(await decodeImage(gif)).toMatchObject({
      ok: false,
      failure: { code: 'UNSUPPORTED_FORMAT' },
    });
    const png = await solidImage(16, 16, [0, 0, 0]);
    expect(await decodeImage(png, { maxBytes: 10 })).toMatchObject({
      ok: false,
      failure: { code: 'TOO_MANY_BYTES' },
    });
    // PNG magic followed by garbage.
    const fake = new Uint8Array([...png.subarray(0, 8), ...garbage]);
    expect(await decodeImage(fake)).toMatchObject({ ok: false, failure: { code: 'CORRUPT' } });
  });

  it('rejects animated images', async () => {
    const sharp = (await import('sharp')).default;
    const frame = (r: number) =>
      sharp({ create: { width: 16, height: 16, channels: 3, background: { r, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    const webp = await sharp([await frame(0), await frame(255)], { join: { animated: true } })
      .webp()
      .toBuffer();
    expect(await decodeImage(webp)).toMatchObject({
      ok: false,
      failure: { code: 'ANIMATED', reason: 'animated webp (2 frames)' },
    });
  });

  it('applies a lower pixel cap when asked', async () => {
    const png = await solidImage(100, 100, [0, 0, 0]);
    expect(await decodeImage(png, { maxPixels: 99 * 100 })).toMatchObject({
      ok: false,
      failure: { code: 'TOO_MANY_PIXELS' },
    });
    expect((await decodeImage(png, { maxPixels: 100 * 100 })).ok).toBe(true);
  });

  it('sniffs formats by magic bytes', async () => {
    const png = await renderProcedural(specOf(), SEED);
    expect(sniffFormat(png)).toBe('png');
    expect(sniffFormat(await reencode(png, 'jpeg'))).toBe('jpeg');
    expect(sniffFormat(await reencode(png, 'webp'))).toBe('webp');
    expect(sniffFormat(new Uint8Array([1, 2, 3]))).toBe(null);
  });
});
