import { afterAll, describe, expect, it } from 'vitest';
import { renderReference } from './checks/reference.js';
import { fontsAvailable, reencode, seedOf, solidImage } from './fixtures.test-util.js';
import { createCheckPool } from './pool.js';
import { buildTaskSpec } from './prompt/grammar.js';
import { PALETTE } from './prompt/palette.js';
import { renderProcedural } from './render/procedural.js';

const fonts = await fontsAvailable();

describe('createCheckPool', () => {
  const pool = createCheckPool({ threads: 2 });
  afterAll(() => pool.close());

  it('checks several images on worker threads, with OCR and SSIM', async () => {
    const tasks = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const seed = seedOf(700 + i);
        const spec = buildTaskSpec(seed);
        let bytes = await renderProcedural(spec, seed);
        if (i === 1) bytes = await reencode(bytes, 'jpeg', { quality: 80 });
        return { bytes, spec, referenceSeed: seed };
      }),
    );
    expect(tasks.some((t) => t.spec.text)).toBe(true);
    const results = await Promise.all(tasks.map((t) => pool.check(t)));
    results.forEach((r, i) => {
      expect(r.decoded).toBe(true);
      expect(r.components).toMatchObject({ dimensions: 1, background: 1, shapeCounts: 1 });
      expect(r.components.ssim).toBeGreaterThan(i === 1 ? 0.9 : 0.999);
      if (tasks[i]!.spec.text && fonts) expect(r.components.text).toBe(1);
      expect(r.partial).toEqual([]);
      expect(r.timings.total).toBeGreaterThan(0);
    });
  });

  it('reports failures from workers as results, not crashes', async () => {
    const spec = buildTaskSpec(seedOf(1));
    const garbage = await pool.check({ bytes: new Uint8Array([1, 2, 3, 4]), spec });
    expect(garbage).toMatchObject({ decoded: false, failure: { code: 'UNSUPPORTED_FORMAT' } });
    const blank = await pool.check({
      bytes: await solidImage(spec.width, spec.height, PALETTE[spec.background]),
      spec,
      reference: await renderReference(spec, seedOf(1)),
    });
    expect(blank.components.shapeCounts).toBe(0);
    expect(blank.components.ssim).toBeLessThan(0.95);
  });

  it('rejects bad options, naming the field', () => {
    expect(() => createCheckPool({ threads: 0 })).toThrow(/threads/);
  });
});
